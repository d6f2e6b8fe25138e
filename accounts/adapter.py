"""allauth adapter: where account flows meet the platform's rules."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records

# allauth's own way of writing a record (it also keys the records to the
# user); internal, so tests/accounts/test_signup_and_joining.py pins it.
from allauth.account.internal.flows.login import record_authentication

from . import known_devices
from .models import User


class AccountAdapter(DefaultAccountAdapter):
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
