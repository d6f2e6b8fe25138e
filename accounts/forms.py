"""Account forms: the extra sign-up fields, the profile and API tokens.

``SignupForm`` is allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``: allauth builds its
own sign-up form on top of it, so it must not import ``allauth.account.forms``.
"""

from django import forms

from core.forms import GovukForm, GovukModelForm

from .models import User


class SignupForm(GovukForm):
    """Officers are named people: their organisation approves them by name and job."""

    field_order = ["full_name", "job_title", "email", "password1", "password2"]

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def signup(self, request, user: User) -> None:
        """allauth's hook after the user is saved. Nothing left to do: the
        adapter's ``save_user`` stores the name with the first write."""


class ProfileForm(GovukModelForm):
    class Meta:
        model = User
        fields = ["full_name", "job_title"]
        labels = {"full_name": "Full name", "job_title": "Job title"}
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["full_name"].error_messages["required"] = "Enter your full name"


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what will use it, for example ‘Power BI report’.",
        error_messages={"required": "Enter a name for the token"},
    )
