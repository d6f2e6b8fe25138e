"""What the board's results panels, the summary, the closing e-mail and the
initiative page need from a workshop, as template tags over
``swot.selectors.results`` (templates never decide who may see what).

    {% load swot_results %}
    {% group_suggestions_for workshop participant as suggestions %}
    {% actions_board_for workshop participant as board %}
    {% participant_shown someone %}   {% action_owner action as owner %}
    {% initiative_origins initiative %}
    {% new_op_id %}

People are shown to the page's or message's viewer (``names_viewer`` in an
e-mail, else the request's user), the same rule as ``{% person %}``.
"""

from __future__ import annotations

import uuid

from django import template

from councils.templatetags.names import viewer_of

from .. import policies
from ..selectors import results

register = template.Library()

IGNORED_SESSION_KEY = "swot_ignored_suggestions"


def ignored_suggestions(session, workshop_id: int) -> list[str]:
    """The suggestion keys the facilitator set aside on this workshop (kept in
    their session: ignoring is their own view, nothing on the board changes)."""
    if session is None:
        return []
    found = (session.get(IGNORED_SESSION_KEY) or {}).get(str(workshop_id)) or []
    return [key for key in found if isinstance(key, str)]


@register.simple_tag(takes_context=True)
def group_suggestions_for(context, workshop, participant):
    request = context.get("request")
    session = getattr(request, "session", None)
    return results.group_suggestions(
        workshop, participant, ignored=ignored_suggestions(session, workshop.pk)
    )


@register.simple_tag(takes_context=True)
def ignored_suggestion_count(context, workshop, participant) -> int:
    """How many suggestions the facilitator set aside (offered back in the group phase)."""
    if not policies.is_facilitator(participant) or workshop.phase != workshop.Phase.GROUP:
        return 0
    request = context.get("request")
    return len(ignored_suggestions(getattr(request, "session", None), workshop.pk))


@register.simple_tag(takes_context=True)
def actions_board_for(context, workshop, participant):
    return results.actions_board(workshop, participant, viewer_of(context))


@register.simple_tag(takes_context=True)
def participant_shown(context, participant) -> str:
    return results.person_shown(viewer_of(context), participant)


@register.simple_tag(takes_context=True)
def action_owner(context, action) -> str:
    return results.owner_shown(viewer_of(context), action)


@register.simple_tag
def summary_author(summary, item) -> str:
    """Who wrote ``item`` as the summary's viewer may see them ("" when anonymous)."""
    return summary.author(item)


@register.simple_tag
def new_op_id() -> str:
    """A fresh client operation id for a no-script form: pressing the button
    twice (or the browser resending) applies the operation once."""
    return f"form-{uuid.uuid4().hex}"


@register.filter
def item_ids(items) -> list[int]:
    return [item.pk for item in items]


@register.filter
def contains(collection, value) -> bool:
    return value in collection


@register.inclusion_tag("swot/results/_origins.html", takes_context=True)
def initiative_origins(context, initiative):
    """ "Started from workshop X" on an initiative's page."""
    return {"origins": results.initiative_origins(initiative, viewer_of(context))}
