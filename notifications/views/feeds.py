"""Feed pages: "See all activity" for the dashboard, an initiative and a
council, 25 lines a page. Each reads through the feeds selectors, which
start from ``visible_activities``; a page out of range shows the last page,
as the catalogue does (``Paginator.get_page``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from councils.selectors.directory import get_organisation_for_user
from councils.selectors.people import active_membership_for
from initiatives.selectors.initiative import get_initiative_for_user

from ..selectors.feeds import (
    PAGE_SIZE,
    SECTION_SIZE,
    council_feed,
    dashboard_feed,
    feed_entries,
    initiative_feed,
)


def feed_section(activities, *, all_url: str, about: str) -> dict:
    """What a page's "Recent activity" section draws (``feed/_section.html``):
    the newest ``SECTION_SIZE`` lines of ``activities`` and the full page's
    link (``about`` names the feed for screen readers: "See all activity
    on …"). Four queries: the lines, then their initiatives, workshops and
    actors' memberships."""
    return {
        "entries": feed_entries(activities[:SECTION_SIZE]),
        "all_url": all_url,
        "about": about,
    }


def dashboard_section(user) -> dict:
    """The dashboard's feed section."""
    return feed_section(
        dashboard_feed(user), all_url=reverse("feeds:dashboard"), about="for your council"
    )


def initiative_section(user, initiative) -> dict:
    """An initiative page's feed section."""
    return feed_section(
        initiative_feed(user, initiative),
        all_url=reverse("feeds:initiative", kwargs={"slug": initiative.slug}),
        about=f"on {initiative.title}",
    )


def council_page_section(user, organisation) -> dict:
    """A council page's feed section (registered with ``councils.page_sections``
    in ``NotificationsConfig.ready``)."""
    return {
        "feed": feed_section(
            council_feed(user, organisation),
            all_url=reverse("feeds:council", kwargs={"slug": organisation.slug}),
            about=f"at {organisation.name}",
        )
    }


def _render_feed(request: HttpRequest, activities, context: dict) -> HttpResponse:
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    context |= {"page": page, "entries": feed_entries(page.object_list)}
    return render(request, "notifications/feed/page.html", context)


@require_GET
@login_required
def dashboard_activity(request: HttpRequest) -> HttpResponse:
    """All the activity the viewer's dashboard draws from."""
    membership = active_membership_for(request.user)
    return _render_feed(
        request,
        dashboard_feed(request.user),
        {
            "title": "Activity for you",
            "about": membership.organisation if membership else None,
            "back_url": "/",
            "back_label": "Dashboard",
        },
    )


@require_GET
def initiative_activity(request: HttpRequest, slug: str) -> HttpResponse:
    """All of one initiative's activity (404 alike for missing and not visible)."""
    initiative = get_initiative_for_user(request.user, slug)
    return _render_feed(
        request,
        initiative_feed(request.user, initiative),
        {
            "title": f"Activity on {initiative.title}",
            "back_url": initiative.get_absolute_url(),
            "back_label": initiative.title,
        },
    )


@require_GET
def council_activity(request: HttpRequest, slug: str) -> HttpResponse:
    """All of one council's activity (404 alike for missing and not visible)."""
    organisation = get_organisation_for_user(request.user, slug)
    return _render_feed(
        request,
        council_feed(request.user, organisation),
        {
            "title": f"Activity at {organisation.name}",
            "back_url": organisation.get_absolute_url(),
            "back_label": organisation.name,
        },
    )
