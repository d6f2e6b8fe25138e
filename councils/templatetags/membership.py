"""Template tags that show a person's place in an organisation on pages that
are not the organisation's, such as the account page: accounts (identity)
knows nothing of organisations, so its templates ask councils here."""

from __future__ import annotations

from django import template

from ..selectors.people import active_membership_for, pending_memberships_of_user

register = template.Library()


@register.inclusion_tag("councils/includes/membership_summary_rows.html")
def membership_summary(user) -> dict:
    """GOV.UK summary-list rows: the person's organisation (or their pending
    requests, or how to ask for one) and their role."""
    membership = active_membership_for(user)
    return {
        "membership": membership,
        "pending_memberships": [] if membership else pending_memberships_of_user(user),
    }
