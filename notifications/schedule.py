"""When digests fall due: slots in UK time, instants in UTC.

People choose "Monday at 08:00" on a British clock, so a slot is computed as
a local wall-clock time in Europe/London and only then turned into UTC: the
same digest goes out at 08:00 GMT in winter and 08:00 BST in summer, once,
across both clock changes. An hour that does not exist on the day the clocks
go forward (01:00–01:59) is sent at the first real instant after it; an hour
that happens twice when they go back is sent the first time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from .models import DigestFrequency

UK = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")

# A slot missed (the dispatcher or broker was down) is still sent if it is
# at most this late; older ones are skipped rather than arrive days late.
CATCH_UP = timedelta(hours=36)


def local_slot(day: date, hour: int) -> datetime:
    """The UTC instant of ``hour``:00 on ``day`` on a British clock."""
    # fold=0: a wall time that happens twice (autumn) means the first one; one
    # that does not exist (spring) takes the offset before the change, which
    # lands on the first real instant after the gap (01:30 GMT -> 02:30 BST).
    return datetime.combine(day, time(hour)).replace(tzinfo=UK, fold=0).astimezone(UTC)


def next_slot(*, frequency: str, weekday: int, hour: int, after: datetime) -> datetime | None:
    """The first slot strictly after ``after`` for this schedule, or None when
    digests are off."""
    if frequency == DigestFrequency.OFF:
        return None
    day = after.astimezone(UK).date()
    for offset in range(0, 9):
        candidate_day = day + timedelta(days=offset)
        if frequency == DigestFrequency.WEEKLY and candidate_day.weekday() != weekday:
            continue
        slot = local_slot(candidate_day, hour)
        if slot > after:
            return slot
    raise AssertionError("a weekly slot always falls within nine days")  # pragma: no cover


def period_key(frequency: str, slot: datetime) -> str:
    """The name of the period a slot closes, unique per person: ``daily:`` or
    ``weekly:`` and the slot's UK date."""
    return f"{frequency}:{slot.astimezone(UK).date().isoformat()}"


def period_start(*, covered_until: datetime | None, frequency: str, slot: datetime) -> datetime:
    """Where the period a slot closes begins: at the end of the last digest,
    or one period back for someone who has had none."""
    return covered_until or slot - period_length(frequency)


def period_length(frequency: str) -> timedelta:
    return timedelta(days=7) if frequency == DigestFrequency.WEEKLY else timedelta(days=1)


def now() -> datetime:
    return timezone.now()
