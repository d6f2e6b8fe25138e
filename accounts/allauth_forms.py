"""allauth's forms, adjusted to GOV.UK Frontend conventions (``ACCOUNT_FORMS``).

GOV.UK asks for visible labels and no placeholder text (placeholders vanish
as you type and read as pre-filled answers), and sentence-case labels. This
module is separate from ``accounts.forms`` because allauth imports that one
(the sign-up fields) while building these.
"""

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms

from core.forms import GovukErrorMessages

LABELS = {
    "remember": "Remember me",
    "password2": "Confirm password",
    "oldpassword": "Current password",
    "password1": "New password",
}

# GOV.UK error messages say what to do, not "This field is required."
REQUIRED = {
    "login": "Enter your email address",
    "email": "Enter your email address",
    "password": "Enter your password",
    "oldpassword": "Enter your current password",
    "password1": "Enter a password",
    "password2": "Enter the password again",
    "code": "Enter the code from your authenticator app",
}


class GovukFormMixin(GovukErrorMessages):
    """Drop placeholders; use sentence-case labels and specific error messages
    (those below, and ``GovukErrorMessages``' for every other error)."""

    relabel: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.relabel:
                field.label = LABELS[name]
            if name in REQUIRED:
                field.error_messages["required"] = REQUIRED[name]


class LoginForm(GovukFormMixin, allauth_forms.LoginForm):
    relabel = ("remember",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth puts a "forgot password" link in the help text; the page has its own.
        self.fields["password"].help_text = ""


class SignupForm(GovukFormMixin, allauth_forms.SignupForm):
    relabel = ("password2",)


class ChangePasswordForm(GovukFormMixin, allauth_forms.ChangePasswordForm):
    relabel = ("oldpassword", "password1", "password2")


class ResetPasswordForm(GovukFormMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(GovukFormMixin, allauth_forms.ResetPasswordKeyForm):
    relabel = ("password1", "password2")


class AddEmailForm(GovukFormMixin, allauth_forms.AddEmailForm):
    pass


class ReauthenticateForm(GovukFormMixin, allauth_forms.ReauthenticateForm):
    pass


# Two-factor forms (``MFA_FORMS``): a labelled code box, no placeholder.


class _CodeFieldMixin(GovukFormMixin):
    code_label = "Code"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = self.code_label
        self.fields["code"].help_text = "The 6-digit code from your authenticator app."
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})


class AuthenticateForm(_CodeFieldMixin, mfa_base_forms.AuthenticateForm):
    code_label = "Code"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "code"
        ].help_text = "The 6-digit code from your authenticator app, or a recovery code."
        self.fields["code"].widget.attrs.pop("inputmode", None)


class ReauthenticateMfaForm(_CodeFieldMixin, mfa_base_forms.ReauthenticateForm):
    pass


class ActivateTOTPForm(_CodeFieldMixin, mfa_totp_forms.ActivateTOTPForm):
    code_label = "Code from your app"
