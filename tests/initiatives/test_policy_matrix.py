"""The policy matrix: every persona × every initiative policy × every visibility,
against an explicit table of expected answers written out here (not derived
from the code under test).

The world for each cell: an initiative led by ``council`` (Leedsham) with the
given visibility; ``partner_council`` (Partnerton) holds a partnership whose
status suits the action (see ``PARTNER_STATUS``); ``supplier`` (Acme) and
``other_council`` (Otherton, the outsider's) have none. Comment policies are
asked about a fresh comment written by the lead's officer.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from initiatives import policies
from initiatives.models import Comment
from tests import factories

from .support.partnerships import Status, Visibility, add_partnership

PERSONAS = (
    "officer",
    "facilitator",
    "admin",
    "outsider",
    "partner_admin",
    "partner_officer",
    "supplier",
    "anonymous",
    "staff",
)
VISIBILITIES = ("public", "platform", "partners", "draft")

# Shorthands, spelled out once.
LEAD = {"officer", "facilitator", "admin"}
PARTNER = {"partner_admin", "partner_officer"}
MEMBERS = LEAD | PARTNER | {"outsider", "supplier"}  # everyone with an active membership
EVERYONE = MEMBERS | {"anonymous", "staff"}
NOBODY: set[str] = set()


def same(answer: set[str]) -> dict[str, set[str]]:
    """The same answer whatever the visibility."""
    return dict.fromkeys(VISIBILITIES, answer)


# action -> visibility -> the personas for whom the policy answers True.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "view": {
        "public": EVERYONE,
        "platform": MEMBERS | {"staff"},
        "partners": LEAD | PARTNER | {"staff"},
        "draft": LEAD | {"staff"},
    },
    "create_initiative": same(LEAD | PARTNER | {"outsider"}),  # suppliers do not lead
    "edit": same(LEAD),
    "change_stage": same(LEAD),
    "express_interest": {  # Partnerton already ACTIVE, so only organisations without one
        "public": {"outsider", "supplier"},
        "platform": {"outsider", "supplier"},
        "partners": NOBODY,  # the outsider and the supplier cannot see it
        "draft": NOBODY,
    },
    "sign_off": {  # Partnerton INTERESTED
        "public": {"partner_admin"},
        "platform": {"partner_admin"},
        "partners": {"partner_admin"},
        "draft": NOBODY,
    },
    "accept": same({"admin"}),  # Partnerton COMMITTED
    "accept_supplier": same({"admin"}),  # Acme INTERESTED as a supplier
    "decline": same({"admin"}),  # Partnerton COMMITTED
    "decide": same({"admin"}),  # Partnerton COMMITTED
    "withdraw_interested": {  # Partnerton INTERESTED: any of its members
        "public": PARTNER,
        "platform": PARTNER,
        "partners": PARTNER,
        "draft": NOBODY,
    },
    "withdraw_committed": {  # Partnerton COMMITTED: its admins only
        "public": {"partner_admin"},
        "platform": {"partner_admin"},
        "partners": {"partner_admin"},
        "draft": NOBODY,
    },
    "withdraw_lead": same(NOBODY),  # the lead hands over instead
    "hand_over_lead": same({"admin"}),  # Partnerton ACTIVE is eligible
    "invite_partner": {
        "public": {"admin"},
        "platform": {"admin"},
        "partners": {"admin"},
        "draft": NOBODY,
    },
    "follow": {
        "public": EVERYONE - {"anonymous"},
        "platform": MEMBERS | {"staff"},
        "partners": LEAD | PARTNER | {"staff"},
        "draft": LEAD | {"staff"},
    },
    "post_update": {  # Partnerton ACTIVE
        "public": LEAD | PARTNER,
        "platform": LEAD | PARTNER,
        "partners": LEAD | PARTNER,
        "draft": LEAD,
    },
    "comment": {
        "public": MEMBERS,
        "platform": MEMBERS,
        "partners": LEAD | PARTNER,
        "draft": LEAD,
    },
    "edit_comment": same({"officer"}),  # the author, within 15 minutes
    "delete_comment": same({"officer", "admin", "staff"}),  # author, lead's admins, staff
    "flag_comment": {  # anyone signed in who can see it, except the author
        "public": {
            "facilitator",
            "admin",
            "outsider",
            "partner_admin",
            "partner_officer",
            "supplier",
            "staff",
        },
        "platform": {
            "facilitator",
            "admin",
            "outsider",
            "partner_admin",
            "partner_officer",
            "supplier",
            "staff",
        },
        "partners": {"facilitator", "admin", "partner_admin", "partner_officer", "staff"},
        "draft": {"facilitator", "admin", "staff"},
    },
    "moderate": same({"staff"}),
    "set_cost_shares": same({"admin"}),  # the lead's admins
}

# Partnerton's partnership status for each action's world.
PARTNER_STATUS = {
    "sign_off": Status.INTERESTED,
    "accept": Status.COMMITTED,
    "decline": Status.COMMITTED,
    "decide": Status.COMMITTED,
    "withdraw_interested": Status.INTERESTED,
    "withdraw_committed": Status.COMMITTED,
}


def _ask(action: str, user, world: dict) -> bool:
    initiative = world["initiative"]
    partnership = world["partnership"]
    checks = {
        "view": lambda: policies.can_view_initiative(user, initiative),
        "create_initiative": lambda: policies.can_create_initiative(user),
        "edit": lambda: policies.can_edit_initiative(user, initiative),
        "change_stage": lambda: policies.can_change_stage(user, initiative),
        "express_interest": lambda: policies.can_express_interest(user, initiative),
        "sign_off": lambda: policies.can_sign_off(user, partnership),
        "accept": lambda: policies.can_accept_partnership(user, partnership),
        "accept_supplier": lambda: policies.can_accept_partnership(
            user, world["supplier_partnership"]
        ),
        "decline": lambda: policies.can_decline_partnership(user, partnership),
        "decide": lambda: policies.can_decide_partnership(user, partnership),
        "withdraw_interested": lambda: policies.can_withdraw(user, partnership),
        "withdraw_committed": lambda: policies.can_withdraw(user, partnership),
        "withdraw_lead": lambda: policies.can_withdraw(user, world["lead_partnership"]),
        "hand_over_lead": lambda: policies.can_hand_over_lead(user, initiative),
        "invite_partner": lambda: policies.can_invite_partner(user, initiative),
        "follow": lambda: policies.can_follow(user, initiative),
        "post_update": lambda: policies.can_post_update(user, initiative),
        "comment": lambda: policies.can_comment(user, initiative),
        "edit_comment": lambda: policies.can_edit_comment(user, world["comment"]),
        "delete_comment": lambda: policies.can_delete_comment(user, world["comment"]),
        "flag_comment": lambda: policies.can_flag_comment(user, world["comment"]),
        "moderate": lambda: policies.can_moderate(user),
        "set_cost_shares": lambda: policies.can_set_cost_shares(user, initiative),
    }
    return checks[action]()


def test_the_table_covers_every_policy_and_every_visibility():
    """A new ``can_*`` policy must be added to the table (with its answers)."""
    asked = {
        "can_view_initiative",
        "can_create_initiative",
        "can_edit_initiative",
        "can_change_stage",
        "can_express_interest",
        "can_sign_off",
        "can_accept_partnership",
        "can_decline_partnership",
        "can_decide_partnership",
        "can_withdraw",
        "can_hand_over_lead",
        "can_invite_partner",
        "can_follow",
        "can_post_update",
        "can_comment",
        "can_edit_comment",
        "can_delete_comment",
        "can_flag_comment",
        "can_moderate",
        "can_set_cost_shares",
    }
    assert {name for name in dir(policies) if name.startswith("can_")} == asked
    for action, answers in EXPECTED.items():
        assert set(answers) == set(VISIBILITIES), action
        for who in answers.values():
            assert who <= set(PERSONAS), action


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_policy_matrix(
    action,
    visibility,
    council,
    officer,
    facilitator,
    council_admin,
    outsider,
    partner_council,
    partner_admin,
    partner_officer,
    supplier,
    supplier_user,
    staff,
):
    initiative = factories.make_initiative(council, visibility=Visibility(visibility))
    world = {
        "initiative": initiative,
        "lead_partnership": initiative.partnerships.get(organisation=council),
        "partnership": add_partnership(
            initiative, partner_council, status=PARTNER_STATUS.get(action, Status.ACTIVE)
        ),
        "supplier_partnership": (
            add_partnership(initiative, supplier, status=Status.INTERESTED)
            if action == "accept_supplier"
            else None
        ),
        "comment": Comment.objects.create(
            initiative=initiative, author=officer, organisation=council, body="First thoughts."
        ),
    }
    users = {
        "officer": officer,
        "facilitator": facilitator,
        "admin": council_admin,
        "outsider": outsider,
        "partner_admin": partner_admin,
        "partner_officer": partner_officer,
        "supplier": supplier_user,
        "anonymous": AnonymousUser(),
        "staff": staff,
    }
    actual = {name: _ask(action, users[name], world) for name in PERSONAS}
    expected = {name: name in EXPECTED[action][visibility] for name in PERSONAS}
    assert actual == expected
