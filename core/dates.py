"""Dates and times written the GOV.UK way, in UK time. Imports no app.

The GOV.UK style guide writes "2 December 2026", "5:48am", "5pm", "midday"
and "midnight", never Django's "5:48 a.m." (its ``a`` format is the Associated
Press style) or "17:48". Every page and e-mail formats through these
functions (the ``govuk_date``, ``govuk_time`` and ``govuk_datetime`` template
filters in ``core.templatetags.govuk``), so the style is decided once.

Times are stored in UTC; people read them in UK time (``Europe/London``:
GMT in winter, BST in summer), whatever the server's clock says.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")
# Month names spelt here rather than by strftime("%B"), which follows the
# process's C locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _uk(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime in UK time; a naive one is taken to be UK time already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UK_TIME)


def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    """``2 December 2026`` (no leading zero, the month in full). For a
    datetime, the day it is in the UK."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _uk(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def govuk_month(value: datetime.date | datetime.datetime | None) -> str:
    """``March 2027``: a month and year, for dates only that precise (a
    contract's end shown as a rough horizon)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _uk(value).date()
    return f"{MONTHS[value.month - 1]} {value.year}"


def govuk_time(value: datetime.datetime | datetime.time | None) -> str:
    """``5:48am``, ``5pm`` on the hour, ``midday`` and ``midnight``, in UK time."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _uk(value).time()
    hour, minute = value.hour, value.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


def govuk_datetime(value: datetime.datetime | None) -> str:
    """``2 December 2026 at 5:48am``, in UK time."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        return govuk_date(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"
