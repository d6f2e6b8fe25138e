"""One-click unsubscribe (RFC 8058) at /notifications/unsubscribe/<token>/:
no login needed, one list of one person, once; forged, edited or used links
change nothing; only the exact one-click body skips CSRF."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from notifications.models import NotificationSettings, Unsubscription
from notifications.services.preferences import settings_for
from notifications.unsubscribe import SALT, make_token, unsubscribe_url
from tests import factories

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _path(user, list_name="workshop_invitations"):
    return reverse("notifications:unsubscribe", kwargs={"token": make_token(user, list_name)})


def _fields(user):
    row = settings_for(user)
    return {
        f.name: getattr(row, f.name)
        for f in NotificationSettings._meta.concrete_fields
        if f.name != "updated_at"
    }


@pytest.fixture
def mail_client():
    """What a mail client is: no cookies, and CSRF checked as a browser's would be."""
    return Client(enforce_csrf_checks=True)


def test_the_url_is_absolute_on_the_site(officer, settings):
    url = unsubscribe_url(officer, "digest")
    assert url.startswith(settings.SITE_URL + "/notifications/unsubscribe/")


def test_get_shows_the_page_with_a_button_and_changes_nothing(mail_client, officer):
    before = _fields(officer)
    response = mail_client.get(_path(officer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unsubscribe from e-mails inviting you to workshops" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert _fields(officer) == before
    # The person is not named, nor their address shown.
    assert officer.email not in html


def test_the_pages_button_unsubscribes_with_its_csrf_token(officer):
    browser = Client(enforce_csrf_checks=True)
    path = _path(officer)
    page = browser.get(path)
    token = page.context["csrf_token"]
    response = browser.post(path, {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have unsubscribed" in html
    assert 'href="/notifications/settings/"' in html
    assert NotificationSettings.objects.get(user=officer).immediate_workshop_invitations is False


def test_one_click_post_needs_no_session_and_no_csrf_token(mail_client, officer):
    response = mail_client.post(_path(officer, "digest"), ONE_CLICK)
    assert response.status_code == 200
    row = NotificationSettings.objects.get(user=officer)
    assert row.digest_frequency == "off"
    assert row.next_digest_at is None
    assert Unsubscription.objects.filter(user=officer, list_name="digest").count() == 1


def test_one_click_also_accepts_multipart(mail_client, officer):
    response = mail_client.post(_path(officer), ONE_CLICK)  # Django's test default is multipart
    assert response.status_code == 200
    response = mail_client.post(
        _path(officer, "membership_decisions"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    row = NotificationSettings.objects.get(user=officer)
    assert not row.immediate_workshop_invitations and not row.immediate_membership_decisions


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"List-Unsubscribe": "One-Click", "digest_frequency": "daily"},
        {"List-Unsubscribe": ["One-Click", "One-Click"]},
        {"List-Unsubscribe": "one-click"},
        {"list-unsubscribe": "One-Click"},
        {"confirm": "yes"},
    ],
)
def test_any_other_post_without_a_csrf_token_is_refused(mail_client, officer, body):
    before = _fields(officer)
    response = mail_client.post(_path(officer), body)
    assert response.status_code == 403
    assert _fields(officer) == before
    assert not Unsubscription.objects.exists()


def test_a_used_link_cannot_be_replayed(mail_client, officer):
    path = _path(officer)
    mail_client.post(path, ONE_CLICK)
    # Turned back on afterwards: the old link must not turn it off again.
    NotificationSettings.objects.filter(user=officer).update(immediate_workshop_invitations=True)
    before = _fields(officer)
    again = mail_client.post(path, ONE_CLICK)
    assert again.status_code == 200
    assert "You have already unsubscribed" in again.content.decode()
    page = mail_client.get(path)
    assert "You have already unsubscribed" in page.content.decode()
    assert _fields(officer) == before
    assert Unsubscription.objects.count() == 1


def _tampered(user, **changes) -> str:
    payload = signing.loads(make_token(user, "workshop_invitations"), salt=SALT)
    payload.update(changes)
    token = signing.dumps(payload, salt=SALT, compress=True)
    # Re-signed here with the key for the test; then spoil the signature as an
    # attacker without the key would have to.
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "e30:1:abc",
        lambda user, other: _tampered(user, u=other.pk),
        lambda user, other: _tampered(user, l="digest"),
        lambda user, other: make_token(user, "digest")[:-3],
        lambda user, other: signing.dumps({"u": user.pk, "l": "digest", "n": "x"}, salt="other"),
        lambda user, other: signing.dumps({"u": user.pk, "l": "everything", "n": "x"}, salt=SALT),
        lambda user, other: signing.dumps({"u": str(user.pk), "l": "digest", "n": "x"}, salt=SALT),
    ],
)
def test_a_forged_or_edited_link_is_not_valid_and_changes_nothing(
    mail_client, officer, outsider, token
):
    raw = token(officer, outsider) if callable(token) else token
    before = (_fields(officer), _fields(outsider))
    path = f"/notifications/unsubscribe/{raw}/"
    for response in (mail_client.get(path), mail_client.post(path, ONE_CLICK)):
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    assert (_fields(officer), _fields(outsider)) == before
    assert not Unsubscription.objects.exists()


def test_a_link_changes_only_its_persons_one_setting_whoever_is_signed_in(
    client_for, officer, outsider
):
    officer_before, outsider_before = _fields(officer), _fields(outsider)
    # Signed in as someone else: the session is irrelevant, the token decides.
    signed_in = client_for(outsider)
    response = signed_in.post(_path(officer, "partnership_decisions"), ONE_CLICK)
    assert response.status_code == 200
    after = _fields(officer)
    changed = {k for k in after if after[k] != officer_before[k]}
    assert changed == {"immediate_partnership_decisions"}
    outsider_after = _fields(outsider)
    assert {k for k in outsider_after if outsider_after[k] != outsider_before[k]} <= {
        "last_seen_at"
    }


def test_a_link_for_someone_who_has_left_is_not_valid(mail_client, db):
    gone = factories.UserFactory(email="gone@example.org", is_active=False)
    response = mail_client.post(_path(gone), ONE_CLICK)
    assert response.status_code == 404
    assert not Unsubscription.objects.exists()


def test_other_methods_are_refused(mail_client, officer):
    assert mail_client.put(_path(officer)).status_code == 405
    assert mail_client.delete(_path(officer)).status_code == 405
