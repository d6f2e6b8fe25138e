"""Forms for people management: inviting someone and changing a role."""

from django import forms

from core.forms import GovukForm

from ..models import Membership


class PersonalAddressConfirmation(GovukForm):
    """The question asked before inviting a webmail address. The page shows
    the warning and this checkbox once the address turns out to be personal;
    the hidden ``personal_address`` remembers which address was warned about,
    so ticking the box confirms that address and no other."""

    confirm_personal_address = forms.BooleanField(
        label="Yes, send the invitation to this personal address",
        required=False,
    )
    personal_address = forms.CharField(required=False, widget=forms.HiddenInput)

    def personal_address_confirmed(self) -> bool:
        """The box was ticked for the address now being invited."""
        email = (self.cleaned_data.get("email") or "").strip().lower()
        warned = (self.cleaned_data.get("personal_address") or "").strip().lower()
        return bool(self.cleaned_data.get("confirm_personal_address")) and warned == email

    def personal_address_seen(self) -> bool:
        """The warning was already shown for this address (and not confirmed)."""
        email = (self.cleaned_data.get("email") or "").strip().lower()
        return (self.cleaned_data.get("personal_address") or "").strip().lower() == email


class InviteForm(PersonalAddressConfirmation):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will e-mail them a link that works once and expires in 14 days.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        help_text="Council admins can also manage people and sign off commitments.",
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class RoleForm(GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
