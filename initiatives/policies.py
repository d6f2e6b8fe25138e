"""Who may do what with initiatives. One predicate per decision, used by the
pages, the API and templates alike.

Conventions shared by every predicate here:

- Acting for an organisation needs an *active* membership of an *active*
  organisation (``_acting_membership``); platform staff act only as moderators.
- Every action on an initiative also needs the user to be able to see it
  (``can_view_initiative``), so a draft is the lead's business alone and a
  ``partners`` initiative is closed to organisations outside it.
- Predicates answer for the object's *current* state; services re-check the
  same rules after locking rows, because two requests can race.
- Where a predicate needs an initiative's partnerships it uses the prefetched
  ``initiative.partnerships`` when present (see ``partnership_selectors``), so a
  page asking many questions runs a constant number of queries.
"""

from datetime import timedelta

from django.utils import timezone

from councils.models import Membership
from councils.policies import is_platform_admin
from councils.selectors import active_membership_for

from .models import Comment, Initiative, Partnership

# Statuses in which an organisation is still part of (or on its way into) an initiative.
OPEN_STATUSES = frozenset(
    {
        Partnership.Status.INVITED,
        Partnership.Status.INTERESTED,
        Partnership.Status.COMMITTED,
        Partnership.Status.ACTIVE,
    }
)
# Statuses that count as "a partner" for posting updates, partner_count and hand-over.
COMMITTED_STATUSES = frozenset({Partnership.Status.COMMITTED, Partnership.Status.ACTIVE})
# Statuses from which an organisation may (re-)express interest.
CAN_EXPRESS_INTEREST_FROM = frozenset(
    {Partnership.Status.INVITED, Partnership.Status.WITHDRAWN, Partnership.Status.DECLINED}
)


def _membership(user) -> Membership | None:
    return active_membership_for(user)


def _acting_membership(user) -> Membership | None:
    """The membership through which ``user`` may act for an organisation: active,
    of an active organisation, and the user account itself active."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = _membership(user)
    if membership is None or not membership.organisation.is_active:
        return None
    return membership


def _is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Membership.Role.ADMIN


def partnerships_of(initiative: Initiative) -> list[Partnership]:
    """All partnerships of the initiative, from the prefetch cache when the
    caller prefetched ``partnerships`` (constant queries on pages)."""
    cache = getattr(initiative, "_prefetched_objects_cache", {})
    if "partnerships" in cache:
        return list(cache["partnerships"])
    return list(initiative.partnerships.select_related("organisation"))


def partnership_for_organisation(
    initiative: Initiative, organisation_id: int | None
) -> Partnership | None:
    """The organisation's partnership in the initiative (any status), or None."""
    if organisation_id is None:
        return None
    cache = getattr(initiative, "_prefetched_objects_cache", {})
    if "partnerships" in cache:
        for partnership in cache["partnerships"]:
            if partnership.organisation_id == organisation_id:
                return partnership
        return None
    return initiative.partnerships.filter(organisation_id=organisation_id).first()


def eligible_new_leads(initiative: Initiative) -> list[Partnership]:
    """Partnerships that could take over the lead: committed or active partner
    councils/public bodies (never suppliers, never ended organisations)."""
    return [
        p
        for p in partnerships_of(initiative)
        if p.role == Partnership.Role.PARTNER
        and p.status in COMMITTED_STATUSES
        and p.organisation_id != initiative.lead_organisation_id
        and not p.organisation.is_supplier
        and p.organisation.is_active
    ]


def can_view_initiative(user, initiative: Initiative) -> bool:
    """Mirror of ``selectors.visible_to`` for a single object already in hand."""
    from .selectors import visible_to

    if initiative.visibility == Initiative.Visibility.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    membership = _membership(user)
    if membership is not None and membership.organisation_id == initiative.lead_organisation_id:
        return True  # the lead sees its own initiatives whatever the visibility
    return visible_to(user).filter(pk=initiative.pk).exists()


def is_lead_member(user, initiative: Initiative) -> bool:
    """An active member (any role) of the initiative's lead organisation."""
    membership = _membership(user)
    return membership is not None and membership.organisation_id == initiative.lead_organisation_id


def is_lead_admin(user, initiative: Initiative) -> bool:
    """An active admin of the initiative's lead organisation."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.organisation_id == initiative.lead_organisation_id
        and membership.role == Membership.Role.ADMIN
    )


def can_edit_initiative(user, initiative: Initiative) -> bool:
    """The lead organisation's active members edit the initiative."""
    return is_lead_member(user, initiative)


def can_create_initiative(user) -> bool:
    """Any active member of an active council or public body; suppliers do not lead."""
    membership = _membership(user)
    return (
        membership is not None
        and membership.organisation.is_active
        and not membership.organisation.is_supplier
    )


def can_change_stage(user, initiative: Initiative) -> bool:
    """Stage changes are the lead's to make: its active members (any role), as
    for editing, because the lead runs the initiative day to day."""
    membership = _acting_membership(user)
    return membership is not None and membership.organisation_id == initiative.lead_organisation_id


def can_express_interest(user, initiative: Initiative) -> bool:
    """Any active officer (any role) of another active organisation may say
    their organisation is interested, in an initiative they can see that is not
    a draft, unless their organisation already has an open partnership.

    An INVITED organisation answers its invitation this way, and a WITHDRAWN or
    DECLINED one may come back. Suppliers may ask too: their request lands as
    a supplier and still needs the lead to accept it.
    """
    membership = _acting_membership(user)
    if membership is None or membership.organisation_id == initiative.lead_organisation_id:
        return False
    if initiative.visibility == Initiative.Visibility.DRAFT:
        return False
    if not can_view_initiative(user, initiative):
        return False
    existing = partnership_for_organisation(initiative, membership.organisation_id)
    return existing is None or existing.status in CAN_EXPRESS_INTEREST_FROM


def can_sign_off(user, partnership: Partnership) -> bool:
    """Committing an organisation is a decision for one of its admins (who names
    the political and officer sponsors), for a partner (not a supplier, not the
    lead) that is INTERESTED or INVITED, on an initiative they can see."""
    membership = _acting_membership(user)
    if not _is_admin(membership) or membership.organisation_id != partnership.organisation_id:
        return False
    if partnership.role != Partnership.Role.PARTNER:
        return False
    if partnership.status not in (Partnership.Status.INTERESTED, Partnership.Status.INVITED):
        return False
    initiative = partnership.initiative
    if initiative.visibility == Initiative.Visibility.DRAFT:
        return False
    return can_view_initiative(user, initiative)


def _is_lead_admin_acting(user, partnership: Partnership) -> bool:
    membership = _acting_membership(user)
    return (
        _is_admin(membership)
        and membership.organisation_id == partnership.initiative.lead_organisation_id
        and partnership.role != Partnership.Role.LEAD
        and partnership.organisation_id != partnership.initiative.lead_organisation_id
    )


def can_accept_partnership(user, partnership: Partnership) -> bool:
    """The lead's admins accept a partner council once it has COMMITTED (signed
    off), or a supplier once it is INTERESTED (suppliers do not sign off)."""
    if not _is_lead_admin_acting(user, partnership):
        return False
    if partnership.role == Partnership.Role.SUPPLIER:
        return partnership.status == Partnership.Status.INTERESTED
    return partnership.status == Partnership.Status.COMMITTED


def can_decline_partnership(user, partnership: Partnership) -> bool:
    """The lead's admins decline a request that is INTERESTED or COMMITTED, or
    take back an invitation the other organisation has not answered (INVITED)."""
    return _is_lead_admin_acting(user, partnership) and partnership.status in (
        Partnership.Status.INVITED,
        Partnership.Status.INTERESTED,
        Partnership.Status.COMMITTED,
    )


def can_decide_partnership(user, partnership: Partnership) -> bool:
    """Accept/decline: the lead's admins, while the partnership awaits a decision
    (``can_accept_partnership`` / ``can_decline_partnership`` say which)."""
    return can_accept_partnership(user, partnership) or can_decline_partnership(user, partnership)


def can_withdraw(user, partnership: Partnership) -> bool:
    """An organisation leaves on its own say-so: any of its active members while
    the partnership is only INVITED or INTERESTED, but once it has COMMITTED or
    is ACTIVE (a signed-off promise) only its admins. The lead cannot withdraw;
    it hands over the lead first."""
    membership = _acting_membership(user)
    if membership is None or membership.organisation_id != partnership.organisation_id:
        return False
    if partnership.role == Partnership.Role.LEAD:
        return False
    if not can_view_initiative(user, partnership.initiative):
        return False
    if partnership.status in (Partnership.Status.INVITED, Partnership.Status.INTERESTED):
        return True
    if partnership.status in COMMITTED_STATUSES:
        return _is_admin(membership)
    return False


def can_hand_over_lead(user, initiative: Initiative) -> bool:
    """The lead's admins, when at least one committed or active partner council
    (not a supplier) could take over."""
    membership = _acting_membership(user)
    if not _is_admin(membership) or membership.organisation_id != initiative.lead_organisation_id:
        return False
    return bool(eligible_new_leads(initiative))


def can_invite_partner(user, initiative: Initiative) -> bool:
    """The lead's admins invite councils or suppliers to join, once the
    initiative is out of draft (an invitee must be able to see it)."""
    membership = _acting_membership(user)
    return (
        _is_admin(membership)
        and membership.organisation_id == initiative.lead_organisation_id
        and initiative.visibility != Initiative.Visibility.DRAFT
    )


def can_follow(user, initiative: Initiative) -> bool:
    """Any signed-in, active user who can see the initiative may follow (or
    unfollow) it; following needs an account to notify."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return can_view_initiative(user, initiative)


def can_post_update(user, initiative: Initiative) -> bool:
    """Updates come from the people doing the work: active members of the lead
    or of a COMMITTED/ACTIVE partner (suppliers included once accepted)."""
    membership = _acting_membership(user)
    if membership is None:
        return False
    if membership.organisation_id == initiative.lead_organisation_id:
        return True
    if not can_view_initiative(user, initiative):
        return False
    partnership = partnership_for_organisation(initiative, membership.organisation_id)
    return partnership is not None and partnership.status in COMMITTED_STATUSES


def can_comment(user, initiative: Initiative) -> bool:
    """Signed-in active members of an active organisation who can see the
    initiative join the discussion (staff moderate rather than comment)."""
    membership = _acting_membership(user)
    return membership is not None and can_view_initiative(user, initiative)


def comment_edit_window_open(comment: Comment) -> bool:
    """Authors may edit for ``Comment.EDIT_WINDOW_MINUTES`` after posting."""
    return timezone.now() - comment.created_at <= timedelta(minutes=Comment.EDIT_WINDOW_MINUTES)


def can_edit_comment(user, comment: Comment) -> bool:
    """The author alone, within the edit window, while the comment is not deleted."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return (
        comment.deleted_at is None
        and comment.author_id == user.pk
        and comment_edit_window_open(comment)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    """The author, the lead organisation's admins (they host the discussion),
    or platform staff; never twice."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if comment.deleted_at is not None:
        return False
    if comment.author_id == user.pk or is_platform_admin(user):
        return True
    membership = _acting_membership(user)
    return (
        _is_admin(membership)
        and membership.organisation_id == comment.initiative.lead_organisation_id
    )


def can_flag_comment(user, comment: Comment) -> bool:
    """Any signed-in user who can see the comment may flag it for platform
    admins, except their own comment and deleted ones."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if comment.deleted_at is not None or comment.author_id == user.pk:
        return False
    return can_view_initiative(user, comment.initiative)


def can_moderate(user) -> bool:
    """Platform admins (staff) resolve flagged comments."""
    return is_platform_admin(user)


def can_set_cost_shares(user, initiative: Initiative) -> bool:
    """The lead organisation's admins agree the custom split with partners and
    record it; nobody else may move money between councils' columns."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not is_lead_admin(user, initiative):
        return False
    return initiative.lead_organisation.is_active
