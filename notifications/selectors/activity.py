"""Which activity a person may see, decided when it is read.

An activity is shown through what it is about, as that is *now*: an
initiative made private after the fact disappears from every feed and
digest at once, a workshop's activity reaches only the people who may see
that workshop. Nothing about visibility is copied onto the activity row when
it is written. Only the verbs a partner cares about are feed material; the
rest of the log (tokens, register imports, e-mail domains) stays in the
admin.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from councils.models import Organisation
from councils.selectors.directory import visible_organisations
from initiatives.models import Initiative
from initiatives.selectors.initiative import visible_to as initiatives_visible_to
from swot.models import Workshop
from swot.selectors.workshops import visible_workshops

from ..models import Activity

# Activity about an initiative (its target is the initiative).
INITIATIVE_VERBS = frozenset(
    {
        "initiative.created",
        "initiative.updated",
        "initiative.stage_changed",
        "initiative.lead_handed_over",
        "initiative.cost_shares_set",
        "partnership.interested",
        "partnership.committed",
        "partnership.accepted",
        "partnership.declined",
        "partnership.withdrawn",
        "partnership.invited",
        "comment.posted",
        "update.posted",
    }
)
# Activity about a workshop (its target is the workshop).
WORKSHOP_VERBS = frozenset(
    {"workshop.scheduled", "workshop.invited", "workshop.closed", "workshop.results_shared"}
)
# Activity about a council itself (``organisation`` is the council).
COUNCIL_VERBS = frozenset(
    {
        "organisation.activated",
        "membership.approved",
        "profile.system_added",
        "profile.system_updated",
        "profile.need_added",
        "profile.skill_offered",
    }
)
FEED_VERBS = INITIATIVE_VERBS | WORKSHOP_VERBS | COUNCIL_VERBS


def _content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def visibility_filter(user) -> Q:
    """The condition an activity meets to be shown to ``user``: one Q, built
    from subqueries, so any feed stays a single query whatever the data."""
    initiative_type = _content_type(Initiative)
    workshop_type = _content_type(Workshop)
    return (
        Q(
            verb__in=INITIATIVE_VERBS,
            target_type=initiative_type,
            target_id__in=initiatives_visible_to(user).values("pk"),
        )
        | Q(
            verb__in=WORKSHOP_VERBS,
            target_type=workshop_type,
            target_id__in=visible_workshops(user).values("pk"),
        )
        | Q(
            verb__in=COUNCIL_VERBS,
            organisation__in=visible_organisations(user).values("pk"),
        )
    )


def visible_activities(user) -> QuerySet[Activity]:
    """Feed-worthy activity ``user`` may see now, newest first, with what a
    feed line shows (actor, organisation) loaded in the same query."""
    return (
        Activity.objects.filter(visibility_filter(user))
        .select_related("actor", "organisation", "target_type")
        .order_by("-created_at", "-id")
    )


def about_initiatives(
    qs: QuerySet[Activity], initiatives: QuerySet[Initiative]
) -> QuerySet[Activity]:
    """Narrow ``qs`` to activity about these initiatives."""
    return qs.filter(
        verb__in=INITIATIVE_VERBS,
        target_type=_content_type(Initiative),
        target_id__in=initiatives.values("pk"),
    )


def about_organisation(qs: QuerySet[Activity], organisation: Organisation) -> QuerySet[Activity]:
    """Narrow ``qs`` to what a council page shows: what the council did, and
    what happened to initiatives it leads."""
    return qs.filter(
        Q(organisation=organisation)
        | Q(
            verb__in=INITIATIVE_VERBS,
            target_type=_content_type(Initiative),
            target_id__in=Initiative.objects.filter(lead_organisation=organisation).values("pk"),
        )
    )


__all__ = [
    "COUNCIL_VERBS",
    "FEED_VERBS",
    "INITIATIVE_VERBS",
    "WORKSHOP_VERBS",
    "about_initiatives",
    "about_organisation",
    "visibility_filter",
    "visible_activities",
]
