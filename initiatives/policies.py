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
- Where a door must explain a "no", the decision is a ``*_refusal`` function
  returning the reason (``core.doors.Refusal``: the person may not;
  ``StateRefusal``: the object is not in a state where anyone could) or
  ``None``; ``can_*`` is ``*_refusal(...) is None``. Doors show the reason,
  services raise it (``core.doors.enforce``), so no rule is written twice.
- Every write, whoever makes it, goes through ``_acting_membership``: a
  member of an organisation that is no longer active cannot act for it.
- Where a predicate needs an initiative's partnerships it uses the prefetched
  ``initiative.partnerships`` when present (see ``selectors.partnerships``), so a
  page asking many questions runs a constant number of queries.
"""

from datetime import timedelta

from django.utils import timezone

from core.doors import Refusal, StateRefusal
from councils.models import Membership
from councils.policies import is_platform_admin
from councils.selectors.people import active_membership_for

from .models import Comment, Initiative, Partnership

EDIT_WINDOW_CLOSED = (
    f"You can only edit a comment in the {Comment.EDIT_WINDOW_MINUTES} minutes after "
    "posting it. Post a new comment instead."
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
        and p.status in Partnership.COMMITTED_STATUSES
        and p.organisation_id != initiative.lead_organisation_id
        and not p.organisation.is_supplier
        and p.organisation.is_active
    ]


def can_view_initiative(user, initiative: Initiative) -> bool:
    """Mirror of ``selectors.visible_to`` for a single object already in hand."""
    from .selectors.initiative import visible_to

    if initiative.visibility == Initiative.Visibility.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    membership = _membership(user)
    if membership is not None and membership.organisation_id == initiative.lead_organisation_id:
        return True  # the lead sees its own initiatives whatever the visibility
    return visible_to(user).filter(pk=initiative.pk).exists()


def is_lead_member(user, initiative: Initiative) -> bool:
    """An active member (any role) of the initiative's active lead organisation."""
    membership = _acting_membership(user)
    return membership is not None and membership.organisation_id == initiative.lead_organisation_id


def is_lead_admin(user, initiative: Initiative) -> bool:
    """An active admin of the initiative's active lead organisation."""
    membership = _acting_membership(user)
    return (
        membership is not None
        and membership.organisation_id == initiative.lead_organisation_id
        and membership.role == Membership.Role.ADMIN
    )


def can_edit_initiative(user, initiative: Initiative) -> bool:
    """The lead organisation's active members edit the initiative, while the
    organisation is active (the same acting rule as every other write)."""
    return is_lead_member(user, initiative)


def can_create_initiative(user) -> bool:
    """Any active member of an active council or public body; suppliers do not lead."""
    membership = _acting_membership(user)
    return membership is not None and not membership.organisation.is_supplier


def can_change_stage(user, initiative: Initiative) -> bool:
    """Stage changes are the lead's to make: its active members (any role), as
    for editing, because the lead runs the initiative day to day."""
    return is_lead_member(user, initiative)


def contact_key_contact_refusal(user, initiative: Initiative) -> Refusal | None:
    """Who may send the key contact a message through the platform: active
    members of an active organisation (the people who may see their name at
    all, ``councils.policies.may_see_personal_names``), on an initiative they
    can see that names a key contact other than themselves. The key
    contact's address is never shown: the platform sends the message."""
    if _acting_membership(user) is None:
        return Refusal(
            "Only members of an organisation on the platform can contact the key contact."
        )
    if not can_view_initiative(user, initiative):
        return Refusal("You cannot contact anyone about this initiative.")
    if initiative.key_contact_id is None:
        return StateRefusal("This initiative has no key contact yet.")
    if initiative.key_contact_id == user.pk:
        return StateRefusal("You are the key contact for this initiative.")
    return None


def express_interest_refusal(user, initiative: Initiative) -> Refusal | None:
    """Any active officer (any role) of another active organisation may say
    their organisation is interested, in an initiative they can see that is not
    a draft, unless their organisation already has an open partnership.

    An INVITED organisation answers its invitation this way, and a WITHDRAWN or
    DECLINED one may come back. Suppliers may ask too: their request lands as
    a supplier and still needs the lead to accept it.
    """
    membership = _acting_membership(user)
    if membership is None:
        return Refusal("Only active members of an active organisation can express interest.")
    if membership.organisation_id == initiative.lead_organisation_id:
        return StateRefusal("Your organisation leads this initiative already.")
    if initiative.visibility == Initiative.Visibility.DRAFT:
        return StateRefusal("This initiative is a draft and is not open to partners yet.")
    if not can_view_initiative(user, initiative):
        return Refusal("You cannot express interest in this initiative.")
    existing = partnership_for_organisation(initiative, membership.organisation_id)
    if existing is not None and existing.status not in Partnership.CAN_EXPRESS_INTEREST_FROM:
        return StateRefusal(
            f"{membership.organisation.name} is already "
            f"{existing.get_status_display().lower()} in this initiative."
        )
    return None


def can_express_interest(user, initiative: Initiative) -> bool:
    """See ``express_interest_refusal``."""
    return express_interest_refusal(user, initiative) is None


def sign_off_refusal(user, partnership: Partnership) -> Refusal | None:
    """Committing an organisation is a decision for one of its admins (who names
    the political and officer sponsors), for a partner (not a supplier, not the
    lead) that is INTERESTED or INVITED, on an initiative they can see."""
    membership = _acting_membership(user)
    initiative = partnership.initiative
    if not _is_admin(membership) or membership.organisation_id != partnership.organisation_id:
        return Refusal("Only an admin of the partner organisation can sign off.")
    if not can_view_initiative(user, initiative):
        return Refusal("Only an admin of the partner organisation can sign off.")
    if partnership.role == Partnership.Role.SUPPLIER:
        return StateRefusal("Suppliers and the lead do not sign off: the lead accepts suppliers.")
    if partnership.role == Partnership.Role.LEAD:
        return StateRefusal("The lead organisation does not sign off on its own initiative.")
    if initiative.visibility == Initiative.Visibility.DRAFT:
        return StateRefusal("This initiative is a draft and is not open to partners yet.")
    if partnership.status not in (Partnership.Status.INTERESTED, Partnership.Status.INVITED):
        return StateRefusal(
            "Only an interested or invited organisation can commit; this one is "
            f"{partnership.get_status_display().lower()}."
        )
    return None


def can_sign_off(user, partnership: Partnership) -> bool:
    """See ``sign_off_refusal``."""
    return sign_off_refusal(user, partnership) is None


def _is_lead_admin_acting(user, initiative: Initiative) -> bool:
    membership = _acting_membership(user)
    return _is_admin(membership) and membership.organisation_id == initiative.lead_organisation_id


def accept_refusal(user, partnership: Partnership) -> Refusal | None:
    """The lead's admins accept a partner council once it has COMMITTED (signed
    off), or a supplier once it is INTERESTED (suppliers do not sign off)."""
    if partnership.role == Partnership.Role.LEAD:
        return StateRefusal("The lead organisation is already part of the initiative.")
    if not _is_lead_admin_acting(user, partnership.initiative):
        return Refusal("Only an admin of the lead organisation can accept partners.")
    expected = (
        Partnership.Status.INTERESTED
        if partnership.role == Partnership.Role.SUPPLIER
        else Partnership.Status.COMMITTED
    )
    if partnership.status != expected:
        return StateRefusal(
            "Only a committed (signed-off) partner or an interested supplier can be "
            f"accepted; this one is {partnership.get_status_display().lower()}."
        )
    return None


def can_accept_partnership(user, partnership: Partnership) -> bool:
    """See ``accept_refusal``."""
    return accept_refusal(user, partnership) is None


def decline_refusal(user, partnership: Partnership) -> Refusal | None:
    """The lead's admins decline a request that is INTERESTED or COMMITTED, or
    take back an invitation the other organisation has not answered (INVITED)."""
    if partnership.role == Partnership.Role.LEAD:
        return StateRefusal("The lead organisation cannot be declined.")
    if not _is_lead_admin_acting(user, partnership.initiative):
        return Refusal("Only an admin of the lead organisation can decline partners.")
    if partnership.status not in (
        Partnership.Status.INVITED,
        Partnership.Status.INTERESTED,
        Partnership.Status.COMMITTED,
    ):
        return StateRefusal(
            "Only an invited, interested or committed organisation can be declined; "
            f"this one is {partnership.get_status_display().lower()}."
        )
    return None


def can_decline_partnership(user, partnership: Partnership) -> bool:
    """See ``decline_refusal``."""
    return decline_refusal(user, partnership) is None


def can_decide_partnership(user, partnership: Partnership) -> bool:
    """Accept/decline: the lead's admins, while the partnership awaits a decision
    (``can_accept_partnership`` / ``can_decline_partnership`` say which)."""
    return can_accept_partnership(user, partnership) or can_decline_partnership(user, partnership)


def withdraw_refusal(user, partnership: Partnership) -> Refusal | None:
    """An organisation leaves on its own say-so: any of its active members while
    the partnership is only INVITED or INTERESTED, but once it has COMMITTED or
    is ACTIVE (a signed-off promise) only its admins. The lead cannot withdraw;
    it hands over the lead first."""
    if partnership.role == Partnership.Role.LEAD:
        return StateRefusal(
            "The lead organisation cannot withdraw. Hand over the lead to a partner first."
        )
    membership = _acting_membership(user)
    if (
        membership is None
        or membership.organisation_id != partnership.organisation_id
        or not can_view_initiative(user, partnership.initiative)
    ):
        return Refusal("Only the organisation's members can withdraw it.")
    if partnership.status not in Partnership.OPEN_STATUSES:
        return StateRefusal(
            f"This organisation is already {partnership.get_status_display().lower()}."
        )
    if partnership.status in Partnership.COMMITTED_STATUSES and not _is_admin(membership):
        return Refusal("Only the organisation's admins can withdraw a commitment.")
    return None


def can_withdraw(user, partnership: Partnership) -> bool:
    """See ``withdraw_refusal``."""
    return withdraw_refusal(user, partnership) is None


def hand_over_lead_refusal(user, initiative: Initiative) -> Refusal | None:
    """The lead's admins, when at least one committed or active partner council
    (not a supplier) could take over."""
    if not _is_lead_admin_acting(user, initiative):
        return Refusal("Only an admin of the lead organisation can hand over the lead.")
    if not eligible_new_leads(initiative):
        return StateRefusal(
            "The lead can only go to a committed or active partner council, not a supplier."
        )
    return None


def can_hand_over_lead(user, initiative: Initiative) -> bool:
    """See ``hand_over_lead_refusal``."""
    return hand_over_lead_refusal(user, initiative) is None


def invite_refusal(user, initiative: Initiative) -> Refusal | None:
    """The lead's admins invite councils or suppliers to join, once the
    initiative is out of draft (an invitee must be able to see it)."""
    if not _is_lead_admin_acting(user, initiative):
        return Refusal("Only an admin of the lead organisation can invite partners.")
    if initiative.visibility == Initiative.Visibility.DRAFT:
        return StateRefusal(
            "Publish the initiative (change its visibility from draft) before inviting "
            "partners, so they can see it."
        )
    return None


def can_invite_partner(user, initiative: Initiative) -> bool:
    """See ``invite_refusal``."""
    return invite_refusal(user, initiative) is None


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
    return partnership is not None and partnership.status in Partnership.COMMITTED_STATUSES


def can_comment(user, initiative: Initiative) -> bool:
    """Signed-in active members of an active organisation who can see the
    initiative join the discussion (staff moderate rather than comment)."""
    membership = _acting_membership(user)
    return membership is not None and can_view_initiative(user, initiative)


def comment_edit_window_open(comment: Comment) -> bool:
    """Authors may edit for ``Comment.EDIT_WINDOW_MINUTES`` after posting."""
    return timezone.now() - comment.created_at <= timedelta(minutes=Comment.EDIT_WINDOW_MINUTES)


def edit_comment_refusal(user, comment: Comment) -> Refusal | None:
    """The author alone, while the comment stands, within the edit window (so a
    reply is never left answering words that have since changed)."""
    if (
        user is None
        or not user.is_authenticated
        or not user.is_active
        or comment.author_id != user.pk
    ):
        return Refusal("Only the author can edit a comment.")
    if comment.deleted_at is not None:
        return StateRefusal("This comment has been deleted.")
    if not comment_edit_window_open(comment):
        return StateRefusal(EDIT_WINDOW_CLOSED)
    return None


def can_edit_comment(user, comment: Comment) -> bool:
    """See ``edit_comment_refusal``."""
    return edit_comment_refusal(user, comment) is None


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


def can_flag_comment(user, comment: Comment, *, can_view: bool | None = None) -> bool:
    """Any signed-in user who can see the comment may flag it for platform
    admins, except their own comment and deleted ones. A page listing many
    comments of one initiative passes ``can_view`` (asked once) so the policy
    asks the database nothing per comment."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if comment.deleted_at is not None or comment.author_id == user.pk:
        return False
    if can_view is None:
        can_view = can_view_initiative(user, comment.initiative)
    return can_view


def can_moderate(user) -> bool:
    """Platform admins (staff) resolve flagged comments."""
    return is_platform_admin(user)


def can_set_cost_shares(user, initiative: Initiative) -> bool:
    """The lead organisation's admins agree the custom split with partners and
    record it; nobody else may move money between councils' columns."""
    return is_lead_admin(user, initiative)
