"""Site-wide pages: the home page / dashboard, the accessibility statement and
the styled error pages."""

import sys

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.doors import DEFAULT_REFUSAL
from core.middleware import database_unavailable_response, is_database_unavailable, wants_json
from councils import policies as council_policies
from councils.selectors import onboarding as onboarding_selectors
from councils.selectors import people as council_selectors
from initiatives import policies as initiative_policies
from initiatives.selectors import moderation as moderation_selectors
from initiatives.selectors.initiative import initiatives_for_dashboard
from notifications.views.feeds import dashboard_section


@require_GET
def home(request):
    """The dashboard: a platform admin's work (onboarding, access requests,
    the moderation queue) first, then their council's if they have one; for
    an officer, their council's initiatives and people waiting for them."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    membership = council_selectors.active_membership_for(request.user)
    context = {"membership": membership, "pending_memberships": [], "pending_requests": []}
    if council_policies.can_onboard_authorities(request.user):
        context["onboarding"] = onboarding_selectors.onboarding_overview()
    if initiative_policies.can_moderate(request.user):
        context["moderation"] = moderation_selectors.moderation_overview()
    if membership is not None:
        context["can_manage_people"] = council_policies.can_manage_people(
            request.user, membership.organisation
        )
    if membership and context["can_manage_people"]:
        context["pending_memberships"] = list(
            council_selectors.pending_memberships(membership.organisation)
        )
    if membership is not None:
        context["dashboard_initiatives"] = initiatives_for_dashboard(request.user)
        context["activity"] = dashboard_section(request.user)
    elif "onboarding" not in context:
        context["my_pending"] = council_selectors.pending_memberships_of_user(request.user)
    return render(request, "dashboard.html", context)


@require_GET
def accessibility(request):
    return render(request, "accessibility.html")


def permission_denied(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": str(exception or "") or DEFAULT_REFUSAL}, status=403)
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The 500 page, or the database's 503 when the failure was the database
    going away before any view ran (loading the session or the user), so a
    signed-in person gets the same clear answer as everyone else."""
    # No context processors here: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    exception = sys.exc_info()[1]
    if is_database_unavailable(exception):
        return database_unavailable_response(request, exception)
    if wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
