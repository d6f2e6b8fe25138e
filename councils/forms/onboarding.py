"""Forms for onboarding: the staff pages and a person's request for an
organisation. They check shape only; the rules (domain ownership, which
kinds staff may add or people may ask for) live in ``services.onboarding``."""

import re

from django import forms

from core.forms import GovukForm, GovukModelForm

from ..models import AccessRequest, Organisation
from ..services.onboarding import HAND_MADE_KINDS
from .people import PersonalAddressConfirmation

STATUS_CHOICES = [("", "Any status"), *Organisation.Status.choices]


class OrganisationSearchForm(GovukForm):
    q = forms.CharField(
        label="Name or code",
        required=False,
        max_length=100,
        help_text="For example Leeds, LDS or E08000035.",
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)


class EmailDomainForm(GovukForm):
    domain = forms.CharField(
        label="E-mail domain",
        max_length=253,
        help_text="The part after @ in staff addresses, for example leeds.gov.uk.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class InviteAdminForm(PersonalAddressConfirmation):
    email = forms.EmailField(
        label="E-mail address of the first admin",
        help_text="We will e-mail them a link to set up their account.",
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )


class OrganisationCreateForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of organisation",
        choices=[(kind.value, kind.label) for kind in HAND_MADE_KINDS],
        widget=forms.RadioSelect,
    )
    official_name = forms.CharField(
        label="Official name",
        max_length=255,
        help_text="The registered or legal name, for example Acme Digital Limited.",
    )
    name = forms.CharField(
        label="Short name",
        max_length=150,
        required=False,
        help_text="How it is shown in lists. Leave empty to use the official name.",
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    domains = forms.CharField(
        label="E-mail domains",
        required=False,
        help_text="One per line, for example acme.co.uk. People with these addresses can "
        "ask to join.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )

    def clean_domains(self) -> list[str]:
        return [part for part in re.split(r"[\s,;]+", self.cleaned_data["domains"]) if part]


class RejectAccessRequestForm(GovukForm):
    reason = forms.CharField(
        label="Reason (sent to the requester)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AccessRequestForm(GovukModelForm):
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=[(kind.value, kind.label) for kind in HAND_MADE_KINDS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation it is"},
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        help_text="For example, https://www.example.co.uk",
        error_messages={"invalid": "Enter a website address such as https://www.example.co.uk"},
    )

    class Meta:
        model = AccessRequest
        fields = ["organisation_name", "kind", "website", "reason"]
        labels = {
            "organisation_name": "Organisation name",
            "reason": "Why do you want to use the platform?",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "organisation_name": {"required": "Enter the organisation's name"},
            "reason": {"required": "Say why you want to use the platform"},
        }
