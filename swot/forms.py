"""Forms of the workshop pages. Forms check shape (a title is there, votes
are a whole number, a date is real); the services check the rules (who may,
which phase)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukForm

from .models import Participant, Workshop

VOTES_HELP = "How many votes each person can give to the items they think matter most."


class WorkshopDetailsForm(GovukForm):
    """What can be changed until the workshop closes (``update_workshop``)."""

    title = forms.CharField(
        label="Title",
        max_length=Workshop.TITLE_MAX,
        help_text="For example, “Shared waste contracts: are we ready to collaborate?”",
    )
    purpose = forms.CharField(
        label="Purpose",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the workshop is for, shown to everyone taking part.",
    )
    scheduled_for = GovukDateField(
        label="Date", required=False, help_text="For example, 27 3 2027. Leave empty if not set."
    )
    anonymous_items = forms.BooleanField(
        label="Anonymous items",
        required=False,
        help_text="Nobody sees who wrote an item, not even the facilitators.",
    )
    private_brainstorm = forms.BooleanField(
        label="Private brainstorm",
        required=False,
        help_text="People see only their own items until a facilitator reveals them all.",
    )
    votes_per_participant = forms.IntegerField(
        label="Votes per participant",
        min_value=1,
        max_value=50,
        initial=Workshop.DEFAULT_VOTES,
        help_text=VOTES_HELP,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the number of votes per participant",
            "invalid": "Votes per participant must be a whole number, like 5",
            "min_value": "Votes per participant must be between 1 and 50",
            "max_value": "Votes per participant must be between 1 and 50",
        },
    )

    SERVICE_FIELDS = (
        "title",
        "purpose",
        "scheduled_for",
        "anonymous_items",
        "private_brainstorm",
        "votes_per_participant",
    )

    def __init__(self, *args, locked=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        # Options that can no longer change are shown as text, not fields.
        for name in locked:
            self.fields.pop(name, None)

    def service_kwargs(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.SERVICE_FIELDS if name in self.fields
        }

    @classmethod
    def initial_for(cls, workshop: Workshop) -> dict:
        return {name: getattr(workshop, name) for name in cls.SERVICE_FIELDS}


class WorkshopCreateForm(WorkshopDetailsForm):
    """A new workshop: its details, plus what is fixed once it exists (the
    template and the linked initiative)."""

    initiative = forms.ModelChoiceField(
        label="Linked initiative",
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label="No linked initiative",
        help_text="An initiative your organisation leads or takes part in, if the workshop is "
        "about one.",
        error_messages={"invalid_choice": "Choose an initiative from the list"},
    )
    template = forms.ChoiceField(
        label="Template",
        choices=Workshop.Template.choices,
        initial=Workshop.Template.BLANK,
        widget=forms.RadioSelect,
        help_text="Collaboration readiness shows prompts in each quadrant, drawn from councils' "
        "experience of working together. A blank SWOT has none.",
        error_messages={"required": "Choose a template", "invalid_choice": "Choose a template"},
    )

    field_order = [
        "title",
        "purpose",
        "initiative",
        "scheduled_for",
        "template",
        "anonymous_items",
        "private_brainstorm",
        "votes_per_participant",
    ]

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives

    def clean_scheduled_for(self):
        date = self.cleaned_data.get("scheduled_for")
        if date is not None and date < timezone.localdate():
            raise forms.ValidationError("Date must be today or in the future")
        return date

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "initiative": self.cleaned_data["initiative"],
            "template": self.cleaned_data["template"],
        }


class UserSearchForm(GovukForm):
    q = forms.CharField(
        label="Name or email address",
        max_length=200,
        error_messages={"required": "Enter a name or email address to search for"},
        help_text="People from any council on the platform. Type at least 3 letters.",
    )


class InviteUsersForm(GovukForm):
    """The people ticked in the search results."""

    users = forms.ModelMultipleChoiceField(
        label="People to invite",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the people to invite",
            "invalid_choice": "Select people from the search results",
            "invalid_pk_value": "Select people from the search results",
        },
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = users


class InviteByEmailForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="For someone without an account. They get a link to sign up and join.",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class RoleForm(GovukForm):
    role = forms.ChoiceField(label="Role", choices=Participant.Role.choices)


class GuestJoinForm(GovukForm):
    code = forms.CharField(
        label="Join code",
        max_length=20,
        help_text="The code the facilitator gave you: 10 letters and numbers, like ABCDE 23456.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": "Enter the join code"},
    )
    name = forms.CharField(
        label="Your name",
        max_length=Participant.NAME_MAX,
        help_text="Shown to the others in the workshop.",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your name"},
    )
