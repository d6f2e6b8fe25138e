"""Coming into a workshop from outside: accepting an e-mailed invitation, and
a guest joining with the code the facilitator shared.

Accepting follows the organisation invitations (``councils.views.people``):
an anonymous visitor is asked to sign up (the link proved the address, so
sign-up needs no verification e-mail) or sign in, and comes back here.

A guest has no account: the join page gives their session a secret token for
this one workshop (``selectors.workshops.GUEST_SESSION_KEY``), which opens
its board and nothing else. Wrong codes are rate limited per address and
workshop, so a code cannot be guessed; right ones are not, so a whole room
behind one council's network can join at once.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from core.doors import run_service

from .. import policies
from ..forms import GuestJoinForm
from ..models import Workshop
from ..selectors.pages import invitation_for_token
from ..selectors.workshops import GUEST_SESSION_KEY, participant_for
from ..services import workshops as services
from .workshops import board_path

INVITATION_TEMPLATE = "swot/invitation.html"
NOT_VALID = (
    "This invitation link is not valid or has already been used. If you accepted it "
    "already, the workshop is in your list of workshops."
)

# Wrong join codes allowed per address and workshop: a room mistyping a code
# stays well inside it; guessing a 50-bit code at this pace never ends.
WRONG_CODES_RATE = "10/10m"


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    context = {"invitation": invitation, "next": request.path, "error": ""}
    if invitation is None:
        context["error"] = NOT_VALID
        return render(request, INVITATION_TEMPLATE, context, status=404)
    workshop = invitation.workshop
    if workshop.is_closed:
        context["error"] = "This workshop has closed, so the invitation can no longer be used."
        return render(request, INVITATION_TEMPLATE, context, status=410)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        # The link was e-mailed to the invited address, so opening it proves
        # that address: sign-up shows it locked and needs no verification.
        get_account_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, INVITATION_TEMPLATE, context)
    if request.user.email.lower() != invitation.email.lower():
        context["error"] = (
            f"This invitation was sent to {invitation.email}. Sign out, then sign in or "
            "create an account with that address to accept it."
        )
        return render(request, INVITATION_TEMPLATE, context, status=403)
    if request.method == "POST":
        try:
            services.accept_invitation(token=token, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            context["error"] = " ".join(getattr(exc, "messages", [str(exc)]))
            return render(request, INVITATION_TEMPLATE, context, status=400)
        messages.success(request, f"You are now taking part in “{workshop.title}”.")
        return redirect("swot:detail", pk=workshop.pk)
    return render(request, INVITATION_TEMPLATE, context)


def _wrong_codes(request: HttpRequest, pk: int, *, increment: bool) -> int:
    """How many wrong codes this address sent for workshop ``pk`` in the window
    (counting this one when ``increment``)."""
    usage = get_usage(
        request, group=f"swot.join.{pk}", key="ip", rate=WRONG_CODES_RATE, increment=increment
    )
    return usage["count"] if usage else 0


def _too_many_wrong_codes(request: HttpRequest, pk: int) -> bool:
    limit = int(WRONG_CODES_RATE.split("/")[0])
    return _wrong_codes(request, pk, increment=False) >= limit


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, pk: int) -> HttpResponse:
    # Signed in and already taking part: the board is theirs anyway.
    if request.user.is_authenticated and policies.is_present(
        participant_for(pk, user=request.user)
    ):
        return redirect(board_path(pk))
    # A guest who joined from this browser before goes straight back.
    present = participant_for(pk, session=request.session)
    if present is not None and present.is_guest and policies.is_present(present):
        return redirect(board_path(pk))
    if request.method == "POST":
        form = GuestJoinForm(request.POST)
        if _too_many_wrong_codes(request, pk):
            return render(request, "swot/join_limited.html", status=429)
        if form.is_valid():
            ok, joined = run_service(
                form,
                lambda: services.join_as_guest(
                    workshop_id=pk, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
                ),
            )
            if ok:
                _participant, token = joined
                tokens = dict(request.session.get(GUEST_SESSION_KEY) or {})
                tokens[str(pk)] = token
                request.session[GUEST_SESSION_KEY] = tokens
                return redirect(board_path(pk))
            if "code" in form.errors:
                _wrong_codes(request, pk, increment=True)
        return render(request, "swot/join.html", {"form": form, "pk": pk}, status=400)
    code = Workshop.normalise_code(request.GET.get("code", ""))[:10]
    form = GuestJoinForm(initial={"code": f"{code[:5]} {code[5:]}".strip() if code else ""})
    return render(request, "swot/join.html", {"form": form, "pk": pk})
