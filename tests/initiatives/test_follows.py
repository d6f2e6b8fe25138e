"""Following: idempotent services, the follow/unfollow buttons, automatic
follows on interest and sign-off, and refusals for people who cannot see it."""

import pytest
from django.urls import reverse

from initiatives.models import Follow
from initiatives.services.follows import follow_initiative, unfollow_initiative
from initiatives.services.partnerships import express_interest
from tests import factories

from .support.partnerships import Visibility


def test_follow_and_unfollow_are_idempotent(initiative, outsider):
    first = follow_initiative(initiative=initiative, user=outsider)
    assert follow_initiative(initiative=initiative, user=outsider) == first
    assert Follow.objects.filter(initiative=initiative).count() == 1
    assert unfollow_initiative(initiative=initiative, user=outsider) is True
    assert unfollow_initiative(initiative=initiative, user=outsider) is False
    assert not Follow.objects.exists()


def test_expressing_interest_follows_automatically_once(
    initiative, partner_council, partner_officer
):
    follow_initiative(initiative=initiative, user=partner_officer)
    express_interest(initiative=initiative, organisation=partner_council, by=partner_officer)
    assert Follow.objects.filter(user=partner_officer, initiative=initiative).count() == 1


def test_follow_button_round_trip(client_for, initiative, outsider):
    client = client_for(outsider)
    follow_url = reverse("initiatives:follow", kwargs={"slug": initiative.slug})
    unfollow_url = reverse("initiatives:unfollow", kwargs={"slug": initiative.slug})
    assert client.get(follow_url).status_code == 405

    response = client.post(follow_url, follow=True)
    assert response.redirect_chain[-1][0] == initiative.get_absolute_url()
    html = response.content.decode()
    assert "You are following" in html
    assert "1 follower" in html and unfollow_url in html
    client.post(follow_url)  # a double click changes nothing
    assert Follow.objects.filter(user=outsider).count() == 1

    response = client.post(unfollow_url, follow=True)
    assert "no longer following" in response.content.decode()
    assert not Follow.objects.filter(user=outsider).exists()


def test_staff_and_suppliers_may_follow_public_initiatives(
    client_for, initiative, staff, supplier_user
):
    for user in (staff, supplier_user):
        url = reverse("initiatives:follow", kwargs={"slug": initiative.slug})
        assert client_for(user).post(url).status_code == 302
    assert Follow.objects.filter(initiative=initiative).count() == 2


@pytest.mark.parametrize("visibility", [Visibility.PARTNERS, Visibility.DRAFT])
def test_cannot_follow_what_you_cannot_see(visibility, client_for, council, outsider):
    hidden = factories.make_initiative(council, visibility=visibility)
    for name in ("follow", "unfollow"):
        url = reverse(f"initiatives:{name}", kwargs={"slug": hidden.slug})
        assert client_for(outsider).post(url).status_code == 404
    assert not Follow.objects.exists()


def test_anonymous_must_sign_in_to_follow(client, initiative):
    url = reverse("initiatives:follow", kwargs={"slug": initiative.slug})
    response = client.post(url)
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not Follow.objects.exists()
