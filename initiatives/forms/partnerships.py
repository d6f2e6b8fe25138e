"""Forms for the partnership pages. Forms check shape (a name is present, money
is pounds and pence); the services check the rules (who, which state)."""

from django import forms

from core.forms import GovukForm, parse_pounds
from councils.models import Organisation, Skill

from ..services.partnerships import (
    MAX_PLEDGED_PENCE,
    MAX_PLEDGED_STAFF_DAYS,
    NOTE_MAX_LENGTH,
    SPONSOR_MAX_LENGTH,
)


class CommitForm(GovukForm):
    """Sign-off: the admin names the sponsors and the pledge."""

    political_sponsor = forms.CharField(
        label="Political sponsor",
        max_length=SPONSOR_MAX_LENGTH,
        help_text="The elected member who backs this, for example a cabinet member.",
        error_messages={"required": "Enter the name of the political sponsor"},
    )
    officer_sponsor = forms.CharField(
        label="Officer sponsor",
        max_length=SPONSOR_MAX_LENGTH,
        help_text="The senior officer accountable for your council's part.",
        error_messages={"required": "Enter the name of the officer sponsor"},
    )
    pledged_pounds = forms.CharField(
        label="Money pledged, in pounds",
        required=False,
        max_length=20,
        help_text="For example, 15000 or 15000.50. Leave empty if none.",
        error_messages={"max_length": "Enter an amount in pounds, like 1500 or 1500.50"},
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    pledged_staff_days = forms.IntegerField(
        label="Staff days pledged",
        required=False,
        min_value=0,
        max_value=MAX_PLEDGED_STAFF_DAYS,
        help_text="Whole days of staff time. Leave empty if none.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": "Staff days pledged must be a whole number, like 20",
            "min_value": "Staff days pledged must be 0 or more",
            "max_value": f"Staff days pledged must be {MAX_PLEDGED_STAFF_DAYS:,} or fewer",
        },
    )
    pledged_skills = forms.ModelMultipleChoiceField(
        label="Skills pledged",
        required=False,
        queryset=Skill.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        help_text="Select all that apply.",
    )

    # Service field names → the form fields that hold them.
    SERVICE_FIELDS = {"pledged_pence": "pledged_pounds"}

    def clean_pledged_pounds(self) -> int:
        pence = parse_pounds(
            self.cleaned_data.get("pledged_pounds", ""),
            label="The amount",
            invalid="Enter an amount in pounds, like 1500 or 1500.50.",
            maximum_pence=MAX_PLEDGED_PENCE,
        )
        return pence or 0

    def clean_pledged_staff_days(self) -> int:
        return self.cleaned_data.get("pledged_staff_days") or 0

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "political_sponsor": data["political_sponsor"],
            "officer_sponsor": data["officer_sponsor"],
            "pledged_pence": data["pledged_pounds"],
            "pledged_staff_days": data["pledged_staff_days"],
            "pledged_skills": list(data["pledged_skills"]),
        }


class NoteForm(GovukForm):
    """An optional note explaining a decision (decline, withdraw)."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the initiative's partnership history.",
    )


class HandOverLeadForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Which partner should lead the initiative?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        to_field_name="slug",
        empty_label=None,
        error_messages={
            "required": "Choose the partner that will lead the initiative",
            "invalid_choice": "Choose one of the committed partner councils",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class InviteForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation to invite",
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label="Choose an organisation",
        help_text="Councils and public bodies join as partners; suppliers as suppliers.",
        error_messages={
            "required": "Choose an organisation to invite",
            "invalid_choice": "Choose an organisation from the list",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
