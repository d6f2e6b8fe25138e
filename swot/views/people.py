"""The people page of a workshop, for its facilitators: invite platform users
(found by name or e-mail address, from any council) or an address without an
account, switch the guest link on or off, change a role, remove someone.

Doors only, like ``views.workshops``: the access helper (404 for anyone not
taking part), ``policies.manage_refusal`` (403 for participants who are not
facilitators), one service per action, then back to the people page with a
message, or the page again with the errors (400) and nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.doors import require, run_service
from notifications.emails import absolute_url

from .. import policies
from ..forms import InviteByEmailForm, InviteUsersForm, RoleForm, UserSearchForm
from ..models import Participant, Workshop
from ..selectors.pages import (
    SEARCH_MIN_LENGTH,
    invitable_users,
    organisations_of,
    participant_or_404,
    people_in,
    search_invitable_users,
)
from ..selectors.workshops import access_workshop
from ..services import workshops as services

# The join code is shown once, on the page the facilitator lands on after
# switching the guest link on; only its hash is kept, so it is carried there
# in the (server-side) session and dropped as soon as it is shown.
JOIN_CODE_SESSION_KEY = "swot_join_code_shown"


def _managed(request: HttpRequest, pk: int) -> tuple[Workshop, Participant]:
    workshop, participant = access_workshop(pk, user=request.user)
    require(policies.manage_refusal(participant))
    return workshop, participant


def _people_url(workshop: Workshop) -> str:
    return reverse("swot:people", kwargs={"pk": workshop.pk})


def _join_url(workshop: Workshop, code: str) -> str:
    return absolute_url(f"{reverse('swot:join', kwargs={'pk': workshop.pk})}?code={code}")


def _render_people(
    request: HttpRequest,
    workshop: Workshop,
    participant: Participant,
    *,
    search_form: UserSearchForm | None = None,
    invite_form: InviteUsersForm | None = None,
    email_form: InviteByEmailForm | None = None,
    errors=(),
    status: int = 200,
) -> HttpResponse:
    search_form = search_form or UserSearchForm(request.GET or None)
    query = search_form.cleaned_data.get("q", "") if search_form.is_valid() else ""
    found = search_invitable_users(workshop, query)
    found_organisations = organisations_of(found)
    people = people_in(workshop)
    code = (request.session.get(JOIN_CODE_SESSION_KEY) or {}).get(str(workshop.pk))
    if code:
        shown = dict(request.session[JOIN_CODE_SESSION_KEY])
        shown.pop(str(workshop.pk), None)
        request.session[JOIN_CODE_SESSION_KEY] = shown
    context = {
        "workshop": workshop,
        "participant": participant,
        "people": [(p, RoleForm(initial={"role": p.role}, prefix=f"p{p.pk}")) for p in people],
        "search_form": search_form,
        "query": query,
        "query_too_short": bool(query) and len(query.strip()) < SEARCH_MIN_LENGTH,
        "found": [(user, found_organisations.get(user.pk)) for user in found],
        "invite_form": invite_form,
        "email_form": email_form or InviteByEmailForm(),
        "join_code": code,
        "join_code_display": f"{code[:5]} {code[5:]}" if code else "",
        "join_url": _join_url(workshop, code) if code else "",
        "action_errors": list(errors),
    }
    return render(request, "swot/people.html", context, status=status)


def _refused(request, workshop, participant, exc: ValidationError) -> HttpResponse:
    """A rule refused the action: its reasons head the people page; nothing changed."""
    return _render_people(request, workshop, participant, errors=exc.messages, status=400)


@login_required
@require_GET
def people(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    return _render_people(request, workshop, participant)


@login_required
@require_POST
def invite_users(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    search_form = UserSearchForm({"q": request.POST.get("q", "")})
    form = InviteUsersForm(request.POST, users=invitable_users(workshop))
    if form.is_valid():
        ok, added = run_service(
            form,
            lambda: services.invite_users(
                workshop=workshop, by=participant, users=form.cleaned_data["users"]
            ),
        )
        if ok:
            count = len(added)
            messages.success(
                request,
                f"You invited {count} {'person' if count == 1 else 'people'}. "
                "They have been sent an email with a link to the workshop."
                if count
                else "Everyone you selected is already taking part.",
            )
            return redirect(_people_url(workshop))
    return _render_people(
        request, workshop, participant, search_form=search_form, invite_form=form, status=400
    )


@login_required
@require_POST
def invite_by_email(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    form = InviteByEmailForm(request.POST)
    if form.is_valid():
        ok, result = run_service(
            form,
            lambda: services.invite_by_email(
                workshop=workshop, by=participant, email=form.cleaned_data["email"]
            ),
        )
        if ok:
            invited, token = result
            if token:
                messages.success(
                    request,
                    f"We have sent an invitation to {invited.email}. They can join once they "
                    "have signed up.",
                )
            else:
                messages.success(
                    request,
                    f"{form.cleaned_data['email']} already has an account: they are now taking "
                    "part and have been sent an email with a link to the workshop.",
                )
            return redirect(_people_url(workshop))
    return _render_people(request, workshop, participant, email_form=form, status=400)


@login_required
@require_POST
def guest_link(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    enabled = request.POST.get("enabled") == "on"
    try:
        code = services.set_guest_link(workshop=workshop, by=participant, enabled=enabled)
    except ValidationError as exc:
        return _refused(request, workshop, participant, exc)
    if enabled:
        shown = dict(request.session.get(JOIN_CODE_SESSION_KEY) or {})
        shown[str(workshop.pk)] = code
        request.session[JOIN_CODE_SESSION_KEY] = shown
        messages.success(
            request,
            "The guest link is on. Share the link or the code now: it is shown only once.",
        )
    else:
        messages.success(
            request,
            "The guest link is off: nobody else can join with a code. Guests already taking "
            "part stay until you remove them.",
        )
    return redirect(_people_url(workshop))


@login_required
@require_POST
def set_role(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    person = participant_or_404(workshop, participant_pk)
    form = RoleForm(request.POST, prefix=f"p{person.pk}")
    if not form.is_valid():
        return _refused(
            request, workshop, participant, ValidationError("Choose facilitator or participant.")
        )
    try:
        services.set_role(
            workshop=workshop, by=participant, participant=person, role=form.cleaned_data["role"]
        )
    except ValidationError as exc:
        return _refused(request, workshop, participant, exc)
    role = Participant.Role(form.cleaned_data["role"]).label.lower()
    messages.success(request, f"{person.display_name} is now a {role}.")
    return redirect(_people_url(workshop))


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    workshop, participant = _managed(request, pk)
    person = participant_or_404(workshop, participant_pk)
    if request.method == "POST":
        try:
            services.remove_participant(workshop=workshop, by=participant, participant=person)
        except ValidationError as exc:
            return _refused(request, workshop, participant, exc)
        messages.success(request, f"{person.display_name} is no longer taking part.")
        return redirect(_people_url(workshop))
    return render(
        request,
        "swot/remove_confirm.html",
        {"workshop": workshop, "person": person, "is_self": person.pk == participant.pk},
    )
