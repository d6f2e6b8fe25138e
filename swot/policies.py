"""Who may do what in a workshop. One predicate per decision, used by the
pages, the API, the board's websocket consumer and the templates.

Most decisions are about a *participant* (``swot.models.Participant``), not
a user: guests have no account, and a user's rights in a workshop come from
their place in it, not from their council. The doors resolve the viewer
with ``selectors.participant_for`` and pass it here.

``*_refusal`` functions return a ``core.doors.Refusal`` (this person may
not) or ``StateRefusal`` (nobody may, in this phase), or ``None``; services
raise them through ``core.doors.enforce`` so every door tells the same rule
in the same words.
"""

from __future__ import annotations

from core.doors import Refusal, StateRefusal
from councils.models import Membership
from councils.selectors.people import active_membership_for
from initiatives.policies import can_create_initiative

from .models import Action, Item, Participant, Strategy, Workshop

P = Workshop.Phase

# Which board operations each phase allows (enforced on the server). Facilitator-only
# operations are further restricted by ``FACILITATOR_ONLY``.
PHASE_OPERATIONS: dict[str, frozenset[str]] = {
    P.SETUP: frozenset({"phase.set", "timer.start", "timer.stop"}),
    P.BRAINSTORM: frozenset(
        {
            "item.add",
            "item.edit",
            "item.delete",
            "item.move",
            "brainstorm.reveal",
            "phase.set",
            "timer.start",
            "timer.stop",
        }
    ),
    P.GROUP: frozenset(
        {
            "item.edit",
            "item.move",
            "item.delete",
            "group.create",
            "group.add",
            "group.rename",
            "item.ungroup",
            "phase.set",
            "timer.start",
            "timer.stop",
        }
    ),
    P.VOTE: frozenset({"vote.add", "vote.remove", "phase.set", "timer.start", "timer.stop"}),
    P.ACTIONS: frozenset(
        {
            "action.add",
            "action.edit",
            "action.delete",
            "strategy.add",
            "strategy.delete",
            "initiative.draft",
            "phase.set",
            "timer.start",
            "timer.stop",
        }
    ),
    P.CLOSED: frozenset(),
}

OPERATIONS = frozenset().union(*PHASE_OPERATIONS.values())

FACILITATOR_ONLY = frozenset(
    {
        "phase.set",
        "timer.start",
        "timer.stop",
        "brainstorm.reveal",
        "group.create",
        "group.add",
        "group.rename",
        "item.ungroup",
    }
)

# The order the facilitator normally moves through. Going back one phase is
# allowed (a brainstorm re-opened for a late idea); closing is final.
PHASE_ORDER = [P.SETUP, P.BRAINSTORM, P.GROUP, P.VOTE, P.ACTIONS, P.CLOSED]

NOT_A_PARTICIPANT = Refusal("You are not taking part in this workshop.")
FACILITATORS_ONLY = Refusal("Only the workshop's facilitators can do that.")
CLOSED = StateRefusal("This workshop has closed.")


def _acting_membership(user) -> Membership | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    membership = active_membership_for(user)
    if membership is None or not membership.organisation.is_active:
        return None
    return membership


def can_create_workshop(user) -> bool:
    """Facilitators and council admins of an active organisation run workshops."""
    membership = _acting_membership(user)
    return membership is not None and membership.role in (
        Membership.Role.FACILITATOR,
        Membership.Role.ADMIN,
    )


def is_present(participant: Participant | None) -> bool:
    """Whether ``participant`` may be in the workshop now: joined, not removed,
    and, for a guest, only while the workshop is open. A user's account must
    still be active."""
    if participant is None or participant.status != Participant.Status.JOINED:
        return False
    if participant.user_id is not None and not participant.user.is_active:
        return False
    return not (participant.is_guest and participant.workshop.is_closed)


def can_view_workshop(participant: Participant | None) -> bool:
    """Workshops are private to their participants."""
    return is_present(participant)


def can_view_results(user, workshop: Workshop, participant: Participant | None = None) -> bool:
    """A closed workshop's summary: its participants (not guests, whose access ends
    with the workshop), and any signed-in member when the facilitator shared it."""
    if participant is not None and is_present(participant) and not participant.is_guest:
        return True
    if workshop.results_shared and workshop.is_closed:
        return _acting_membership(user) is not None or bool(
            user is not None and user.is_authenticated and user.is_staff
        )
    return False


def is_facilitator(participant: Participant | None) -> bool:
    return is_present(participant) and participant.is_facilitator


def can_manage_workshop(participant: Participant | None) -> bool:
    """Edit details and options, invite and remove people, switch the guest link."""
    return is_facilitator(participant)


def manage_refusal(participant: Participant | None) -> Refusal | None:
    if not is_present(participant):
        return NOT_A_PARTICIPANT
    if not participant.is_facilitator:
        return FACILITATORS_ONLY
    return None


def operation_refusal(
    participant: Participant | None, workshop: Workshop, kind: str
) -> Refusal | None:
    """May ``participant`` perform board operation ``kind`` now? The phase
    decides which operations exist at all; facilitators alone move the
    workshop along and organise the board."""
    if not is_present(participant) or participant.workshop_id != workshop.pk:
        return NOT_A_PARTICIPANT
    if kind not in OPERATIONS:
        return StateRefusal(f"Unknown operation '{kind}'.")
    if workshop.is_closed:
        return CLOSED
    if kind not in PHASE_OPERATIONS[workshop.phase]:
        return StateRefusal(
            f"You cannot do that during the {workshop.get_phase_display().lower()} phase."
        )
    if kind in FACILITATOR_ONLY and not participant.is_facilitator:
        return FACILITATORS_ONLY
    return None


def item_change_refusal(participant: Participant, item: Item) -> Refusal | None:
    """Edit, move or delete an item: its author, or a facilitator."""
    if participant.is_facilitator or item.author_id == participant.pk:
        return None
    return Refusal("You can only change your own items.")


def action_change_refusal(participant: Participant, action: Action) -> Refusal | None:
    """Edit or delete an action: whoever added it, or a facilitator."""
    if participant.is_facilitator or action.created_by_id == participant.pk:
        return None
    return Refusal("You can only change actions you added.")


def strategy_change_refusal(participant: Participant, strategy: Strategy) -> Refusal | None:
    """Delete a strategy: whoever added it, or a facilitator."""
    if participant.is_facilitator or strategy.created_by_id == participant.pk:
        return None
    return Refusal("You can only remove strategies you added.")


def draft_initiative_refusal(participant: Participant | None) -> Refusal | None:
    """Start a draft initiative from the board: someone taking part with an
    account who may propose initiatives for their council (the initiatives
    app's own rule; the draft is led by that council). Guests have no council
    to lead it."""
    if not is_present(participant):
        return NOT_A_PARTICIPANT
    if participant.user_id is None:
        return Refusal("Sign in with a council account to start an initiative.")
    if not can_create_initiative(participant.user):
        return Refusal("Only members of a council or public body can start initiatives.")
    return None


def may_draft_initiative(participant: Participant | None) -> bool:
    return draft_initiative_refusal(participant) is None


def phase_change_refusal(workshop: Workshop, to_phase: str) -> Refusal | None:
    if to_phase not in P.values:
        return StateRefusal(f"'{to_phase}' is not a phase.")
    if workshop.is_closed:
        return CLOSED
    here = PHASE_ORDER.index(workshop.phase)
    there = PHASE_ORDER.index(to_phase)
    if there == here:
        return StateRefusal(f"The workshop is already in the {workshop.get_phase_display()} phase.")
    if there < here - 1:
        return StateRefusal("You can only go back one phase.")
    return None


def may_see_author(viewer: Participant | None, *, workshop: Workshop, author_id: int) -> bool:
    """Anonymous items never carry their author to anyone but the author."""
    if not workshop.anonymous_items:
        return True
    return viewer is not None and viewer.pk == author_id


def may_receive_item(viewer: Participant | None, *, workshop: Workshop, author_id: int) -> bool:
    """Private brainstorm: until revealed, an item reaches only its author and
    the facilitators (who must see the board to run it and to scribe)."""
    if not workshop.hides_items():
        return True
    if viewer is None:
        return False
    return viewer.pk == author_id or viewer.is_facilitator


def join_as_guest_refusal(workshop: Workshop) -> Refusal | None:
    if workshop.is_closed:
        return CLOSED
    if not workshop.guest_link_enabled or not workshop.join_code_hash:
        return StateRefusal("This workshop is not taking guests.")
    return None
