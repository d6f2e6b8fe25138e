"""Template helpers for initiative pages that the shared govuk tags do not
cover: the GOV.UK date input (three boxes bound to one form field)."""

import datetime

from django import template

register = template.Library()


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
