"""Sign-up with an address already proved elsewhere.

When a link that only the owner of an address could have (an invitation
e-mailed to it) was opened in this browser, allauth's "stashed verified
e-mail" holds that address. The sign-up form then shows it filled in and
locked (read-only on the page; disabled in the form, so the server takes
the stashed value whatever is posted), and allauth records it as verified,
so no separate verification e-mail is needed. Accounts knows nothing of
invitations: whoever stashes the address
(``councils.views.people.accept_invitation``) decides it is proved.
"""

from __future__ import annotations

from allauth.account.views import SignupView as AllauthSignupView
from django.http import HttpRequest

STASH_KEY = "account_verified_email"  # allauth's own session key


def proved_address(request: HttpRequest) -> str | None:
    """The address this browser has proved it owns, if any."""
    session = getattr(request, "session", None)
    return (session.get(STASH_KEY) or None) if session is not None else None


class SignupView(AllauthSignupView):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        address = proved_address(self.request)
        if address and "email" in form.fields:
            field = form.fields["email"]
            field.initial = address
            # Disabled: the server ignores a posted value. Shown read-only
            # rather than disabled, so it can still be focused and read out.
            field.disabled = True
            field.widget.attrs["readonly"] = "readonly"
            field.help_text = (
                "This is the address your invitation was sent to. "
                "It is already confirmed: you will not need to check your e-mail."
            )
        return form


signup = SignupView.as_view()
