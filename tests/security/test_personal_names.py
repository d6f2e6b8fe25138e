"""People's names reach only staff and members of active organisations
(``councils.policies.may_see_personal_names``), whichever door they would
leave by: the council page, the initiative page (key contact, stage timeline,
sponsors, sign-off, partnership history, updates, comments), the comment
flag page, the invitation page, the API (initiative, updates, comments,
partnerships), the open-data CSV and e-mail. Everyone else is told the
organisation and role instead.

Each door is asked by every kind of viewer: anonymous, a verified account
with no membership, an account whose membership is pending, a member of an
organisation that has ended (none of whom may see names), a member of an
unrelated active council and platform staff (who may).
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from councils.models import Membership, Organisation
from councils.services import people as people_services
from initiatives.models import Partnership, PartnershipEvent, StageChange
from initiatives.services import partnerships as partnership_services
from tests import factories

pytestmark = pytest.mark.django_db

OFFICER = "Olwen Keycontact"
ADMIN = "Ada Signingoff"
POLITICAL = "Cllr Polly Sponsorworth"
OFFICER_SPONSOR = "Osric Sponsorworth"
LEAD_ADMIN = "Leonie Leadadmin"
NAMES = (OFFICER, ADMIN, POLITICAL, OFFICER_SPONSOR, LEAD_ADMIN)

HIDDEN = ("anonymous", "no membership", "pending member", "member of an ended organisation")
SHOWN = ("member elsewhere", "staff")


@pytest.fixture
def world(council, other_council):
    """A public initiative led by Leedsham with a named key contact, a stage
    change, an update and a comment by them, and Otherton committed with
    named sponsors, signed off by its admin."""
    officer = factories.member_of(council, full_name=OFFICER)
    lead_admin = factories.member_of(council, Membership.Role.ADMIN, full_name=LEAD_ADMIN)
    partner_admin = factories.member_of(other_council, Membership.Role.ADMIN, full_name=ADMIN)
    initiative = factories.make_initiative(council, key_contact=officer, slug="named-people")
    StageChange.objects.create(initiative=initiative, to_stage="idea", changed_by=officer)
    factories.UpdateFactory(initiative=initiative, author=officer, title="Discovery done")
    comment = factories.CommentFactory(initiative=initiative, author=officer, body="We can help")
    partnership = Partnership.objects.create(
        initiative=initiative,
        organisation=other_council,
        status=Partnership.Status.COMMITTED,
        political_sponsor=POLITICAL,
        officer_sponsor=OFFICER_SPONSOR,
        signed_off_by=partner_admin,
        signed_off_at=timezone.now(),
    )
    PartnershipEvent.objects.create(
        partnership=partnership,
        from_status="interested",
        to_status="committed",
        actor=partner_admin,
    )
    return {
        "initiative": initiative,
        "comment": comment,
        "officer": officer,
        "lead_admin": lead_admin,
        "council": council,
    }


@pytest.fixture
def viewers(council, staff):
    pending = factories.UserFactory(email="pat.pending@leedsham.gov.uk")
    factories.MembershipFactory(
        user=pending, organisation=council, status=Membership.Status.PENDING
    )
    ended = factories.OrganisationFactory(name="Gonebury", status=Organisation.Status.ENDED)
    elsewhere = factories.OrganisationFactory(name="Elsewhere")
    return {
        "anonymous": None,
        "no membership": factories.UserFactory(email="nora.nobody@example.org"),
        "pending member": pending,
        "member of an ended organisation": factories.member_of(ended),
        "member elsewhere": factories.member_of(elsewhere),
        "staff": staff,
    }


def _page(viewer, path: str) -> str:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _api(viewer, path: str) -> dict | list:
    client = APIClient()
    if viewer is not None:
        client.force_authenticate(viewer)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.json()


def _rows(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", HIDDEN)
def test_council_page_shows_roles_not_names(world, viewers, who):
    html = _page(viewers[who], world["council"].get_absolute_url())
    assert OFFICER not in html and LEAD_ADMIN not in html
    assert "Leedsham" in html
    assert re.search(r"<li>\d+ officers?</li>", html) and "1 council admin<" in html


@pytest.mark.parametrize("who", SHOWN)
def test_council_page_names_people_to_members_and_staff(world, viewers, who):
    html = _page(viewers[who], world["council"].get_absolute_url())
    assert OFFICER in html and LEAD_ADMIN in html


@pytest.mark.parametrize("who", HIDDEN)
def test_initiative_page_shows_organisations_and_roles_not_names(world, viewers, who):
    html = _page(viewers[who], world["initiative"].get_absolute_url())
    for name in NAMES:
        assert name not in html, name
    assert re.search(r"Key contact</dt><dd[^>]*>An officer at Leedsham<", html)
    assert "Political: A councillor at Otherton" in html
    assert "Officer: An officer at Otherton" in html
    assert "Signed off by a council admin at Otherton" in html
    # The update and the comment: their organisation, and the role.
    assert html.count("An officer at Leedsham") >= 3
    assert "Discovery done" in html and "We can help" in html


@pytest.mark.parametrize("who", SHOWN)
def test_initiative_page_names_people_to_members_and_staff(world, viewers, who):
    html = _page(viewers[who], world["initiative"].get_absolute_url())
    for name in NAMES[:-1]:  # the lead's admin has done nothing on this page
        assert name in html, name
    # Key contact, timeline, update and comment all name the officer.
    assert html.count(OFFICER) >= 4
    assert f"Signed off by {ADMIN}" in html and f"by {ADMIN}" in html


@pytest.mark.parametrize("who", ["no membership", "pending member"])
def test_comment_flag_page_hides_the_authors_name(world, viewers, who):
    comment = world["comment"]
    path = reverse(
        "initiatives:comment_flag", kwargs={"slug": world["initiative"].slug, "pk": comment.pk}
    )
    html = _page(viewers[who], path)
    assert OFFICER not in html and "An officer at Leedsham" in html


def test_comment_flag_page_names_the_author_to_members(world, viewers):
    path = reverse(
        "initiatives:comment_flag",
        kwargs={"slug": world["initiative"].slug, "pk": world["comment"].pk},
    )
    assert OFFICER in _page(viewers["member elsewhere"], path)


def _invite(world, email: str) -> str:
    """Invite ``email`` to Leedsham as its admin would; the raw token."""
    _, token = people_services.create_invitation(
        organisation=world["council"], email=email, role="member", by=world["lead_admin"]
    )
    return token


@pytest.mark.parametrize("who", ["anonymous", "no membership"])
def test_invitation_page_names_the_inviting_organisation_and_role(world, viewers, who):
    viewer = viewers[who]
    token = _invite(world, viewer.email if viewer else "newcomer@leedsham.gov.uk")
    html = _page(viewer, reverse("councils:accept_invitation", kwargs={"token": token}))
    assert LEAD_ADMIN not in html
    assert "A council admin at Leedsham" in html


# --- API -----------------------------------------------------------------------------------


def _api_bodies(world, viewer) -> dict:
    slug = world["initiative"].slug
    base = f"/api/v1/initiatives/{slug}/"
    return {
        "initiative": _api(viewer, base),
        "updates": _rows(_api(viewer, base + "updates/")),
        "comments": _rows(_api(viewer, base + "comments/")),
        "partnerships": _rows(_api(viewer, base + "partnerships/")),
    }


@pytest.mark.parametrize("who", HIDDEN)
def test_api_answers_null_for_names(world, viewers, who):
    bodies = _api_bodies(world, viewers[who])
    for door, body in bodies.items():
        text = repr(body)
        for name in NAMES:
            assert name not in text, (door, name)
    assert bodies["initiative"]["key_contact_name"] is None
    assert bodies["initiative"]["lead_organisation"]["name"] == "Leedsham"
    for row in bodies["updates"] + bodies["comments"]:
        assert row["author"] is None and row["organisation"]["name"] == "Leedsham"
    partner = next(p for p in bodies["partnerships"] if p["organisation"]["name"] == "Otherton")
    assert partner["political_sponsor"] is None and partner["officer_sponsor"] is None
    assert partner["signed_off_by"] is None
    assert [event["actor"] for event in partner["events"]] == [None]


@pytest.mark.parametrize("who", SHOWN)
def test_api_names_people_to_members_and_staff(world, viewers, who):
    bodies = _api_bodies(world, viewers[who])
    assert bodies["initiative"]["key_contact_name"] == OFFICER
    assert {row["author"] for row in bodies["updates"] + bodies["comments"]} == {OFFICER}
    partner = next(p for p in bodies["partnerships"] if p["organisation"]["name"] == "Otherton")
    assert partner["political_sponsor"] == POLITICAL
    assert partner["officer_sponsor"] == OFFICER_SPONSOR
    assert partner["signed_off_by"] == ADMIN
    assert [event["actor"] for event in partner["events"]] == [ADMIN]


# --- open data -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", HIDDEN + SHOWN)
def test_open_data_csv_names_nobody_whoever_asks(world, viewers, who):
    """The published dataset is the same for everyone and holds no people."""
    client = Client()
    if viewers[who] is not None:
        client.force_login(viewers[who])
    response = client.get(reverse("initiatives:csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert world["initiative"].slug in text and "Leedsham" in text
    for name in NAMES:
        assert name not in text
    assert world["officer"].email not in text


# --- e-mail --------------------------------------------------------------------------------


def _sent_invitation(world, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, email)
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return message


@pytest.mark.parametrize(
    "who", ["an address without an account", "no membership", "member of an ended organisation"]
)
def test_invitation_e_mail_to_someone_who_may_not_see_names_names_organisation_and_role(
    world, viewers, who, django_capture_on_commit_callbacks
):
    email = "brand.new@leedsham.gov.uk" if who.startswith("an address") else viewers[who].email
    message = _sent_invitation(world, email, django_capture_on_commit_callbacks)
    assert LEAD_ADMIN not in message.body and LEAD_ADMIN not in message.subject
    assert "A council admin at Leedsham has invited you" in message.body


@pytest.mark.parametrize("who", SHOWN)
def test_invitation_e_mail_to_someone_who_may_names_the_inviter(
    world, viewers, who, django_capture_on_commit_callbacks
):
    message = _sent_invitation(world, viewers[who].email, django_capture_on_commit_callbacks)
    assert f"{LEAD_ADMIN} has invited you" in message.body


def test_partnership_e_mails_name_the_actor_to_admins_of_active_organisations(
    world, other_council, django_capture_on_commit_callbacks
):
    """The lead's admins (members of an active organisation) are told who acted;
    an admin of an ended organisation among the recipients would not be."""
    third = factories.OrganisationFactory(name="Thirdham")
    third_officer = factories.member_of(third, full_name="Theo Thirdham")
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.express_interest(
            initiative=world["initiative"], organisation=third, by=third_officer
        )
    (message,) = [m for m in mail.outbox if m.to == [world["lead_admin"].email]]
    assert message.body.startswith("Theo Thirdham says Thirdham is interested")

    world["council"].status = Organisation.Status.ENDED
    world["council"].save(update_fields=["status"])
    from notifications import emails

    partnership = Partnership.objects.get(organisation=third)
    (hidden,) = emails.partnership_news(
        "interested",
        partnership,
        subject="Interest",
        by=third_officer,
        recipients=[world["lead_admin"].email],
    )
    assert "Theo Thirdham" not in hidden.body
    assert hidden.body.startswith("An officer at Thirdham says Thirdham is interested")


def test_membership_request_e_mail_names_the_requester_to_the_admins(
    council, council_admin, django_capture_on_commit_callbacks
):
    requester = factories.UserFactory(
        email="rhea.requester@leedsham.gov.uk", full_name="Rhea Requester"
    )
    with django_capture_on_commit_callbacks(execute=True):
        people_services.request_membership(user=requester, organisation=council)
    (message,) = [m for m in mail.outbox if m.to == [council_admin.email]]
    assert message.subject == "Rhea Requester asked to join Leedsham"
    assert "Rhea Requester (rhea.requester@leedsham.gov.uk)" in message.body
