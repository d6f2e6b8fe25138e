"""Dates and times in the GOV.UK style, in UK time: the filters themselves,
that no template formats a date any other way, and a page that shows one."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from core.dates import govuk_date, govuk_datetime, govuk_time
from initiatives.models import Comment
from tests import factories

UTC = datetime.UTC
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (at(2026, 12, 2, 5, 48), "5:48am"),  # GMT: UK time is UTC
        (at(2026, 7, 2, 4, 48), "5:48am"),  # BST: UK time is UTC+1
        (at(2026, 12, 2, 17, 5), "5:05pm"),
        (at(2026, 12, 2, 17, 0), "5pm"),
        (at(2026, 12, 2, 9, 0), "9am"),
        (at(2026, 12, 2, 12, 0), "midday"),
        (at(2026, 7, 2, 11, 0), "midday"),  # 11:00 UTC is midday in BST
        (at(2026, 12, 2, 0, 0), "midnight"),
        (at(2026, 7, 1, 23, 0), "midnight"),  # 23:00 UTC is midnight in BST
        (at(2026, 12, 2, 0, 30), "12:30am"),
        (at(2026, 12, 2, 12, 30), "12:30pm"),
        (at(2026, 12, 2, 23, 59), "11:59pm"),
        (datetime.time(5, 48), "5:48am"),
        (datetime.time(12, 0), "midday"),
        (None, ""),
        ("", ""),
    ],
)
def test_govuk_time(value, expected):
    assert govuk_time(value) == expected


def test_govuk_time_converts_other_zones_to_uk_time():
    new_york = ZoneInfo("America/New_York")
    assert govuk_time(at(2026, 12, 2, 0, 48, tz=new_york)) == "5:48am"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 12, 2), "2 December 2026"),
        (datetime.date(2026, 1, 31), "31 January 2026"),
        (at(2026, 12, 2, 5, 48), "2 December 2026"),
        # 11:30pm UTC on 30 June is already 1 July in the UK (BST).
        (at(2026, 6, 30, 23, 30), "1 July 2026"),
        # ...but in winter UK time is UTC, so the day stays.
        (at(2026, 12, 30, 23, 30), "30 December 2026"),
        (None, ""),
    ],
)
def test_govuk_date(value, expected):
    assert govuk_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (at(2026, 12, 2, 5, 48), "2 December 2026 at 5:48am"),
        (at(2026, 7, 2, 16, 48), "2 July 2026 at 5:48pm"),
        (at(2026, 12, 2, 12, 0), "2 December 2026 at midday"),
        (at(2026, 3, 29, 0, 59), "29 March 2026 at 12:59am"),  # last minute of GMT
        (at(2026, 3, 29, 1, 0), "29 March 2026 at 2am"),  # clocks go forward
        (at(2026, 10, 25, 0, 30), "25 October 2026 at 1:30am"),  # BST, first 1:30am
        (at(2026, 10, 25, 1, 30), "25 October 2026 at 1:30am"),  # GMT, second 1:30am
        (datetime.date(2026, 12, 2), "2 December 2026"),
        (None, ""),
    ],
)
def test_govuk_datetime(value, expected):
    assert govuk_datetime(value) == expected


def test_filters_in_a_template():
    template = Template(
        "{% load govuk %}{{ when|govuk_date }}|{{ when|govuk_time }}|{{ when|govuk_datetime }}"
    )
    rendered = template.render(Context({"when": at(2026, 7, 2, 4, 48)}))
    assert rendered == "2 July 2026|5:48am|2 July 2026 at 5:48am"


def test_no_template_formats_dates_for_people_with_the_date_filter():
    """``|date:`` and ``|time:`` are only for machine-readable attributes
    (``<time datetime="...">``); what people read goes through the GOV.UK filters."""
    offenders = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt") or not path.is_file():
            continue
        text = path.read_text()
        for match in re.finditer(r"\|(date|time)(:[^}\s]*)?", text):
            before = text[max(0, match.start() - 80) : match.start()]
            if re.search(r'datetime="\{\{[^}]*$', before):
                continue
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_a_comment_shows_its_time_in_the_govuk_style_in_uk_time(client, council):
    initiative = factories.make_initiative(council, title="Shared waste rounds")
    comment = factories.CommentFactory(
        initiative=initiative, author=factories.UserFactory(), body="Count us in."
    )
    # 4:48am UTC in July is 5:48am British Summer Time.
    Comment.objects.filter(pk=comment.pk).update(created_at=at(2026, 7, 2, 4, 48))
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "2 July 2026 at 5:48am" in html
    assert 'datetime="2026-07-02T05:48:00+01:00"' in html
    assert "a.m." not in html and "p.m." not in html


def test_month_and_year():
    import datetime

    from core.dates import govuk_month

    assert govuk_month(datetime.date(2027, 3, 31)) == "March 2027"
    assert govuk_month(None) == ""
