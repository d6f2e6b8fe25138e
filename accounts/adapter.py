"""allauth adapter: where account flows meet the platform's rules."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records

# allauth's own way of writing a record (it also keys the records to the
# user); internal, so tests/accounts/test_signup_and_joining.py pins it.
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter

from core import site

from . import known_devices
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    # GOV.UK error messages: say what happened and what to do, in sentence case.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter a correct email address and password",
        "email_taken": "There is already an account with this email address: sign in instead",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not correct: enter the code your app shows now",
        "incorrect_password": "The password is not correct",
        "invalid_or_expired_key": "The link has expired or has already been used",
        "invalid_password_reset": "The link to reset your password has expired or has "
        "already been used",
        "unknown_email": "There is no account with this email address",
        "unverified_primary_email": "Confirm your email address first",
        "same_as_current": "Enter a value different from the current one",
        "rate_limited": "You have sent too many requests: wait a minute and try again",
    }

    def save_user(self, request, user, form, commit=True):
        """Keep the name given at sign-up (the signup form's ``signup`` hook
        also sets it; doing it here too means it is saved in one write)."""
        data = getattr(form, "cleaned_data", {}) or {}
        if data.get("full_name"):
            user.full_name = data["full_name"].strip()
        if data.get("job_title"):
            user.job_title = data["job_title"].strip()
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed sign-ins are counted per account and per device, so a
        stranger's failures cannot lock the person out of a browser they have
        signed in from before (see ``accounts.known_devices``)."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        login = credentials.get("email", credentials.get("username", "")) or ""
        user_id = (
            User.objects.filter(email__iexact=login.strip()).values_list("pk", flat=True).first()
            if login
            else None
        )
        device = known_devices.device_of(request, user_id)
        return f"{key}:device:{device}" if device else key

    # E-mails: one site name and one base URL, whatever host the request used
    # (sending them is notifications.account_emails's, through the outbox).

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site.on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return site.on_site(super().get_reset_password_from_key_url(key))

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        known_devices.remember_device(response, user)
        count_fresh_password_as_reauthentication(request, user, signup=kwargs.get("signup"))
        return response


# A password typed moments ago (at sign-up, or at sign-in) is as good as
# typing it again: without this, allauth asks a new admin to "confirm it is
# you" on the two-factor set-up page seconds after they chose or entered
# their password, because only a separate re-authentication counts. The
# usual REAUTHENTICATION_TIMEOUT still applies from this moment.
FRESH_SECONDS = 60


def count_fresh_password_as_reauthentication(request, user, *, signup: bool | None) -> None:
    if signup:
        fresh = True
    else:
        records = get_authentication_records(request, user)
        last = records[-1] if records else {}
        fresh = last.get("method") == "password" and time.time() - last.get("at", 0) < FRESH_SECONDS
    if fresh:
        record_authentication(request, user, method="password", reauthenticated=True)


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor messages in GOV.UK words."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": AccountAdapter.error_messages["incorrect_code"],
    }
