"""Follow and unfollow an initiative (its page's follow box is part of
``views.partnerships.partners_context``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from core.doors import require

from .. import policies
from ..selectors.initiative import get_initiative_for_user
from ..services import follows as services

FOLLOW_REFUSED = "You cannot follow this initiative."


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    require(policies.can_follow(request.user, initiative), FOLLOW_REFUSED)
    services.follow_initiative(initiative=initiative, user=request.user)
    messages.success(request, f"You are following {initiative.title}.")
    return redirect(initiative.get_absolute_url())


@login_required
@require_POST
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = get_initiative_for_user(request.user, slug)
    require(policies.can_follow(request.user, initiative), FOLLOW_REFUSED)
    services.unfollow_initiative(initiative=initiative, user=request.user)
    messages.success(request, f"You are no longer following {initiative.title}.")
    return redirect(initiative.get_absolute_url())
