"""Onboarding pages (the HTML door): a person's request for an organisation
(``request_access``, mounted at ``/accounts/request-access/`` in the
``accounts`` namespace by ``collab_platform.urls``), and the staff pages: find
any organisation, switch registered authorities on, keep e-mail domains,
invite first admins, add suppliers and other public bodies, and decide access
requests.

Only platform admins (``policies.can_onboard_authorities``) get into the staff
pages; everyone else, signed in or not, gets 403. Two-factor authentication
for them is enforced by ``collab_platform.middleware.RequireMFAForPrivilegedMiddleware``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.doors import require, run_service

from .. import policies
from ..forms.onboarding import (
    AccessRequestForm,
    EmailDomainForm,
    InviteAdminForm,
    OrganisationCreateForm,
    OrganisationSearchForm,
    RejectAccessRequestForm,
)
from ..models import Membership, Organisation
from ..register import ATTRIBUTION
from ..selectors import onboarding as selectors
from ..selectors.people import admins_of
from ..services import onboarding
from ..services.people import create_invitation
from .people import personal_address_question

PAGE_SIZE = 25


def staff_only(view: Callable) -> Callable:
    """Sign-in first for anonymous visitors (as every other protected page
    does), then 403 for anyone who is not a platform admin, before anything
    is read."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(policies.can_onboard_authorities(request.user))
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@staff_only
def index(request: HttpRequest) -> HttpResponse:
    """Search every organisation, any status; pending access requests below."""
    search_form = OrganisationSearchForm(request.GET or None)
    query, status = "", ""
    if search_form.is_bound and search_form.is_valid():
        query = search_form.cleaned_data["q"]
        status = search_form.cleaned_data["status"]
    organisations = selectors.search_organisations(query=query, status=status)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "councils/onboarding/index.html",
        {
            "search_form": search_form,
            "page": page,
            "organisations": page.object_list,
            "is_filtered": bool(query or status),
            "access_requests": selectors.pending_access_requests(),
            "attribution": ATTRIBUTION,
        },
    )


def _render_organisation(
    request: HttpRequest,
    organisation: Organisation,
    *,
    domain_form: EmailDomainForm | None = None,
    invite_form: InviteAdminForm | None = None,
    question: dict | None = None,
) -> HttpResponse:
    return render(
        request,
        "councils/onboarding/organisation.html",
        {
            **(question or {}),
            "organisation": organisation,
            "domains": selectors.email_domains_of(organisation),
            "admins": admins_of(organisation),
            "predecessors": selectors.predecessors_of(organisation),
            "invitations": selectors.invitations_sent(organisation),
            "domain_form": domain_form or EmailDomainForm(),
            "invite_form": invite_form or InviteAdminForm(),
            "can_activate": organisation.status == Organisation.Status.REGISTERED,
            "can_invite": organisation.status != Organisation.Status.ENDED,
            "attribution": ATTRIBUTION,
        },
    )


@require_GET
@staff_only
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """Register facts, status, e-mail domains, admins and invitations of one organisation."""
    return _render_organisation(request, selectors.get_organisation_for_onboarding(slug))


@require_POST
@staff_only
def activate(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.get_organisation_for_onboarding(slug)
    try:
        onboarding.activate_organisation(organisation=organisation, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{organisation.name} is now active.")
    return redirect("onboarding:organisation", slug=organisation.slug)


@require_POST
@staff_only
def domain_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.get_organisation_for_onboarding(slug)
    form = EmailDomainForm(request.POST)
    if form.is_valid():
        ok, email_domain = run_service(
            form,
            lambda: onboarding.add_email_domain(
                organisation=organisation, domain=form.cleaned_data["domain"], by=request.user
            ),
        )
        if ok:
            messages.success(request, f"Added the e-mail domain {email_domain.domain}.")
            return redirect("onboarding:organisation", slug=organisation.slug)
    return _render_organisation(request, organisation, domain_form=form)


@require_POST
@staff_only
def domain_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_onboarding(slug)
    email_domain = selectors.get_email_domain_of(organisation, pk)
    onboarding.remove_email_domain(email_domain=email_domain, by=request.user)
    messages.success(request, f"Removed the e-mail domain {email_domain.domain}.")
    return redirect("onboarding:organisation", slug=organisation.slug)


@require_POST
@staff_only
def invite_admin(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite the organisation's first admin (or another one) by e-mail."""
    organisation = selectors.get_organisation_for_onboarding(slug)
    form = InviteAdminForm(request.POST)
    if form.is_valid():
        question = personal_address_question(form)
        if question:
            return _render_organisation(request, organisation, invite_form=form, question=question)
        ok, created = run_service(
            form,
            lambda: create_invitation(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=Membership.Role.ADMIN,
                by=request.user,
                confirm_personal_address=form.personal_address_confirmed(),
            ),
        )
        if ok:
            invitation, _raw = created
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("onboarding:organisation", slug=organisation.slug)
    return _render_organisation(request, organisation, invite_form=form)


@require_http_methods(["GET", "POST"])
@staff_only
def organisation_create(request: HttpRequest) -> HttpResponse:
    """Add a supplier or another public body by hand."""
    form = OrganisationCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ok, organisation = run_service(
            form, lambda: onboarding.create_organisation(**form.cleaned_data, by=request.user)
        )
        if ok:
            messages.success(request, f"Added {organisation.name}.")
            return redirect("onboarding:organisation", slug=organisation.slug)
    return render(request, "councils/onboarding/organisation_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_only
def access_request_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """GET shows the request and asks to confirm; POST approves or rejects it."""
    if decision not in ("approve", "reject"):
        raise Http404("No such decision.")
    access_request = selectors.get_access_request_for_onboarding(pk)
    form = RejectAccessRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if decision == "approve":
                membership = onboarding.approve_access_request(
                    access_request=access_request, by=request.user
                )
            else:
                onboarding.reject_access_request(
                    access_request=access_request,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("onboarding:index")
        if decision == "approve":
            messages.success(
                request,
                f"Approved: {membership.organisation.name} was created and "
                f"{access_request.user.email} is its admin. Add its e-mail domains below.",
            )
            return redirect("onboarding:organisation", slug=membership.organisation.slug)
        messages.success(
            request,
            f"Rejected the request for {access_request.organisation_name}. "
            f"We told {access_request.user.email}.",
        )
        return redirect("onboarding:index")
    return render(
        request,
        "councils/onboarding/access_request.html",
        {"access_request": access_request, "decision": decision, "form": form},
    )


# A person's own request --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    """A supplier or public body not on the register asks for an organisation."""
    user = request.user
    refusal = policies.access_request_refusal(user)
    if refusal:
        messages.info(request, refusal)
        return redirect("home")
    pending = selectors.pending_access_request_for(user)
    if pending is not None:
        return render(
            request, "councils/onboarding/request_access_pending.html", {"access_request": pending}
        )
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ok, _created = run_service(
                form,
                lambda: onboarding.request_access(
                    user=user,
                    organisation_name=form.cleaned_data["organisation_name"],
                    kind=form.cleaned_data["kind"],
                    website=form.cleaned_data["website"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if ok:
                messages.success(
                    request, "We have sent your request to the platform team. We will e-mail you."
                )
                return redirect("accounts:request_access")
        return render(
            request, "councils/onboarding/request_access.html", {"form": form}, status=400
        )
    return render(request, "councils/onboarding/request_access.html", {"form": form})
