"""Every form's errors are GOV.UK error messages that name the field.

The forms are found, not listed: every form class in the project's form
modules (and allauth's forms as the platform configures them) is filled
with nothing, with over-long text and with wrong kinds of value, and no
message may be one of Django's defaults ("This field is required.",
"Ensure this value has at most 200 characters (it has 500).", "Enter a
valid URL."). A new form is covered without anyone adding it; one that needs
arguments to be built fails here until ``FORM_ARGUMENTS`` says how.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from allauth.core import context as allauth_context
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.http import QueryDict
from django.test import RequestFactory
from django_filters import FilterSet

from core.error_messages import default_kind
from core.forms import GovukDateField, GovukErrorMessages
from councils.models import Organisation
from initiatives.models import Partnership
from tests import factories

pytestmark = pytest.mark.django_db

FORM_PACKAGES = ("councils.forms", "initiatives.forms")
FORM_MODULES = ("accounts.forms", "accounts.allauth_forms")
# Django's and DRF's phrasings that must never reach a person.
DEFAULT_PHRASES = (
    "This field",
    "Ensure this",
    "Ensure that",
    "Enter a valid",
    "Select a valid choice",
    "Enter a whole number.",
    "Enter a number.",
    "Enter a list of values",
    "is not one of the available choices",
    "%(",
)
STOPWORDS = {"the", "and", "for", "you", "your", "with", "this", "what", "who", "how", "its"}


def _modules():
    for package_name in FORM_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{package_name}.{info.name}")
    for name in FORM_MODULES:
        yield importlib.import_module(name)


def _form_classes():
    seen = []
    for module in _modules():
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ != module.__name__:
                continue
            if issubclass(obj, forms.BaseForm | FilterSet) and not obj.__name__.startswith("_"):
                seen.append(obj)
    return seen


FORM_CLASSES = _form_classes()


@pytest.fixture
def world(council, officer, other_council):
    initiative = factories.make_initiative(council)
    return {
        "user": officer,
        "organisation": council,
        "organisations": Organisation.objects.filter(pk=other_council.pk),
        "partnerships": Partnership.objects.filter(initiative=initiative).select_related(
            "organisation"
        ),
    }


# How to build the forms that need more than data (by class name).
FORM_ARGUMENTS = {
    "InitiativeForm": ("organisation",),
    "CostSharesForm": ("partnerships",),
    "HandOverLeadForm": ("organisations",),
    "InviteForm@initiatives.forms.partnerships": ("organisations",),
    "ChangePasswordForm": ("user",),
    "AddEmailForm": ("user",),
    "ReauthenticateForm": ("user",),
    "ResetPasswordKeyForm": ("user",),
    "AuthenticateForm": ("user",),
    "ReauthenticateMfaForm": ("user",),
    "ActivateTOTPForm": ("user",),
}


def _arguments(form_class, world):
    names = FORM_ARGUMENTS.get(
        f"{form_class.__name__}@{form_class.__module__}",
        FORM_ARGUMENTS.get(form_class.__name__, ()),
    )
    return {name: world[name] for name in names}


def build(form_class, data, world):
    kwargs = _arguments(form_class, world)
    if issubclass(form_class, FilterSet):
        return form_class(data, queryset=Organisation.objects.all()).form
    try:
        return form_class(data=data, **kwargs)
    except TypeError as exc:  # pragma: no cover - tells the author of a new form what to do
        pytest.fail(f"{form_class.__name__} needs arguments: add it to FORM_ARGUMENTS ({exc})")


def _field_values(field: forms.Field, kind: str) -> list[str] | None:
    """What to send for ``field`` in a round: ``long`` (longer than allowed)
    or ``wrong`` (the wrong kind of value)."""
    if isinstance(field, forms.BooleanField | GovukDateField) or isinstance(
        field.widget, forms.HiddenInput
    ):
        return None
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return ["not-one-of-the-choices"]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return ["not-one-of-the-choices"]
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        if kind == "wrong":
            return ["twelve"]
        if getattr(field, "max_value", None) is not None:
            return [str(field.max_value + 1)]
        return ["123456789.123456"]
    if kind == "long":
        return ["x" * ((getattr(field, "max_length", None) or 100_000) + 1)]
    return ["not a valid value ☃"]


def data_for(form, kind: str) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, field in form.fields.items():
        values = _field_values(field, kind)
        if values is not None:
            data.setlist(form.add_prefix(name), values)
    return data


def _messages(form) -> list[tuple[str | None, str]]:
    form.is_valid()
    return [(name, str(message)) for name, errors in form.errors.items() for message in errors]


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in STOPWORDS}


@pytest.fixture
def allauth_request(officer):
    """allauth's forms read the request (the session, for the TOTP secret)."""
    request = RequestFactory().post("/")
    request.user = officer
    request.session = SessionStore()
    with allauth_context.request_context(request):
        yield request


def test_every_project_form_is_found():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"InitiativeForm", "CommentForm", "SystemForm", "LoginForm", "SignupForm"} <= names
    assert "OrganisationFilter" in names
    assert len(FORM_CLASSES) >= 30


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_every_form_words_its_errors_the_govuk_way(form_class, world, allauth_request):
    empty = build(form_class, QueryDict(), world)
    assert isinstance(empty, GovukErrorMessages), (
        f"{form_class.__name__} must derive from core.forms.GovukForm / GovukModelForm"
    )
    messages = _messages(empty)
    for name, field in empty.fields.items():
        if not field.required or isinstance(field.widget, forms.HiddenInput):
            continue
        label = str(field.label or name.replace("_", " "))
        said = [message for field_name, message in messages if field_name == name]
        assert said, f"{form_class.__name__}.{name} is required but gave no error when empty"
        assert _content_words(label) & _content_words(said[0]), (
            f"{form_class.__name__}.{name}: {said[0]!r} does not name the field ({label!r})"
        )

    for kind in ("long", "wrong"):
        form = build(form_class, data_for(empty, kind), world)
        messages += _messages(form)

    for name, message in messages:
        for phrase in DEFAULT_PHRASES:
            assert phrase not in message, f"{form_class.__name__}.{name}: {message!r}"
        assert default_kind(message) is None, f"{form_class.__name__}.{name}: {message!r}"


def test_messages_name_the_field_and_its_limit(world):
    from initiatives.forms.discussion import UpdateForm
    from initiatives.forms.initiative import InitiativeForm
    from initiatives.forms.partnerships import CommitForm

    form = InitiativeForm({"title": "x" * 201}, organisation=world["organisation"])
    form.is_valid()
    assert form.errors["title"] == ["Title must be 200 characters or fewer"]
    update = UpdateForm({"title": "", "body": "y" * 5001})
    update.is_valid()
    assert update.errors["body"] == ["Update must be 5,000 characters or fewer"]
    commit = CommitForm({"political_sponsor": "x" * 500, "officer_sponsor": "Jo"})
    commit.is_valid()
    assert commit.errors["political_sponsor"][0].startswith("Political sponsor must be ")


def test_sign_up_page_shows_govuk_messages(client):
    response = client.post(
        "/accounts/signup/",
        {"full_name": "x" * 151, "email": "not-an-address", "password1": "", "password2": ""},
    )
    html = response.content.decode()
    assert "Full name must be 150 characters or fewer" in html
    assert "Enter an email address in the correct format, like name@council.gov.uk" in html
    assert "Enter a password" in html
    for phrase in DEFAULT_PHRASES:
        assert phrase not in html


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "Password must be 8 characters or more"),
        ("password123", "Choose a password that is harder to guess: this one is too common"),
        ("83920174659", "Password must include a letter or symbol, not only numbers"),
        ("priya.patel.leedsham", "Choose a password that is less like your e-mail address"),
    ],
)
def test_password_rules_speak_govuk(client, password, message):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Priya Patel",
            "email": "priya.patel@leedsham.gov.uk",
            "password1": password,
            "password2": password,
        },
    )
    html = response.content.decode()
    assert message in html
    assert "This password" not in html and "too similar" not in html


def test_a_models_own_message_from_a_service_is_reworded_for_its_field():
    from django.core.exceptions import ValidationError

    from core.doors import apply_service_errors
    from initiatives.forms.discussion import UpdateForm

    form = UpdateForm({"title": "A title", "body": "Text"})
    assert form.is_valid()
    apply_service_errors(
        form,
        ValidationError(
            {
                "title": ["Ensure this value has at most 200 characters (it has 250)."],
                "body": ["This field cannot be blank.", "Bodies must mention a council."],
            }
        ),
    )
    assert form.errors["title"] == ["Title must be 200 characters or fewer"]
    # Messages written for people are left as they are.
    assert form.errors["body"] == ["Enter the update", "Bodies must mention a council."]


@pytest.mark.parametrize(
    ("code", "label", "limit", "choose", "expected"),
    [
        ("required", "Title", None, False, "Enter the title"),
        ("required", "Your job title", None, False, "Enter your job title"),
        ("required", "API token name", None, False, "Enter the API token name"),
        ("required", "E-mail domain", None, False, "Enter the e-mail domain"),
        ("required", "Role", None, True, "Select the role"),
        ("required", "Who can see it?", None, True, "Select an answer to ‘Who can see it?’"),
        ("max_length", "Summary", 280, False, "Summary must be 280 characters or fewer"),
        ("max_length", "Comment", 5000, False, "Comment must be 5,000 characters or fewer"),
        (
            "max_length",
            "Reason (sent to the requester)",
            10,
            False,
            "Reason must be 10 characters or fewer",
        ),
        ("invalid_integer", "Staff days", None, False, "Staff days must be a whole number"),
        ("invalid_date", "Start date", None, False, "Start date must be a real date"),
        ("max_value", "Leeds share (%)", 100, False, "Leeds share must be 100 or less"),
        (
            "invalid_email",
            "Email",
            None,
            False,
            "Enter an email address in the correct format, like name@council.gov.uk",
        ),
    ],
)
def test_govuk_message(code, label, limit, choose, expected):
    from core.error_messages import govuk_message

    assert govuk_message(code, label, limit, choose=choose) == expected
