"""Form fields every app shares. Imports no app.

``GovukDateField`` is the GOV.UK date input (day, month and year boxes) with
GOV.UK's error wording. It used to exist twice (council profiles and
initiatives) with different messages and the same bug; this is the one copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

PART_NAMES = ("day", "month", "year")


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes. Values stay as typed so a mistake can be
    shown back to the person who made it; each app's template (or template
    tag) renders the boxes with the day box carrying the field's id."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            widgets={name: forms.TextInput(attrs={"inputmode": "numeric"}) for name in PART_NAMES},
            attrs=attrs,
        )

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year.

    The parts are judged together in ``compress`` so every error names the
    field ("Start date must include a month"), rather than MultiValueField's
    per-part "Enter a whole number" without context.
    """

    widget = GovukDateWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        fields = tuple(forms.CharField(required=False) for _ in PART_NAMES)
        super().__init__(fields=fields, require_all_fields=False, label=label, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        # Skip MultiValueField's generic required message and per-part checks.
        return self.compress(list(value) if isinstance(value, list | tuple) else [])

    def compress(self, data_list: Sequence[Any]) -> datetime.date | None:
        parts = [str(part or "").strip() for part in (list(data_list) + ["", "", ""])[:3]]
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter the {self.label.lower()}", code="required")
            return None
        missing = [name for name, part in zip(PART_NAMES, parts, strict=True) if not part]
        if missing:
            raise ValidationError(
                f"{self.label} must include a {' and '.join(missing)}", code="incomplete"
            )
        day, month, year = parts
        try:
            if len(year) != 4 or not all(part.isdecimal() for part in parts):
                raise ValueError
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            # OverflowError: a part too big for C (day 99999999999999999999) is
            # as unreal a date as 31 February, not a server error.
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from None
