"""Forms for council profiles. They check the shape of the input (a real
date, one of the offered choices); ``services.profiles`` checks the rules."""

from django import forms

from core.forms import GovukDateField, GovukForm

from ..models import Need, ServiceArea, Skill
from ..normalise import known_names

SATISFACTION_CHOICES = [
    (1, "1 – very dissatisfied"),
    (2, "2 – dissatisfied"),
    (3, "3 – neither satisfied nor dissatisfied"),
    (4, "4 – satisfied"),
    (5, "5 – very satisfied"),
    # A radio cannot be unticked, so "no score" needs its own choice.
    ("", "Not rated"),
]


class SystemForm(GovukForm):
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        label="Service area",
        empty_label="Choose a service area",
        error_messages={"required": "Choose the service area this system supports"},
    )
    supplier = forms.CharField(
        label="Supplier",
        max_length=150,
        help_text="Choose a supplier already on the platform as you type, or enter a new one.",
        error_messages={"required": "Enter the supplier's name"},
        # A datalist of the names on record: suggestions that need no JavaScript;
        # the service matches what is typed to a known supplier (case and spacing aside).
        widget=forms.TextInput(attrs={"list": "system-suppliers", "autocomplete": "off"}),
    )
    product = forms.CharField(
        label="Product",
        max_length=150,
        help_text="The product or system name, for example Collective or Revenues.",
        error_messages={"required": "Enter the product name"},
        widget=forms.TextInput(attrs={"list": "system-products", "autocomplete": "off"}),
    )
    contract_end_date = GovukDateField(
        label="Contract end date",
        required=False,
        help_text="For example, 31 3 2027. Leave blank if there is no fixed end date.",
    )
    satisfaction = forms.TypedChoiceField(
        label="How satisfied is your council with this system?",
        choices=SATISFACTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a satisfaction score from 1 to 5"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        names = known_names()
        self.suggestions = {
            "supplier": ("system-suppliers", names["suppliers"]),
            "product": ("system-products", names["products"]),
        }


class NeedForm(GovukForm):
    service_area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        label="Service area",
        empty_label="Choose a service area",
        error_messages={"required": "Choose the service area this need is about"},
    )
    description = forms.CharField(
        label="What does your council need?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a partner to share a waste round optimisation procurement.",
        error_messages={"required": "Describe what your council needs"},
    )
    priority = forms.ChoiceField(
        label="Priority",
        choices=Need.Priority.choices,
        initial=Need.Priority.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a priority",
            "invalid_choice": "Choose high, medium or low priority",
        },
    )


class SkillOfferForm(GovukForm):
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        label="Skill",
        empty_label="Choose a skill",
        error_messages={"required": "Choose the skill your council can offer"},
    )
    detail = forms.CharField(
        label="Details",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who could help, how much time they have, and on what terms.",
    )


# The form for each part in ``profile_parts.PROFILE_PARTS``, by key.
PART_FORMS: dict[str, type[forms.Form]] = {
    "systems": SystemForm,
    "needs": NeedForm,
    "skills": SkillOfferForm,
}
