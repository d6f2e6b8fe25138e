"""Feeds: the activity the dashboard, an initiative page and a council page
show, and what each line needs to be drawn.

What a viewer may see is decided once, in ``selectors.activity``
(``visible_activities``: through what each activity is about, as it is
*now*); a feed only narrows that down to its subject. Lines are resolved in
bulk (``feed_entries``): one query for the initiatives, one for the
workshops and one for the actors' memberships of a whole page, whatever the
number of lines, so no feed runs a query per row.

People are never named here: a line carries the actor and the organisation
and role they act in, and the template prints them through ``{% person %}``,
which applies the names rule for the viewer. Summaries written by the
services are name-free; for the verbs whose older rows named people,
the line's text comes from the verb instead of the stored summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse

from councils.models import Membership, Organisation
from councils.selectors.people import active_membership_for
from initiatives.models import Follow, Initiative, Partnership
from swot.models import Workshop

from ..models import Activity
from .activity import about_initiatives, about_organisation, visible_activities

# How many lines a page's feed section shows before "See all activity".
SECTION_SIZE = 8
# Lines per page on a full feed page (as the catalogue's 25).
PAGE_SIZE = 25

# Verbs whose stored summaries once carried a person's name or address: the
# feed words these from the verb, so older rows cannot leak either.
_PHRASES = {
    "comment.posted": "commented on the discussion",
    "membership.approved": "approved a new member",
}


@dataclass(frozen=True)
class FeedEntry:
    """One line of a feed: who (``actor``, shown through ``{% person %}`` as
    acting for ``actor_organisation`` in ``actor_role``), what happened
    (``text``), the thing it is about (``label`` linking to ``url``) and when."""

    activity: Activity
    actor: object | None
    actor_organisation: Organisation | None
    actor_role: str
    text: str
    label: str
    url: str
    # The text carries on from the actor ("… posted an update: …"), so the
    # line reads as one sentence; otherwise it follows a colon.
    continues: bool = False

    @property
    def created_at(self):
        return self.activity.created_at


def dashboard_feed(user) -> QuerySet[Activity]:
    """An officer's dashboard: activity about the initiatives their council
    leads or takes part in (an open partnership), those they follow, and
    their council itself. Empty without an active membership."""
    membership = active_membership_for(user)
    if membership is None:
        return Activity.objects.none()
    ours = Partnership.objects.filter(
        organisation_id=membership.organisation_id, status__in=Partnership.OPEN_STATUSES
    ).values("initiative_id")
    followed = Follow.objects.filter(user=user).values("initiative_id")
    initiatives = Initiative.objects.filter(Q(pk__in=ours) | Q(pk__in=followed))
    visible = visible_activities(user)
    return about_initiatives(visible, initiatives) | about_organisation(
        visible, membership.organisation
    )


def initiative_feed(user, initiative: Initiative) -> QuerySet[Activity]:
    """An initiative page: its activity, as far as ``user`` may see it (an
    anonymous visitor sees a public initiative's)."""
    return about_initiatives(visible_activities(user), Initiative.objects.filter(pk=initiative.pk))


def council_feed(user, organisation: Organisation) -> QuerySet[Activity]:
    """A council page: what the council did and what happened to the
    initiatives it leads, as far as ``user`` may see it."""
    return about_organisation(visible_activities(user), organisation)


def _initiative_url(initiative: Initiative) -> str:
    return initiative.get_absolute_url()


def _workshop_url(workshop: Workshop) -> str:
    # Anyone shown a workshop's activity is a participant or, once it has
    # closed with its results shared, may read the summary.
    if workshop.phase == Workshop.Phase.CLOSED:
        return reverse("swot:summary", kwargs={"pk": workshop.pk})
    return reverse("swot:detail", kwargs={"pk": workshop.pk})


def feed_entries(
    activities: Iterable[Activity], *, initiatives: dict[int, Initiative] | None = None
) -> list[FeedEntry]:
    """The lines for ``activities`` (already narrowed to what the viewer may
    see), resolved in bulk: three queries for any number of lines (the
    initiatives, the workshops and the actors' active memberships)."""
    activities = list(activities)
    initiative_type = ContentType.objects.get_for_model(Initiative)
    workshop_type = ContentType.objects.get_for_model(Workshop)
    ids: dict[int, set[int]] = {initiative_type.pk: set(), workshop_type.pk: set()}
    for activity in activities:
        if activity.target_type_id in ids and activity.target_id is not None:
            ids[activity.target_type_id].add(activity.target_id)
    # A caller that has the initiatives already (the digest) passes them.
    if initiatives is None:
        initiatives = (
            Initiative.objects.only("pk", "title", "slug").in_bulk(ids[initiative_type.pk])
            if ids[initiative_type.pk]
            else {}
        )
    workshops = (
        Workshop.objects.only("pk", "title", "phase").in_bulk(ids[workshop_type.pk])
        if ids[workshop_type.pk]
        else {}
    )
    actor_ids = {activity.actor_id for activity in activities if activity.actor_id}
    memberships = (
        {
            membership.user_id: membership
            for membership in Membership.objects.filter(
                user_id__in=actor_ids, status=Membership.Status.ACTIVE
            ).select_related("organisation")
        }
        if actor_ids
        else {}
    )

    entries = []
    for activity in activities:
        label, url = "", ""
        if activity.target_type_id == initiative_type.pk:
            initiative = initiatives.get(activity.target_id)
            if initiative is not None:
                label, url = initiative.title, _initiative_url(initiative)
        elif activity.target_type_id == workshop_type.pk:
            workshop = workshops.get(activity.target_id)
            if workshop is not None:
                label, url = workshop.title, _workshop_url(workshop)
        if not url and activity.organisation is not None:
            label = activity.organisation.name
            url = activity.organisation.get_absolute_url()
        membership = memberships.get(activity.actor_id)
        organisation = membership.organisation if membership else None
        text, continues = _PHRASES.get(activity.verb), True
        if text is None:
            text, continues = activity.summary, False
            # "Leeds posted an update: …" by someone acting for Leeds reads
            # "Oliver Bennett (Leeds) posted an update: …", not the council twice.
            if organisation is not None and text.startswith(f"{organisation.name} "):
                text, continues = text[len(organisation.name) + 1 :], True
        entries.append(
            FeedEntry(
                activity=activity,
                actor=activity.actor,
                actor_organisation=organisation,
                actor_role=membership.role if membership else Membership.Role.MEMBER,
                text=text,
                label=label,
                url=url,
                continues=continues and activity.actor is not None,
            )
        )
    return entries


__all__ = [
    "PAGE_SIZE",
    "SECTION_SIZE",
    "FeedEntry",
    "council_feed",
    "dashboard_feed",
    "feed_entries",
    "initiative_feed",
]
