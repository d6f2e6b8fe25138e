"""Forms for proposing and editing an initiative and changing its stage.
They parse and shape input (pounds to pence, GOV.UK date parts to dates, tag
text to names); the rules themselves (dates in order, who may be key
contact...) live in ``services.initiative`` so the API enforces exactly the
same ones, in the same words."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from core.forms import GovukDateField, GovukForm, PoundsField
from councils.models import Organisation, ServiceArea, Skill

from ..models import Initiative
from ..selectors.initiative import key_contact_candidates

# Service error keys that name a differently named form field.
SERVICE_FIELD_MAP = {"estimated_cost_pence": "estimated_cost"}


def pence_to_pounds_text(pence: int | None) -> str:
    if pence is None:
        return ""
    pounds, p = divmod(pence, 100)
    return f"{pounds}" if p == 0 else f"{pounds}.{p:02d}"


@dataclass(frozen=True)
class Section:
    """A part of the initiative's details, asked on a page of its own."""

    title: str
    fields: tuple[str, ...]


# Proposing starts short ("start": what the duplicate check needs, and who
# can see it) and saves a draft; the rest is added section by section from a
# "check your answers" page, each section a plain form that works without
# JavaScript.
SECTIONS: dict[str, Section] = {
    "start": Section(
        "Propose an initiative", ("title", "summary", "service_areas", "stage", "visibility")
    ),
    "about": Section(
        "About the initiative",
        ("title", "summary", "description", "service_areas", "tags", "visibility"),
    ),
    "working": Section(
        "Working together",
        ("collaboration_level", "looking_for_partners", "skills_needed", "key_contact"),
    ),
    "money": Section(
        "Cost and funding",
        ("estimated_cost", "funding_band", "funding_sources", "cost_split_method"),
    ),
    "dates": Section(
        "Dates", ("start_date", "start_date_estimated", "end_date", "end_date_estimated")
    ),
}


class InitiativeForm(GovukForm):
    """Create (with stage) and edit (without: stage changes have their own page
    so the timeline records them)."""

    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title"},
        help_text="What the initiative will do, in a few words.",
    )
    summary = forms.CharField(
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a summary",
            "max_length": "Summary must be 280 characters or fewer",
        },
        help_text="One or two sentences other councils will see in search results.",
    )
    description = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="The problem, what you plan to do and what partners would bring. "
        "You can use Markdown: **bold**, lists, links.",
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate tags with commas, for example: chatbot, open source.",
    )
    stage = forms.ChoiceField(
        choices=Initiative.Stage.choices,
        initial=Initiative.Stage.IDEA,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage"},
    )
    collaboration_level = forms.ChoiceField(
        label="How will councils work together?",
        choices=Initiative.CollaborationLevel.choices,
        initial=Initiative.CollaborationLevel.SHARING_KNOWLEDGE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how councils will work together"},
    )
    looking_for_partners = forms.BooleanField(
        label="We are looking for partners", required=False, initial=True
    )
    visibility = forms.ChoiceField(
        label="Who can see it?",
        choices=Initiative.Visibility.choices,
        initial=Initiative.Visibility.DRAFT,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who can see it"},
        help_text="Public initiatives are published as open data under the Open Government "
        "Licence.",
    )
    estimated_cost = PoundsField(
        amount_label="Estimated cost",
        invalid="Enter the estimated cost as an amount in pounds, like 12500.50",
        maximum_pence=9_000_000_000_000_000,
        label="Estimated total cost, in pounds",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        help_text="For the whole initiative, before it is shared between partners.",
    )
    funding_band = forms.ChoiceField(
        choices=Initiative.FundingBand.choices,
        initial=Initiative.FundingBand.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a funding band"},
    )
    funding_sources = forms.MultipleChoiceField(
        choices=Initiative.FundingSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    cost_split_method = forms.ChoiceField(
        label="How will partners share the cost?",
        choices=Initiative.CostSplit.choices,
        initial=Initiative.CostSplit.EQUAL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how partners will share the cost"},
    )
    start_date = GovukDateField(
        label="Start date", required=False, help_text="For example, 1 4 2026"
    )
    start_date_estimated = forms.BooleanField(label="The start date is an estimate", required=False)
    end_date = GovukDateField(label="End date", required=False, help_text="For example, 31 3 2027")
    end_date_estimated = forms.BooleanField(label="The end date is an estimate", required=False)
    key_contact = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No key contact yet",
        help_text="Someone at the lead council other councils can talk to.",
    )
    skills_needed = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )

    def __init__(
        self,
        *args,
        organisation: Organisation,
        with_stage: bool = True,
        section: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["key_contact"].queryset = key_contact_candidates(organisation)
        self.fields["key_contact"].label_from_instance = lambda u: u.full_name or u.email
        self.fields["service_areas"].required = True
        self.fields["service_areas"].error_messages["required"] = "Select at least one service area"
        if not with_stage:
            del self.fields["stage"]
        if section is not None:
            keep = set(SECTIONS[section].fields)
            for name in [name for name in self.fields if name not in keep]:
                del self.fields[name]

    def clean_tags(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["tags"].split(",") if part.strip()]

    def service_kwargs(self) -> dict:
        """Cleaned data in the shape ``create_initiative``/``update_initiative`` take."""
        data = dict(self.cleaned_data)
        if "estimated_cost" in data:
            data["estimated_cost_pence"] = data.pop("estimated_cost")
        for name in ("service_areas", "skills_needed"):
            if name in data:
                data[name] = list(data[name])
        return data

    @classmethod
    def initial_from_data(cls, data) -> dict:
        """What was typed, as initial values: the no-JavaScript duplicate check
        redisplays the form without judging it (no errors for fields the
        officer has not reached yet)."""
        initial: dict = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, GovukDateField):
                initial[name] = [
                    data.get(f"{name}_{part}", "") for part in ("day", "month", "year")
                ]
            elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                initial[name] = data.getlist(name)
            elif isinstance(field, forms.BooleanField):
                initial[name] = bool(data.get(name))
            elif name in data:
                initial[name] = data.get(name)
        return initial

    @classmethod
    def initial_from(cls, initiative: Initiative) -> dict:
        return {
            "title": initiative.title,
            "summary": initiative.summary,
            "description": initiative.description,
            "service_areas": list(initiative.service_areas.all()),
            "tags": ", ".join(t.name for t in initiative.tags.all()),
            "collaboration_level": initiative.collaboration_level,
            "looking_for_partners": initiative.looking_for_partners,
            "visibility": initiative.visibility,
            "estimated_cost": pence_to_pounds_text(initiative.estimated_cost_pence),
            "funding_band": initiative.funding_band,
            "funding_sources": initiative.funding_sources,
            "cost_split_method": initiative.cost_split_method,
            "start_date": initiative.start_date,
            "start_date_estimated": initiative.start_date_estimated,
            "end_date": initiative.end_date,
            "end_date_estimated": initiative.end_date_estimated,
            "key_contact": initiative.key_contact_id,
            "skills_needed": list(initiative.skills_needed.all()),
        }


class StageChangeForm(GovukForm):
    to_stage = forms.ChoiceField(
        label="New stage",
        choices=Initiative.Stage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new stage"},
    )
    changed_on = GovukDateField(
        label="Date of the change",
        help_text="For example, 27 3 2026. Leave blank for today.",
        required=False,
    )
    note = forms.CharField(
        label="What changed?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the change on the initiative's stage timeline.",
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )

    def clean_changed_on(self):
        return self.cleaned_data.get("changed_on") or timezone.localdate()
