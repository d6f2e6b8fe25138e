"""Error messages in the GOV.UK pattern, naming the field. Imports no app.

GOV.UK error messages say what went wrong and how to fix it, in the field's
own words: "Enter the title", "Title must be 200 characters or fewer",
"Staff days pledged must be a whole number", "Start date must be a real
date". Django and DRF say "This field is required." or "Ensure this value has
at most 200 characters (it has 500)." without saying which field.

One rule set, three ways in:

- ``govuk_field_messages(field, label)`` gives a form field its messages
  (``core.forms.GovukErrorMessages`` applies it to every field of every
  project form, keeping any message a form wrote itself);
- ``translate(text, label)`` rewrites a Django or DRF default message that
  reached us as text (a model's ``full_clean`` inside a service, a
  serializer), used by ``core.doors.apply_service_errors`` and the API's
  exception handler;
- ``govuk_message(code, label, limit)`` words one kind of error.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

# What a label is called in the middle of a sentence keeps its own article
# or possessive ("your job title", "the lead"); others get "the".
_OWN_ARTICLE = ("the ", "a ", "an ", "your ", "our ", "its ")


_EMAIL_LABEL = re.compile(r"(your )?e-?mail( address)?", re.IGNORECASE)


def _clean_label(label: str) -> str:
    """The label without asides in brackets ("Reason (sent to the
    requester)", "Leeds share (%)") or a trailing colon."""
    text = re.sub(r"\s*\([^)]*\)", "", str(label or "")).strip().rstrip(":").strip()
    return text.replace("%", " per cent")


def _is_question(label: str) -> bool:
    return label.endswith("?")


def _subject(label: str) -> str:
    """The label at the start of a sentence: "Title must be ..."."""
    if _is_question(label):
        return f"Your answer to ‘{label}’"
    return label[:1].upper() + label[1:]


def _phrase(label: str) -> str:
    """The label after a verb: "Enter the title", "Select the role"."""
    first = label.split()[0] if label.split() else ""
    # Keep acronyms as written ("API token name", "GSS code"), not "E-mail".
    letters = re.sub(r"[^A-Za-z]", "", first)
    keep_case = len(letters) > 1 and letters.isupper()
    text = label if keep_case else label[:1].lower() + label[1:]
    return text if text.lower().startswith(_OWN_ARTICLE) else f"the {text}"


def _number(limit: Any) -> str:
    if isinstance(limit, int) and not isinstance(limit, bool):
        return f"{limit:,}"
    return str(limit)


def govuk_message(code: str, label: str, limit: Any = None, *, choose: bool = False) -> str:
    """The GOV.UK message for one kind of error on the field called ``label``.

    ``choose`` is for fields answered by choosing (radios, checkboxes,
    selects): "Select ..." rather than "Enter ...". ``limit`` is the number a
    limit-based code refers to.
    """
    label = _clean_label(label) or "this"
    question = _is_question(label)
    subject, n = _subject(label), _number(limit)
    if question:
        answer = f"an answer to ‘{label}’"
        enter = f"Select {answer}" if choose else f"Enter {answer}"
        phrase = f"‘{label}’" if choose else f"your answer to ‘{label}’"
    else:
        phrase = _phrase(label)
        enter = f"Select {phrase}" if choose else f"Enter {phrase}"
    # A field that is just "Email" reads as GOV.UK's own example.
    address = "an email address" if _EMAIL_LABEL.fullmatch(label) else phrase
    words = {
        "required": enter,
        "max_length": f"{subject} must be {n} characters or fewer",
        "min_length": f"{subject} must be {n} characters or more",
        "max_items": f"{subject} must have {n} items or fewer",
        "min_items": f"{subject} must have {n} items or more",
        "max_value": f"{subject} must be {n} or less",
        "min_value": f"{subject} must be {n} or more",
        "step_size": f"{subject} must be a multiple of {n}",
        "max_digits": f"{subject} must be {n} digits or fewer",
        "max_decimal_places": f"{subject} must have {n} decimal places or fewer",
        "max_whole_digits": f"{subject} must have {n} digits or fewer before the decimal point",
        "invalid_email": f"Enter {address} in the correct format, like name@council.gov.uk",
        "invalid_url": f"Enter {phrase} in the correct format, like https://www.example.gov.uk",
        "invalid_integer": f"{subject} must be a whole number",
        "invalid_number": f"{subject} must be a number",
        "invalid_date": f"{subject} must be a real date",
        "invalid_datetime": f"{subject} must be a real date and time",
        "invalid_time": f"{subject} must be a real time",
        "invalid_choice": f"Select one of the options given for {phrase}",
        "not_a_list": f"{subject} must be a list",
        "does_not_exist": f"{subject} must be one that exists on the platform",
        "incorrect_type": f"{subject} is the wrong type of value",
        "invalid_string": f"{subject} must be text",
        "invalid_boolean": f"{subject} must be true or false",
        "null_characters": f"{subject} must not contain null characters",
        "unique": f"{subject} is already in use",
        "incomplete": f"Enter all of {phrase}",
    }
    return words.get(code, f"Enter {phrase} in the correct format")


# Form fields -------------------------------------------------------------------------------

_CHOOSING = (
    forms.ChoiceField,
    forms.MultipleChoiceField,
    forms.ModelChoiceField,
    forms.ModelMultipleChoiceField,
    forms.BooleanField,
)
_INVALID = (
    (forms.EmailField, "invalid_email"),
    (forms.URLField, "invalid_url"),
    (forms.IntegerField, "invalid_integer"),
    (forms.DecimalField, "invalid_number"),
    (forms.FloatField, "invalid_number"),
    (forms.DateTimeField, "invalid_datetime"),
    (forms.DateField, "invalid_date"),
    (forms.TimeField, "invalid_time"),
)


def _default_messages(field: forms.Field) -> dict[str, str]:
    """The messages Django gives ``field``'s class, as ``Field.__init__`` merges them."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update({k: str(v) for k, v in getattr(cls, "default_error_messages", {}).items()})
    return messages


def govuk_field_messages(field: forms.Field, label: str) -> dict[str, str]:
    """Every message ``field`` can give, in GOV.UK words, for the codes where
    it still has Django's own (a message the form wrote itself is kept)."""
    choose = isinstance(field, _CHOOSING)
    invalid = next((code for cls, code in _INVALID if isinstance(field, cls)), "invalid")
    decimal_places = getattr(field, "decimal_places", None)
    max_digits = getattr(field, "max_digits", None)
    wanted: dict[str, str] = {
        "required": govuk_message("required", label, choose=choose),
        "invalid": govuk_message(invalid, label),
        "invalid_choice": govuk_message("invalid_choice", label, choose=True),
        "invalid_list": govuk_message("invalid_choice", label, choose=True),
        "invalid_pk_value": govuk_message("invalid_choice", label, choose=True),
        "max_length": govuk_message("max_length", label, getattr(field, "max_length", None)),
        "min_length": govuk_message("min_length", label, getattr(field, "min_length", None)),
        "max_value": govuk_message("max_value", label, getattr(field, "max_value", None)),
        "min_value": govuk_message("min_value", label, getattr(field, "min_value", None)),
        "step_size": govuk_message("step_size", label, getattr(field, "step_size", None)),
        "max_digits": govuk_message("max_digits", label, max_digits),
        "max_decimal_places": govuk_message("max_decimal_places", label, decimal_places),
        "max_whole_digits": govuk_message(
            "max_whole_digits",
            label,
            max_digits - decimal_places
            if max_digits is not None and decimal_places is not None
            else None,
        ),
        "null_characters_not_allowed": govuk_message("null_characters", label),
        "incomplete": govuk_message("incomplete", label),
    }
    defaults = _default_messages(field)
    own = field.error_messages
    return {
        code: message
        for code, message in wanted.items()
        if code not in own or str(own[code]) == defaults.get(code)
    }


# Messages that reached us as text -----------------------------------------------------------

_N = r"(?P<n>-?[\d,]+(?:\.\d+)?)"
# Django's form, model and validator messages and DRF's, as they read in
# English (LANGUAGE_CODE is en-gb), each with the kind of error it is.
_DEFAULTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"This field is required\.", "required"),
        (r"This field (cannot|may not) be (blank|null|empty)\.", "required"),
        (r"This list may not be empty\.", "required"),
        (rf"Ensure this (value|field) has (at most|no more than) {_N} characters?.*", "max_length"),
        (rf"Ensure this (value|field) has at least {_N} characters?.*", "min_length"),
        (rf"Ensure this field has no more than {_N} elements?\.", "max_items"),
        (rf"Ensure this field has at least {_N} elements?\.", "min_items"),
        (rf"Ensure this value is less than or equal to {_N}\.", "max_value"),
        (rf"Ensure this value is greater than or equal to {_N}\.", "min_value"),
        (rf"Ensure this value is a multiple of step size {_N}.*", "step_size"),
        (rf"Ensure that there are no more than {_N} digits? in total\.", "max_digits"),
        (rf"Ensure that there are no more than {_N} decimal places?\.", "max_decimal_places"),
        (
            rf"Ensure that there are no more than {_N} digits? before the decimal point\.",
            "max_whole_digits",
        ),
        (r"Enter a valid email address\.", "invalid_email"),
        (r"Enter a valid URL\.", "invalid_url"),
        (r"Enter a whole number\.|A valid integer is required\.", "invalid_integer"),
        (r".* value must be an integer\.", "invalid_integer"),
        (r"Enter a number\.|A valid number is required\.", "invalid_number"),
        (r".* value must be a decimal number\.", "invalid_number"),
        (r"Enter a valid date\.|Date has wrong format\..*", "invalid_date"),
        (r".* value has an invalid date format\..*", "invalid_date"),
        (r".* value has the correct format .* but it is an invalid date\.", "invalid_date"),
        (r"Enter a valid date/time\.|Datetime has wrong format\..*", "invalid_datetime"),
        (r"Enter a valid time\.|Time has wrong format\..*", "invalid_time"),
        (r"Select a valid choice\..*", "invalid_choice"),
        (r"\".*\" is not a valid choice\.|Value .* is not a valid choice\.", "invalid_choice"),
        (r"Enter a list of values\.|Expected a list of items but got type .*", "not_a_list"),
        (r".* is not a valid value\.", "invalid_choice"),
        (
            r"Object with .* does not exist\.|Invalid pk .* - object does not exist\.",
            "does_not_exist",
        ),
        (r"Incorrect type\. Expected .*", "incorrect_type"),
        (r"Not a valid string\.", "invalid_string"),
        (r"Must be a valid boolean\.|.* value must be either True or False\.", "invalid_boolean"),
        (r"Null characters are not allowed\.", "null_characters"),
        (r"Enter a valid value\.", "invalid"),
        (r"Enter a complete value\.", "incomplete"),
        (r".* with this .* already exists\.", "unique"),
    )
)


def default_kind(text: str) -> tuple[str, str | None] | None:
    """``(code, limit)`` when ``text`` is one of Django's or DRF's own
    messages, else None (a message written for people is left alone)."""
    for pattern, code in _DEFAULTS:
        match = pattern.fullmatch(str(text).strip())
        if match:
            limit = match.groupdict().get("n")
            return code, limit
    return None


def translate(text: str, label: str | None, *, choose: bool = False) -> str:
    """``text`` in GOV.UK words for the field called ``label`` when it is a
    framework default; anything else unchanged."""
    kind = default_kind(text) if label else None
    if kind is None:
        return text
    code, limit = kind
    return govuk_message(code, label, limit, choose=choose)


def label_for_key(name: str) -> str:
    """A field's label from its name in an API payload: ``start_date`` → "Start date"."""
    return name.replace("_", " ").strip().capitalize()
