"""People management for an organisation's admins, and invitation acceptance.

Doors only: parse, load the organisation through the access helper (its
people pages are visible to its own members only, so outsiders get 404 and
its other members 403), call ``services.people``, render.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.doors import run_service

from .. import policies
from ..forms.people import InviteForm, RoleForm
from ..models import Membership, Organisation
from ..selectors import people as selectors
from ..selectors.directory import get_organisation_for_user
from ..services import people as services
from ..signals import INVITATION_SESSION_KEY

INVITATION_TEMPLATE = "councils/people/invitation.html"


def _organisation_for_admin(request: HttpRequest, slug: str) -> Organisation:
    return get_organisation_for_user(
        request.user,
        slug,
        visible_if=policies.is_active_member_of,
        require=policies.can_manage_people,
        message="Only admins can manage people.",
    )


PERSONAL_ADDRESS_UNCONFIRMED = (
    "Tick the box to send the invitation to this personal address, or enter a council "
    "address instead"
)


def personal_address_question(form) -> dict:
    """For an invite form that is valid: the template context that asks about a
    personal (webmail) address, or ``{}`` when the invitation can be sent.

    The first submit of such an address shows the warning and a checkbox and
    sends nothing; submitting again without ticking it says so on the field.
    The service refuses it too, unless confirmed (``confirm_personal_address``).
    """
    email = form.cleaned_data["email"]
    warning = policies.personal_address_warning(email)
    if warning is None or form.personal_address_confirmed():
        return {}
    if form.personal_address_seen():
        form.add_error("confirm_personal_address", PERSONAL_ADDRESS_UNCONFIRMED)
    return {"personal_address_warning": warning, "personal_address": email.strip().lower()}


def _render_people(
    request, organisation, *, invite_form=None, errors=(), status=200, question=None
):
    members = list(selectors.members_of(organisation))
    context = {
        **(question or {}),
        "organisation": organisation,
        "pending": list(selectors.pending_memberships(organisation)),
        "members": [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in members],
        "admin_count": sum(1 for m in members if m.role == Membership.Role.ADMIN),
        "invitations": list(selectors.open_invitations(organisation)),
        "invite_form": invite_form or InviteForm(),
        "action_errors": list(errors),
    }
    return render(request, "councils/people/people.html", context, status=status)


def _people_url(organisation: Organisation) -> str:
    return reverse("councils:people", kwargs={"slug": organisation.slug})


def _refused(request, organisation, exc: ValidationError):
    """Show a refused action's reasons at the top of the people page (nothing changed)."""
    return _render_people(request, organisation, errors=exc.messages, status=400)


@login_required
@require_http_methods(["GET"])
def people(request, slug):
    organisation = _organisation_for_admin(request, slug)
    return _render_people(request, organisation)


@login_required
@require_POST
def invite(request, slug):
    organisation = _organisation_for_admin(request, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        question = personal_address_question(form)
        if question:
            # Asked, not refused: nothing is wrong yet unless they were asked before.
            status = 400 if form.errors else 200
            return _render_people(
                request, organisation, invite_form=form, status=status, question=question
            )
        ok, created = run_service(
            form,
            lambda: services.create_invitation(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                confirm_personal_address=form.personal_address_confirmed(),
            ),
        )
        if ok:
            invitation, _raw = created
            messages.success(request, f"We have sent an invitation to {invitation.email}.")
            return redirect(_people_url(organisation))
    return _render_people(request, organisation, invite_form=form, status=400)


@login_required
@require_POST
def approve(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    try:
        membership = services.approve_membership(organisation=organisation, pk=pk, by=request.user)
    except ValidationError as exc:
        return _refused(request, organisation, exc)
    messages.success(request, f"{membership.user.display_name} can now use the platform.")
    return redirect(_people_url(organisation))


@login_required
@require_POST
def reject(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    try:
        membership = services.reject_membership(organisation=organisation, pk=pk, by=request.user)
    except ValidationError as exc:
        return _refused(request, organisation, exc)
    messages.success(request, f"You rejected the request from {membership.user.email}.")
    return redirect(_people_url(organisation))


@login_required
@require_POST
def change_role(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    form = RoleForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        return _refused(request, organisation, ValidationError("Choose a role."))
    try:
        membership = services.change_role(
            organisation=organisation, pk=pk, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as exc:
        return _refused(request, organisation, exc)
    messages.success(
        request,
        f"{membership.user.display_name} is now {membership.get_role_display().lower()}.",
    )
    if not policies.can_manage_people(request.user, organisation):
        # The admin made themselves an officer: the people page is no longer theirs.
        return redirect("home")
    return redirect(_people_url(organisation))


@login_required
@require_http_methods(["GET", "POST"])
def remove(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    membership = selectors.active_member_or_404(organisation, pk)
    if request.method == "POST":
        try:
            services.remove_member(organisation=organisation, pk=pk, by=request.user)
        except ValidationError as exc:
            return _refused(request, organisation, exc)
        messages.success(
            request, f"{membership.user.display_name} is no longer part of {organisation.name}."
        )
        if membership.user_id == request.user.pk:
            return redirect("home")
        return redirect(_people_url(organisation))
    return render(
        request,
        "councils/people/remove_confirm.html",
        {"organisation": organisation, "membership": membership},
    )


@login_required
@require_POST
def revoke_invitation(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    try:
        invitation = services.revoke_invitation(organisation=organisation, pk=pk, by=request.user)
    except ValidationError as exc:
        return _refused(request, organisation, exc)
    messages.success(request, f"The invitation for {invitation.email} no longer works.")
    return redirect(_people_url(organisation))


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """Show an invitation and let the invited person accept it.

    Anonymous visitors are sent to sign up or sign in and come back here; the
    token is kept in the session so verifying the invited address accepts it.
    """
    invitation = selectors.invitation_for_token(token)
    context = {"invitation": invitation, "token": token, "error": ""}
    if invitation is None:
        context["error"] = "This invitation link is not valid. Check you copied all of it."
        return render(request, INVITATION_TEMPLATE, context, status=404)
    user = request.user
    if not invitation.is_usable:
        if user.is_authenticated and invitation.accepted_by_id == user.pk:
            context["joined"] = True
            return render(request, INVITATION_TEMPLATE, context)
        if invitation.accepted_at is not None and not user.is_authenticated:
            # Most likely the person who accepted it, back from another browser.
            context["already_accepted"] = True
            context["next"] = reverse("home")
            return render(request, INVITATION_TEMPLATE, context)
        context["error"] = (
            "This invitation link has expired or has already been used. "
            "Ask an admin of the organisation to invite you again."
        )
        return render(request, INVITATION_TEMPLATE, context, status=410)
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        request.session[INVITATION_SESSION_KEY] = token
        # The link was e-mailed to the invited address, so opening it proves
        # that address: sign-up shows it locked and needs no verification
        # e-mail (allauth's stashed verified e-mail).
        get_account_adapter(request).stash_verified_email(request, invitation.email)
        context["next"] = request.path
        return render(request, INVITATION_TEMPLATE, context)
    if request.method == "POST":
        try:
            membership = services.accept_invitation(raw_token=token, user=user)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, INVITATION_TEMPLATE, context, status=400)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            f"You have joined {membership.organisation.name} as "
            f"{membership.get_role_display().lower()}.",
        )
        return redirect("home")
    # Before asking them to accept, say why it would be refused, in the service's words.
    for refusal, status in (
        (policies.invitee_refusal(user, invitation), 403),
        (policies.joining_elsewhere_refusal(user, invitation.organisation), 400),
    ):
        if refusal:
            context["error"] = refusal
            return render(request, INVITATION_TEMPLATE, context, status=status)
    return render(request, INVITATION_TEMPLATE, context)
