"""The one GOV.UK date field (``core.forms.GovukDateField``), used by council
profiles and initiatives alike."""

import datetime

import pytest
from django import forms

from core.forms import GovukDateField


class DateForm(forms.Form):
    when = GovukDateField(label="Start date", required=False)


class RequiredDateForm(forms.Form):
    when = GovukDateField(label="Start date")


def _form(form_class=DateForm, *, day="", month="", year=""):
    return form_class({"when_day": day, "when_month": month, "when_year": year})


def test_a_real_date_is_a_date():
    form = _form(day="1", month="4", year="2026")
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2026, 4, 1)


def test_blank_is_no_date_unless_required():
    form = _form()
    assert form.is_valid()
    assert form.cleaned_data["when"] is None
    required = _form(RequiredDateForm)
    assert not required.is_valid()
    assert required.errors["when"] == ["Enter the start date"]


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "3", "year": "2026"}, "Start date must include a month"),
        ({"year": "2026"}, "Start date must include a day and month"),
        ({"day": "31", "month": "2", "year": "2026"}, "Start date must be a real date"),
        ({"day": "1", "month": "4", "year": "26"}, "Start date must be a real date"),
        ({"day": "banana", "month": "4", "year": "2026"}, "Start date must be a real date"),
        # Too big for C: an OverflowError inside datetime.date, not a 500.
        (
            {"day": "99999999999999999999", "month": "4", "year": "2026"},
            "Start date must be a real date",
        ),
        (
            {"day": "1", "month": "99999999999999999999", "year": "2026"},
            "Start date must be a real date",
        ),
    ],
)
def test_a_bad_date_gives_the_fields_clear_error(parts, message):
    form = _form(**parts)
    assert not form.is_valid()
    assert form.errors["when"] == [message]


def test_values_stay_as_typed_when_redisplayed():
    form = _form(day="31", month="2", year="2026")
    assert not form.is_valid()
    html = str(form["when"])
    assert 'name="when_day"' in html and 'value="31"' in html
    assert 'inputmode="numeric"' in html


@pytest.mark.django_db
def test_a_huge_day_on_the_profile_form_is_its_error_not_a_500():
    """The page door shows the field's error for a date part too big for C."""
    from councils.forms.profiles import SystemForm

    form = SystemForm(
        {
            "supplier": "Idox",
            "product": "Uniform",
            "contract_end_date_day": "99999999999999999999",
            "contract_end_date_month": "3",
            "contract_end_date_year": "2027",
        }
    )
    assert not form.is_valid()
    assert form.errors["contract_end_date"] == ["Contract end date must be a real date"]


class TestParsePounds:
    """One rule for money typed in pounds, in every money field."""

    @staticmethod
    def parse(text):
        from core.forms import parse_pounds

        return parse_pounds(
            text, label="Estimated cost", invalid="Enter an amount", maximum_pence=10**12
        )

    @pytest.mark.parametrize(
        ("text", "pence"),
        [
            ("1,000,000", 100_000_000),
            ("1000000.50", 100_000_050),
            ("£300", 30_000),
            ("0.5", 50),
            ("", None),
            ("  ", None),
        ],
    )
    def test_plain_amounts(self, text, pence):
        assert self.parse(text) == pence

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("1e6", "Enter an amount"),
            ("Infinity", "Enter an amount"),
            ("NaN", "Enter an amount"),
            ("1,00,000", "Enter an amount"),
            ("12.345", "Estimated cost must be to the nearest penny: no more than 2 decimal"),
            ("-5", "Estimated cost must be £0 or more (it cannot be negative)"),
            ("99999999999", "Estimated cost is too large"),
            ("9" * 40, "Enter an amount"),
        ],
    )
    def test_anything_else_is_refused_with_a_reason(self, text, message):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
            self.parse(text)
