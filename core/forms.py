"""Form fields every app shares. Imports no app.

``PoundsField`` / ``parse_pounds`` are the one rule for money typed in
pounds, used by every money field.

``GovukErrorMessages`` (and the ``GovukForm`` / ``GovukModelForm`` bases
every project form derives from) words every error in the GOV.UK pattern,
naming the field ("Enter the title", "Title must be 200 characters or
fewer"), from the field's label (``core.error_messages``).

``GovukDateField`` is the GOV.UK date input (day, month and year boxes) with
GOV.UK's error wording. It used to exist twice (council profiles and
initiatives) with different messages and the same bug; this is the one copy.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from core.error_messages import govuk_field_messages

PART_NAMES = ("day", "month", "year")


class GovukErrorMessages:
    """Give every field GOV.UK error messages named after its label, unless
    the form wrote its own for that error.

    Applied when the form is cleaned rather than built, so fields a form adds
    in its own ``__init__`` (one per partner, say) are covered too.
    """

    def full_clean(self) -> None:
        self.apply_govuk_error_messages()
        super().full_clean()  # type: ignore[misc]

    def apply_govuk_error_messages(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.MultiValueField):
                continue  # judged as a whole, in its own words (GovukDateField)
            label = field.label or pretty_name(name)
            field.error_messages.update(govuk_field_messages(field, label))


class GovukForm(GovukErrorMessages, forms.Form):
    """The base of every project form."""


class GovukModelForm(GovukErrorMessages, forms.ModelForm):
    """The base of every project model form."""


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


# Money is typed in pounds and stored in whole pence. Only plain amounts are
# money: digits, an optional comma every three, up to two decimals, an
# optional leading "£" ("1,000,000", "1000000.50", "£300"); never "1e6",
# "Infinity" or "-5".
_PLAIN_POUNDS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
_TOO_PRECISE = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)\.\d{3,}$")


def parse_pounds(text: str | None, *, label: str, invalid: str, maximum_pence: int) -> int | None:
    """Whole pence for an amount typed in pounds, or None when nothing was
    typed. ``label`` names the amount in errors ("Estimated cost"); ``invalid``
    is the field's own "enter an amount like..." sentence."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > 30:
        raise ValidationError(invalid, code="invalid")
    cleaned = value.removeprefix("£").strip()
    if cleaned.startswith("-"):
        raise ValidationError(f"{label} must be £0 or more (it cannot be negative)", code="min")
    if not _PLAIN_POUNDS.match(cleaned):
        if _TOO_PRECISE.match(cleaned):
            raise ValidationError(
                f"{label} must be to the nearest penny: no more than 2 decimal places",
                code="precision",
            )
        raise ValidationError(invalid, code="invalid")
    pence = int(Decimal(cleaned.replace(",", "")) * 100)
    if pence > maximum_pence:
        raise ValidationError(f"{label} is too large", code="max")
    return pence


class PoundsField(forms.Field):
    """An amount typed in pounds, cleaned to whole pence (``parse_pounds``)."""

    widget = forms.TextInput

    def __init__(
        self, *, amount_label: str, invalid: str, maximum_pence: int, **kwargs: Any
    ) -> None:
        self.amount_label, self.invalid, self.maximum_pence = amount_label, invalid, maximum_pence
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        return parse_pounds(
            None if value is None else str(value),
            label=self.amount_label,
            invalid=self.invalid,
            maximum_pence=self.maximum_pence,
        )
