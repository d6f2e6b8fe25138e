"""Partnership pages: express interest, sign off a commitment, accept, decline,
withdraw, invite, hand over the lead, follow and unfollow.

Doors only: each view resolves the initiative through the access helper (404
alike for missing and not visible), asks ``policies`` (403 when visible but not
allowed), calls one service and redirects to the initiative with a message.
State changes are POST only; pages that need input (sign-off, decline and
withdraw notes, invite, hand over) show a GOV.UK form on GET.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from councils.selectors import organisation_of

from . import policies
from .models import Initiative, Partnership
from .partnership_forms import (
    CommitForm,
    HandOverLeadForm,
    InviteForm,
    NoteForm,
    add_service_errors,
)
from .partnership_selectors import (
    eligible_new_lead_organisations,
    get_partnership_for_user,
    invitable_organisations,
)
from .selectors import get_initiative_for_user
from .services import follows as follow_services
from .services import partnerships as services


def _detail(initiative: Initiative):
    return redirect(initiative.get_absolute_url())


def _refused(request: HttpRequest, initiative: Initiative, exc: ValidationError):
    """A rule refused the action (usually the state moved on meanwhile): say why
    on the initiative page; nothing changed."""
    for message in exc.messages:
        messages.error(request, message)
    return _detail(initiative)


def _partnership(request: HttpRequest, slug: str, pk: int) -> tuple[Initiative, Partnership]:
    initiative = get_initiative_for_user(request.user, slug)
    return initiative, get_partnership_for_user(request.user, initiative, pk)


@login_required
@require_POST
def express_interest(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_express_interest(request.user, initiative):
        raise PermissionDenied("You cannot express interest in this initiative.")
    organisation = organisation_of(request.user)
    try:
        partnership = services.express_interest(
            initiative=initiative, organisation=organisation, by=request.user
        )
    except ValidationError as exc:
        return _refused(request, initiative, exc)
    if partnership.role == Partnership.Role.SUPPLIER:
        messages.success(
            request,
            f"{organisation.name} has asked to join as a supplier. The lead will decide.",
        )
    else:
        messages.success(
            request,
            f"{organisation.name} is now interested. An admin of your organisation can "
            "commit it by signing off.",
        )
    return _detail(initiative)


@login_required
@require_http_methods(["GET", "POST"])
def commit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, partnership = _partnership(request, slug, pk)
    if not policies.can_sign_off(request.user, partnership):
        raise PermissionDenied("Only an admin of the partner organisation can sign off.")
    form = CommitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off_commitment(
                partnership=partnership, by=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, CommitForm.SERVICE_FIELDS)
        else:
            messages.success(
                request,
                f"{partnership.organisation.name} has committed to {initiative.title}. "
                "The lead will now accept or decline.",
            )
            return _detail(initiative)
    return render(
        request,
        "initiatives/partnerships/commit.html",
        {"initiative": initiative, "partnership": partnership, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, partnership = _partnership(request, slug, pk)
    if not policies.can_accept_partnership(request.user, partnership):
        raise PermissionDenied("Only an admin of the lead organisation can accept partners.")
    try:
        services.accept_partner(partnership=partnership, by=request.user)
    except ValidationError as exc:
        return _refused(request, initiative, exc)
    messages.success(request, f"{partnership.organisation.name} is now a partner.")
    return _detail(initiative)


def _note_action(
    request: HttpRequest,
    *,
    initiative: Initiative,
    partnership: Partnership,
    service,
    template: str,
    success: str,
) -> HttpResponse:
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(partnership=partnership, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "note" in exc.error_dict:
                add_service_errors(form, exc)
            else:
                return _refused(request, initiative, exc)
        else:
            messages.success(request, success)
            return _detail(initiative)
    return render(
        request,
        template,
        {"initiative": initiative, "partnership": partnership, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, partnership = _partnership(request, slug, pk)
    if not policies.can_decline_partnership(request.user, partnership):
        raise PermissionDenied("Only an admin of the lead organisation can decline partners.")
    return _note_action(
        request,
        initiative=initiative,
        partnership=partnership,
        service=services.decline_partner,
        template="initiatives/partnerships/decline.html",
        success=f"You declined {partnership.organisation.name}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative, partnership = _partnership(request, slug, pk)
    if not policies.can_withdraw(request.user, partnership):
        raise PermissionDenied("You cannot withdraw this organisation.")
    return _note_action(
        request,
        initiative=initiative,
        partnership=partnership,
        service=services.withdraw_partnership,
        template="initiatives/partnerships/withdraw.html",
        success=f"{partnership.organisation.name} has withdrawn from {initiative.title}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def hand_over_lead(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_hand_over_lead(request.user, initiative):
        raise PermissionDenied("Only an admin of the lead organisation can hand over the lead.")
    eligible = eligible_new_lead_organisations(initiative)
    form = HandOverLeadForm(
        request.POST if request.method == "POST" else None, organisations=eligible
    )
    if request.method == "POST" and form.is_valid():
        to_organisation = form.cleaned_data["organisation"]
        try:
            services.hand_over_lead(
                initiative=initiative, to_organisation=to_organisation, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{to_organisation.name} now leads {initiative.title}.")
            return _detail(initiative)
    return render(
        request,
        "initiatives/partnerships/hand_over_lead.html",
        {"initiative": initiative, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_partner(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_invite_partner(request.user, initiative):
        raise PermissionDenied("Only an admin of the lead organisation can invite partners.")
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        organisations=invitable_organisations(initiative),
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.invite_partner(
                initiative=initiative, organisation=organisation, by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"You invited {organisation.name}. Its admins have been told."
            )
            return _detail(initiative)
    return render(
        request,
        "initiatives/partnerships/invite.html",
        {"initiative": initiative, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_follow(request.user, initiative):
        raise PermissionDenied("You cannot follow this initiative.")
    follow_services.follow_initiative(initiative=initiative, user=request.user)
    messages.success(request, f"You are following {initiative.title}.")
    return _detail(initiative)


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_follow(request.user, initiative):
        raise PermissionDenied("You cannot follow this initiative.")
    follow_services.unfollow_initiative(initiative=initiative, user=request.user)
    messages.success(request, f"You are no longer following {initiative.title}.")
    return _detail(initiative)
