"""The cost-sharing section of the initiative page and the lead's page for
recording custom shares."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.doors import require, run_service

from .. import policies
from ..forms.cost_sharing import CostSharesForm
from ..models import Initiative
from ..selectors.cost_sharing import cost_sharing_partnerships, cost_split
from ..selectors.initiative import get_initiative_for_user
from ..services import cost_sharing as services

LEAD_ADMINS_ONLY = "Only the lead organisation's admins can set cost shares."


def cost_sharing_context(*, initiative: Initiative, user) -> dict:
    """The template context of ``includes/cost_sharing.html``: the split
    (data) and whether the viewer may record custom shares."""
    return {
        "cost_sharing": cost_split(initiative),
        "can_set_custom_shares": policies.can_set_cost_shares(user, initiative)
        and initiative.cost_split_method == Initiative.CostSplit.CUSTOM,
    }


@login_required
@require_http_methods(["GET", "POST"])
def cost_shares(request, slug):
    initiative = get_initiative_for_user(request.user, slug)
    require(policies.can_set_cost_shares(request.user, initiative), LEAD_ADMINS_ONLY)
    partnerships = list(cost_sharing_partnerships(initiative))
    form = CostSharesForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.set_custom_shares(
                initiative=initiative, shares=form.basis_points(), by=request.user
            ),
        )
        if ok:
            messages.success(request, "The custom cost shares have been saved.")
            return redirect(f"{initiative.get_absolute_url()}#cost-sharing")
    return render(
        request,
        "initiatives/discussion/cost_shares.html",
        {
            "initiative": initiative,
            "form": form,
            "uses_custom_split": initiative.cost_split_method == Initiative.CostSplit.CUSTOM,
        },
        status=400 if form.errors else 200,
    )
