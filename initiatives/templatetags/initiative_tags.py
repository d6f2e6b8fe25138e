"""Template helpers for initiative pages that the shared govuk tags do not
cover: the GOV.UK date input (three boxes bound to one form field), the
colour of a partnership's status tag and the cost-sharing chart's geometry.
Presentation only: the selectors hand over data, these decide how it looks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template

from ..models import Partnership
from ..selectors.cost_sharing import CostSplit

register = template.Library()

# GOV.UK tag colour per partnership status (the text always names the status too).
STATUS_TAG_CLASSES = {
    Partnership.Status.INVITED: "govuk-tag--light-blue",
    Partnership.Status.INTERESTED: "govuk-tag--yellow",
    Partnership.Status.COMMITTED: "govuk-tag--blue",
    Partnership.Status.ACTIVE: "govuk-tag--green",
    Partnership.Status.DECLINED: "govuk-tag--red",
    Partnership.Status.WITHDRAWN: "govuk-tag--grey",
}


@register.filter
def partnership_tag_class(status: str) -> str:
    """``{{ partnership.status|partnership_tag_class }}``: the GOV.UK tag colour."""
    return STATUS_TAG_CLASSES.get(status, "govuk-tag--grey")


# Geometry of the cost-sharing bar chart, in SVG user units. The chart is
# decoration for sighted users; the table is its accessible equivalent.
CHART_WIDTH = 640
CHART_LABEL_WIDTH = 210
CHART_BAR_MAX = 300
CHART_ROW_HEIGHT = 40
CHART_BAR_HEIGHT = 24
CHART_LABEL_CHARS = 28


@dataclass(frozen=True)
class ChartBar:
    label: str
    y: int
    text_y: int
    share_width: float
    alone_width: float
    value_x: float
    share_pence: int


@dataclass(frozen=True)
class CostChart:
    width: int
    height: int
    bar_x: int
    bar_height: int
    bars: tuple[ChartBar, ...]


@register.simple_tag
def cost_chart(split: CostSplit) -> CostChart:
    """``{% cost_chart cost_sharing as chart %}``: one pair of bars per
    organisation (its share against going alone), scaled to the total."""
    total = split.total_pence or 0
    bars = []
    for index, row in enumerate(split.rows):
        name = row.name
        label = name if len(name) <= CHART_LABEL_CHARS else name[: CHART_LABEL_CHARS - 1] + "…"
        y = 10 + index * CHART_ROW_HEIGHT
        alone_width = CHART_BAR_MAX if total else 0
        bars.append(
            ChartBar(
                label=label,
                y=y,
                text_y=y + CHART_BAR_HEIGHT // 2 + 5,
                share_width=round(CHART_BAR_MAX * row.share_pence / total, 1) if total else 0,
                alone_width=alone_width,
                value_x=CHART_LABEL_WIDTH + alone_width + 8,
                share_pence=row.share_pence,
            )
        )
    return CostChart(
        width=CHART_WIDTH,
        height=20 + len(bars) * CHART_ROW_HEIGHT,
        bar_x=CHART_LABEL_WIDTH,
        bar_height=CHART_BAR_HEIGHT,
        bars=tuple(bars),
    )


def _parts(field) -> list[str]:
    value = field.value()
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list | tuple):
        return [str(part or "") for part in (list(value) + ["", "", ""])[:3]]
    return ["", "", ""]


@register.inclusion_tag("initiatives/includes/date_input.html")
def govuk_date_input(field):
    """Render a GovukDateField as the GOV.UK date input pattern. The day box
    carries the field's id, so error-summary links land on it."""
    day, month, year = _parts(field)
    base = field.auto_id
    return {
        "field": field,
        "error": field.errors[0] if field.errors else "",
        "parts": [
            {
                "label": "Day",
                "id": base,
                "name": f"{field.html_name}_day",
                "value": day,
                "width": 2,
            },
            {
                "label": "Month",
                "id": f"{base}_month",
                "name": f"{field.html_name}_month",
                "value": month,
                "width": 2,
            },
            {
                "label": "Year",
                "id": f"{base}_year",
                "name": f"{field.html_name}_year",
                "value": year,
                "width": 4,
            },
        ],
    }
