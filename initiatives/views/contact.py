"""Contacting an initiative's key contact through the platform. Doors only:
the rule is ``policies.contact_key_contact_refusal``, the write is
``services.contact.message_key_contact``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from core.doors import run_service

from .. import policies
from ..forms.contact import KeyContactMessageForm
from ..selectors.initiative import get_initiative_for_user
from ..services.contact import message_key_contact

# A person may send a few messages an hour: enough to reach several key
# contacts, too few to use the platform to spam them.
MESSAGES_PER_HOUR = "5/h"


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=MESSAGES_PER_HOUR, method="POST", block=False)
def contact_key_contact(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(
        request.user, slug, require=policies.contact_key_contact_refusal
    )
    form = KeyContactMessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if getattr(request, "limited", False):
            form.add_error(
                "message",
                "You have sent 5 messages in the last hour. Try again later.",
            )
            status = 429
        elif form.is_valid():
            ok, _ = run_service(
                form,
                lambda: message_key_contact(
                    initiative=initiative, by=request.user, message=form.cleaned_data["message"]
                ),
            )
            if ok:
                messages.success(request, "Your message has been sent to the key contact.")
                return redirect(initiative)
        if status == 200:
            status = 400
    return render(
        request,
        "initiatives/contact.html",
        {"form": form, "initiative": initiative},
        status=status,
    )
