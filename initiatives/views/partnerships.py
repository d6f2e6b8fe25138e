"""Partnership pages: express interest, sign off a commitment, accept, decline,
withdraw, invite and hand over the lead, and the partners section of the
initiative page.

Doors only: each view resolves the initiative through the access helper (404
alike for missing and not visible), asks ``policies`` (403 with the policy's
reason when visible but not allowed), calls one service and redirects to the
initiative with a message.
State changes are POST only; pages that need input (sign-off, decline and
withdraw notes, invite, hand over) show a GOV.UK form on GET.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.doors import apply_service_errors, require, run_service
from councils.selectors.people import organisation_of

from .. import policies
from ..forms.partnerships import CommitForm, HandOverLeadForm, InviteForm, NoteForm
from ..models import Initiative, Partnership
from ..selectors.follows import follow_state
from ..selectors.initiative import get_initiative_for_user
from ..selectors.partnerships import (
    eligible_new_lead_organisations,
    get_partnership_for_user,
    invitable_organisations,
    partners,
)
from ..services import partnerships as services


def partners_context(*, initiative: Initiative, user) -> dict:
    """The template context of ``includes/partners.html``: the partners (from
    ``selectors.partnerships.partners``) and the follow box."""
    section = partners(initiative=initiative, user=user)
    follows = follow_state(initiative=initiative, user=user)
    return {
        "partner_rows": section.rows,
        "partnership_events": section.events,
        "my_partnership": section.my_partnership,
        "partnership_organisation": section.organisation,
        "can_express_interest": section.can_express_interest,
        "can_invite_partner": section.can_invite_partner,
        "can_hand_over_lead": section.can_hand_over_lead,
        "follower_count": follows.follower_count,
        "is_following": follows.is_following,
        "can_follow": policies.can_follow(user, initiative),
    }


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
    initiative = get_initiative_for_user(
        request.user, slug, require=policies.express_interest_refusal
    )
    organisation = organisation_of(request.user)
    try:
        partnership = services.express_interest(
            initiative=initiative,
            organisation=organisation,
            by=request.user,
            note=request.POST.get("note", ""),
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
    require(policies.sign_off_refusal(request.user, partnership))
    form = CommitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.sign_off_commitment(
                partnership=partnership, by=request.user, **form.service_kwargs()
            ),
            field_map=CommitForm.SERVICE_FIELDS,
        )
        if ok:
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
    require(policies.accept_refusal(request.user, partnership))
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
            if not (hasattr(exc, "error_dict") and "note" in exc.error_dict):
                return _refused(request, initiative, exc)
            apply_service_errors(form, exc)
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
    require(policies.decline_refusal(request.user, partnership))
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
    require(policies.withdraw_refusal(request.user, partnership))
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
    initiative = get_initiative_for_user(
        request.user, slug, require=policies.hand_over_lead_refusal
    )
    eligible = eligible_new_lead_organisations(initiative)
    form = HandOverLeadForm(
        request.POST if request.method == "POST" else None, organisations=eligible
    )
    if request.method == "POST" and form.is_valid():
        to_organisation = form.cleaned_data["organisation"]
        ok, _ = run_service(
            form,
            lambda: services.hand_over_lead(
                initiative=initiative, to_organisation=to_organisation, by=request.user
            ),
        )
        if ok:
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
    initiative = get_initiative_for_user(request.user, slug, require=policies.invite_refusal)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        organisations=invitable_organisations(initiative),
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        ok, _ = run_service(
            form,
            lambda: services.invite_partner(
                initiative=initiative, organisation=organisation, by=request.user
            ),
        )
        if ok:
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
