"""Arrangements for the initiative tests (catalogue, pages, API, CSV): a
valid create-form submission and one initiative of each visibility."""

from councils.models import Membership
from tests import factories


def form_data(**overrides) -> dict:
    """A valid create form submission (the duplicate list already seen)."""
    data = {
        "title": "Garden waste subscriptions",
        "summary": "One online service for garden waste renewals.",
        "description": "We want to **share** the build.",
        "stage": "idea",
        "collaboration_level": "co_designing",
        "looking_for_partners": "on",
        "visibility": "public",
        "estimated_cost": "12,500.50",
        "funding_band": "under_50k",
        "funding_sources": ["own_budgets", "local_digital_fund"],
        "cost_split_method": "equal",
        "tags": "garden waste, renewals",
        "service_areas": ["waste"],
        "duplicates_seen": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def one_of_each_visibility(lead):
    """Four initiatives led by ``lead``, one per visibility, keyed by it."""
    return {
        vis: factories.InitiativeFactory(
            lead_organisation=lead, visibility=vis, title=f"Visibility {vis} pilot"
        )
        for vis in ("public", "platform", "partners", "draft")
    }


def officer_of(org):
    return factories.member_of(org, Membership.Role.MEMBER)


def result_titles(response) -> list[str]:
    """The titles of the catalogue's result rows, in order."""
    import re

    html = response.content.decode()
    return re.findall(r'<h3 class="govuk-heading-s app-result__title"><a [^>]+>([^<]+)</a>', html)
