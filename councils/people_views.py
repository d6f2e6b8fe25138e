"""People management for an organisation's admins, and invitation acceptance.

Doors only: parse, ask ``policies``, call ``services.memberships`` /
``services.invitations``, render. Anyone who is not an admin of the
organisation gets a 404 (outsiders) or 403 (its other members), never data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.signals import INVITATION_SESSION_KEY
from core.tokens import hash_token

from . import policies, selectors
from .models import Invitation, Membership, Organisation
from .people_forms import InviteForm, RoleForm
from .services import invitations as invitation_services
from .services import memberships as membership_services


def _organisation_for_admin(request, slug: str) -> Organisation:
    """The organisation if the user may manage its people; 404 for outsiders
    (alike for missing and not theirs), 403 for its own non-admin members."""
    organisation = selectors.get_organisation_for_user(request.user, slug)
    if policies.can_manage_people(request.user, organisation):
        return organisation
    if policies.is_active_member_of(request.user, organisation):
        raise PermissionDenied("Only admins can manage people.")
    raise Http404("No such organisation.")


def _open_invitations(organisation: Organisation):
    return (
        Invitation.objects.select_related("invited_by")
        .filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
    )


def _render_people(request, organisation, *, invite_form=None, errors=(), status=200):
    members = list(selectors.members_of(organisation))
    context = {
        "organisation": organisation,
        "pending": list(selectors.pending_memberships(organisation)),
        "members": [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in members],
        "admin_count": sum(1 for m in members if m.role == Membership.Role.ADMIN),
        "invitations": list(_open_invitations(organisation)),
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
        try:
            invitation, _raw = invitation_services.create_invitation(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"We have sent an invitation to {invitation.email}.")
            return redirect(_people_url(organisation))
    return _render_people(request, organisation, invite_form=form, status=400)


@login_required
@require_POST
def approve(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    try:
        membership = membership_services.approve_membership(
            organisation=organisation, pk=pk, by=request.user
        )
    except ValidationError as exc:
        return _refused(request, organisation, exc)
    messages.success(request, f"{membership.user.display_name} can now use the platform.")
    return redirect(_people_url(organisation))


@login_required
@require_POST
def reject(request, slug, pk):
    organisation = _organisation_for_admin(request, slug)
    try:
        membership = membership_services.reject_membership(
            organisation=organisation, pk=pk, by=request.user
        )
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
        membership = membership_services.change_role(
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
    membership = (
        Membership.objects.select_related("user")
        .filter(organisation=organisation, pk=pk, status=Membership.Status.ACTIVE)
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    if request.method == "POST":
        try:
            membership_services.remove_member(organisation=organisation, pk=pk, by=request.user)
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
        invitation = membership_services.revoke_invitation(
            organisation=organisation, pk=pk, by=request.user
        )
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
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    context = {"invitation": invitation, "token": token, "error": ""}
    if invitation is None:
        context["error"] = "This invitation link is not valid. Check you copied all of it."
        return render(request, "councils/people/invitation.html", context, status=404)
    user = request.user
    if not invitation.is_usable:
        if user.is_authenticated and invitation.accepted_by_id == user.pk:
            context["joined"] = True
            return render(request, "councils/people/invitation.html", context)
        context["error"] = (
            "This invitation link has expired or has already been used. "
            "Ask an admin of the organisation to invite you again."
        )
        return render(request, "councils/people/invitation.html", context, status=410)
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?next={request.path}")
        request.session[INVITATION_SESSION_KEY] = token
        context["next"] = request.path
        return render(request, "councils/people/invitation.html", context)
    if request.method == "POST":
        try:
            membership = invitation_services.accept_invitation(raw_token=token, user=user)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "councils/people/invitation.html", context, status=400)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            f"You have joined {membership.organisation.name} as "
            f"{membership.get_role_display().lower()}.",
        )
        return redirect("home")
    if invitation.email.lower() != user.email.lower():
        context["error"] = (
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out and sign in with the invited address."
        )
        return render(request, "councils/people/invitation.html", context, status=403)
    current = selectors.active_membership_for(user)
    if current is not None and current.organisation_id != invitation.organisation_id:
        context["error"] = (
            f"You are already a member of {current.organisation.name}. "
            "You can belong to one organisation at a time."
        )
        return render(request, "councils/people/invitation.html", context, status=400)
    return render(request, "councils/people/invitation.html", context)
