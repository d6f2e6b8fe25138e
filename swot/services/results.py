"""What a workshop leads to beyond the board: a draft initiative started from
a group or a TOWS strategy, and the summary e-mailed when the workshop
closes. Both are called by ``services.board`` inside its transaction, with
the workshop row locked.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.models import ServiceArea
from councils.selectors.people import active_membership_for
from initiatives.models import Initiative
from initiatives.services.initiative import create_initiative
from notifications import emails, outbox

from ..models import Group, InitiativeSource, Item, Participant, Strategy, Workshop
from ..selectors.results import summary

TITLE_MAX = 200
SUMMARY_MAX = 280


def _shortened(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to fit ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return (cut or text[: limit - 1]) + "…"


def draft_text(*, workshop: Workshop, name: str, items: Sequence[Item]) -> tuple[str, str, str]:
    """(title, summary, description) of a draft started from ``items``: the
    summary lists the items (shortened to the summary's 280 characters) and
    the description lists every one with its quadrant and votes."""
    title = _shortened(name, TITLE_MAX)
    listing = "; ".join(item.text for item in items)
    summary_text = _shortened(f"From the workshop “{workshop.title}”: {listing}", SUMMARY_MAX)
    labels = dict(Item._meta.get_field("quadrant").choices)
    lines = [f"Started from the SWOT workshop “{workshop.title}”.", ""]
    for item in items:
        votes = f" ({item.vote_count} vote{'s' if item.vote_count != 1 else ''})"
        lines.append(f"- {labels[item.quadrant]}: {item.text}{votes if item.vote_count else ''}")
    return title, summary_text, "\n".join(lines)


def draft_initiative(
    *,
    workshop: Workshop,
    by: Participant,
    group: Group | None = None,
    strategy: Strategy | None = None,
    items: Sequence[Item],
    service_areas: Sequence[ServiceArea],
) -> InitiativeSource:
    """Start a DRAFT initiative led by ``by``'s council from a group or a
    strategy, through the initiatives app's own ``create_initiative`` (its
    rules, its activity, its follow), and remember where it came from.
    ``by`` may propose initiatives (``policies.draft_initiative_refusal``,
    checked by the caller); the caller holds the workshop lock, so one
    group or strategy gets one draft however fast the button is pressed."""
    if (group is None) == (strategy is None):
        raise ValidationError({"group": ["Choose a group or a strategy to start from."]})
    taken = InitiativeSource.objects.filter(workshop=workshop)
    taken = taken.filter(group=group) if group is not None else taken.filter(strategy=strategy)
    if taken.exists():
        raise ValidationError(
            {
                "group" if group is not None else "strategy": [
                    "A draft initiative has already been started from this "
                    + ("group." if group is not None else "strategy.")
                ]
            }
        )
    membership = active_membership_for(by.user)
    title, summary_text, description = draft_text(
        workshop=workshop, name=group.name if group is not None else strategy.text, items=items
    )
    initiative = create_initiative(
        by=by.user,
        organisation=membership.organisation,
        title=title,
        summary=summary_text,
        description=description,
        service_areas=list(service_areas),
        visibility=Initiative.Visibility.DRAFT,
    )
    source = InitiativeSource.objects.create(
        workshop=workshop, initiative=initiative, group=group, strategy=strategy
    )
    source.items.set(items)
    return source


def closing_recipients(workshop: Workshop) -> list[str]:
    """Who hears that a workshop closed: everyone who joined with an account,
    and the addresses invited by e-mail (guests left no address)."""
    people = Participant.objects.filter(workshop=workshop).select_related("user")
    addresses = []
    for person in people:
        if person.status == Participant.Status.JOINED and person.user_id is not None:
            if person.user.is_active:
                addresses.append(person.user.email)
        elif person.status == Participant.Status.INVITED and person.user_id is None:
            addresses.append(person.email)
    return [address for address in addresses if address]


def send_closing_summary(*, workshop: Workshop, by: Participant | None) -> None:
    """E-mail the summary when the workshop closes (from inside the closing
    operation's transaction: sent only if the close is saved). Each message
    is rendered for its recipient; the summary carries no item's author, so
    anonymity holds whoever reads it, and the workshop is revealed by now."""
    results = summary(workshop, None, None)
    url = emails.absolute_url(reverse("swot:summary", kwargs={"pk": workshop.pk}))
    outbox.notify(
        verb="workshop.closed",
        actor=by.user if by is not None and by.user_id is not None else None,
        organisation=workshop.owner,
        target=workshop,
        summary=f"The workshop “{workshop.title}” closed",
        data={"actions": len(results.actions), "strategies": len(results.strategies)},
        emails=emails.workshop_closed(
            workshop, recipients=closing_recipients(workshop), summary=results, url=url
        ),
    )
