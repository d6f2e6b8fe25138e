"""What goes into one person's digest: built from the activity they may see
*now* (``selectors.activity``), for a period, and empty when there is
nothing to say (an empty digest is never sent).

The period starts where their last digest ended, or at their last visit if
that is later: a digest tells people what they have not seen, not what
happened since we last e-mailed them (Discourse PR #27035). Each section is
one query whatever the size of the platform, so building 20,000 digests is
20,000 times a small constant.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from councils.models import Membership, Organisation
from councils.selectors.people import active_membership_for, pending_memberships
from initiatives.models import Follow, Initiative, Partnership
from initiatives.selectors.initiative import visible_to as initiatives_visible_to
from initiatives.selectors.matching import InitiativeForYou, initiatives_for
from swot.models import Participant, Workshop

from ..models import Activity, NotificationSettings
from .activity import about_initiatives
from .feeds import FeedEntry, feed_entries

# A busy initiative shows its newest few lines and "and N more" with a link:
# the digest is a pointer back to the platform, not a copy of it.
LINES_PER_INITIATIVE = 5
MAX_INITIATIVES = 20
MAX_NEW_INITIATIVES = 5
MAX_WORKSHOPS = 10


@dataclass
class InitiativeNews:
    initiative: Initiative
    lines: list[FeedEntry] = field(default_factory=list)
    more: int = 0
    newest: datetime | None = None


# What a partner authority did, counted: (singular, plural) per verb.
PARTNER_DEEDS = {
    "update.posted": ("update posted", "updates posted"),
    "comment.posted": ("comment", "comments"),
    "partnership.interested": ("expression of interest", "expressions of interest"),
    "partnership.committed": ("commitment signed off", "commitments signed off"),
    "partnership.accepted": ("initiative joined", "initiatives joined"),
    "partnership.withdrawn": ("withdrawal", "withdrawals"),
    "initiative.created": ("initiative proposed", "initiatives proposed"),
    "initiative.stage_changed": ("stage moved on", "stages moved on"),
}


@dataclass
class PartnerNews:
    """One partner authority's period, in a line: "2 updates posted, 1
    commitment signed off, on 2 initiatives you share"."""

    organisation: Organisation
    counts: dict[str, int] = field(default_factory=dict)
    initiative_ids: set[int] = field(default_factory=set)

    @property
    def deeds(self) -> list[str]:
        return [
            f"{n} {PARTNER_DEEDS[verb][0 if n == 1 else 1]}"
            for verb, n in sorted(self.counts.items(), key=lambda pair: -pair[1])
        ]

    @property
    def initiative_count(self) -> int:
        return len(self.initiative_ids)


@dataclass
class Approvals:
    memberships: int = 0
    signoffs: int = 0

    @property
    def total(self) -> int:
        return self.memberships + self.signoffs


@dataclass
class Digest:
    user: object
    start: datetime
    end: datetime
    frequency: str
    organisation: Organisation | None = None
    initiatives: list[InitiativeNews] = field(default_factory=list)
    more_initiatives: int = 0
    partners: list[PartnerNews] = field(default_factory=list)
    new_initiatives: list[InitiativeForYou] = field(default_factory=list)
    workshops: list[Participant] = field(default_factory=list)
    approvals: Approvals | None = None

    @property
    def item_count(self) -> int:
        return (
            sum(len(news.lines) + news.more for news in self.initiatives)
            + len(self.new_initiatives)
            + len(self.workshops)
            + (self.approvals.total if self.approvals else 0)
        )

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0


def period_start_for(settings_row: NotificationSettings | None, start: datetime, end: datetime):
    """The later of the period's start and the person's last visit within it."""
    seen = settings_row.last_seen_at if settings_row is not None else None
    if seen is not None and start < seen < end:
        return seen
    return start


def _initiatives_of_interest(
    user, settings_row: NotificationSettings, membership: Membership | None
) -> QuerySet[Initiative] | None:
    """The initiatives whose news the person asked for (their council's and
    those they follow), or None when they asked for neither."""
    wanted = Q()
    if settings_row.topic_my_council and membership is not None:
        org_id = membership.organisation_id
        wanted |= Q(lead_organisation_id=org_id) | Q(
            pk__in=Partnership.objects.filter(
                organisation_id=org_id, status__in=Partnership.OPEN_STATUSES
            ).values("initiative_id")
        )
    if settings_row.topic_following:
        wanted |= Q(pk__in=Follow.objects.filter(user=user).values("initiative_id"))
    if not wanted:
        return None
    return Initiative.objects.filter(wanted)


def _initiative_news(
    user, settings_row, membership, start: datetime, end: datetime
) -> tuple[list[InitiativeNews], int, list[PartnerNews]]:
    interesting = _initiatives_of_interest(user, settings_row, membership)
    if interesting is None:
        return [], 0, []
    # Visibility is the initiatives' own (``visible_to``), applied now, as
    # ``visible_activities`` applies it; narrowed first to the initiatives of
    # interest, so the query has one subquery instead of every branch of the
    # feed filter (the digest is built 20,000 times a week).
    activity = (
        about_initiatives(
            Activity.objects.select_related("actor", "organisation"),
            initiatives_visible_to(user).filter(pk__in=interesting.values("pk")),
        )
        .filter(created_at__gt=start, created_at__lte=end)
        .exclude(actor=user)
        .order_by("-created_at", "-id")
    )
    # One query: the period's lines, newest first; bounded, so a flood on one
    # initiative cannot make a digest (or its build) unbounded.
    lines = list(activity[: MAX_INITIATIVES * LINES_PER_INITIATIVE * 4])
    by_initiative: OrderedDict[int, list[Activity]] = OrderedDict()
    for line in lines:
        by_initiative.setdefault(line.target_id, []).append(line)
    totals: dict[int, int] = {}
    if len(lines) == MAX_INITIATIVES * LINES_PER_INITIATIVE * 4:
        totals = dict(
            activity.values_list("target_id").annotate(n=Count("pk")).values_list("target_id", "n")
        )
    shown_ids = list(by_initiative)[:MAX_INITIATIVES]
    initiatives = Initiative.objects.select_related("lead_organisation").in_bulk(shown_ids)
    # The lines shown, worded as the feeds word them (who through {% person %},
    # acting for which council): one more query for all of them (the actors'
    # memberships; the initiatives are loaded already).
    shown_lines = [line for i in shown_ids for line in by_initiative[i][:LINES_PER_INITIATIVE]]
    entries = {
        entry.activity.pk: entry for entry in feed_entries(shown_lines, initiatives=initiatives)
    }
    news = []
    for initiative_id in shown_ids:
        initiative = initiatives.get(initiative_id)
        if initiative is None:
            continue
        rows = by_initiative[initiative_id]
        total = totals.get(initiative_id, len(rows))
        news.append(
            InitiativeNews(
                initiative=initiative,
                lines=[entries[row.pk] for row in rows[:LINES_PER_INITIATIVE]],
                more=max(0, total - LINES_PER_INITIATIVE),
                newest=rows[0].created_at,
            )
        )
    more_initiatives = max(0, len(by_initiative) - len(shown_ids))

    # "Your partner authorities this period": what councils other than the
    # person's own did on the initiatives they share, counted.
    # The council that acted: an update or comment is recorded against the
    # initiative's lead, with the author's council in ``data``.
    acted: list[tuple[int, Activity]] = []
    for line in lines:
        if line.verb not in PARTNER_DEEDS:
            continue
        org_id = line.data.get("organisation_id") if isinstance(line.data, dict) else None
        if org_id is None and line.verb in ("update.posted", "comment.posted"):
            continue
        acted.append((org_id or line.organisation_id, line))
    own_id = membership.organisation_id if membership else None
    wanted = {org_id for org_id, _ in acted if org_id and org_id != own_id}
    organisations = Organisation.objects.in_bulk(wanted) if wanted else {}
    partners: OrderedDict[int, PartnerNews] = OrderedDict()
    for org_id, line in acted:
        if org_id not in organisations:
            continue
        entry = partners.setdefault(org_id, PartnerNews(organisation=organisations[org_id]))
        entry.counts[line.verb] = entry.counts.get(line.verb, 0) + 1
        entry.initiative_ids.add(line.target_id)
    return news, more_initiatives, list(partners.values())[:10]


def build_digest(
    user,
    *,
    start: datetime,
    end: datetime,
    frequency: str,
    settings_row: NotificationSettings | None = None,
) -> Digest:
    """The digest ``user`` would get for ``start``–``end``, as they may see
    things now. Call it again and it says the same (nothing here writes)."""
    if settings_row is None:
        settings_row = NotificationSettings.objects.filter(user=user).first() or (
            NotificationSettings(user=user)
        )
    start = period_start_for(settings_row, start, end)
    membership = active_membership_for(user) if user.is_active else None
    digest = Digest(
        user=user,
        start=start,
        end=end,
        frequency=frequency,
        organisation=membership.organisation if membership else None,
    )
    if not user.is_active:
        return digest
    digest.initiatives, digest.more_initiatives, digest.partners = _initiative_news(
        user, settings_row, membership, start, end
    )
    if settings_row.topic_new_matching and membership is not None:
        # "Initiatives for you", created in the period: ranked and explained
        # exactly as on the dashboard (initiatives.selectors.matching).
        digest.new_initiatives = initiatives_for(
            user,
            organisation=membership.organisation,
            created_after=start,
            created_until=end,
            limit=MAX_NEW_INITIATIVES,
        )
    if settings_row.topic_workshops:
        digest.workshops = list(
            Participant.objects.filter(
                user=user,
                status__in=[Participant.Status.INVITED, Participant.Status.JOINED],
                created_at__gt=start,
                created_at__lte=end,
            )
            .exclude(workshop__phase=Workshop.Phase.CLOSED)
            .exclude(role=Participant.Role.FACILITATOR)
            .select_related("workshop", "workshop__owner")
            .order_by("workshop__scheduled_for", "-created_at")[:MAX_WORKSHOPS]
        )
    if (
        settings_row.topic_approvals
        and membership is not None
        and membership.role == Membership.Role.ADMIN
    ):
        digest.approvals = Approvals(
            memberships=pending_memberships(membership.organisation).count(),
            signoffs=Partnership.objects.filter(
                organisation_id=membership.organisation_id,
                status=Partnership.Status.INTERESTED,
            ).count(),
        )
    return digest


def next_digest_preview(user, *, now: datetime | None = None) -> Digest:
    """The digest ``user`` would get if it were sent now: from where their
    last one ended (or one period back) to now. For the staff preview and
    ``send_digests --user``; writes nothing."""
    from django.utils import timezone

    from .. import schedule
    from ..models import DigestFrequency

    now = now or timezone.now()
    row = NotificationSettings.objects.filter(user=user).first()
    frequency = row.digest_frequency if row is not None else DigestFrequency.WEEKLY
    if frequency == DigestFrequency.OFF:
        frequency = DigestFrequency.WEEKLY
    start = (row.digest_covered_until if row is not None else None) or (
        now - schedule.period_length(frequency)
    )
    return build_digest(
        user, start=start, end=now, frequency=frequency, settings_row=row or NotificationSettings()
    )


def due_settings(*, now: datetime) -> QuerySet[NotificationSettings]:
    """Whose digest is due at ``now`` (what the dispatcher would claim)."""
    from ..models import DigestFrequency

    return (
        NotificationSettings.objects.filter(next_digest_at__lte=now, user__is_active=True)
        .exclude(digest_frequency=DigestFrequency.OFF)
        .select_related("user")
        .order_by("next_digest_at", "pk")
    )


def due_digests(*, now: datetime) -> Iterator[tuple[NotificationSettings, Digest]]:
    """Each person due at ``now`` with the digest the dispatcher would send
    them, over the same period (``schedule.period_start``); writes nothing.
    ``send_digests --dry-run`` lists them."""
    from .. import schedule

    for row in due_settings(now=now).iterator(chunk_size=500):
        slot = row.next_digest_at
        start = schedule.period_start(
            covered_until=row.digest_covered_until, frequency=row.digest_frequency, slot=slot
        )
        yield (
            row,
            build_digest(
                row.user, start=start, end=slot, frequency=row.digest_frequency, settings_row=row
            ),
        )
