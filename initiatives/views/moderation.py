"""Moderation pages: flag a comment for the platform admins, and the admins'
queue of open flags where they delete the comment or dismiss the flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.doors import require, run_service

from .. import policies
from ..forms.moderation import FlagForm
from ..selectors.discussion import get_comment_for_user
from ..selectors.initiative import get_initiative_for_user
from ..selectors.moderation import get_open_flag, open_flags
from ..services import moderation as services

MODERATORS_ONLY = "Only platform admins moderate comments."


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request, slug, pk):
    initiative = get_initiative_for_user(request.user, slug)
    comment = get_comment_for_user(request.user, initiative, pk)
    require(policies.can_flag_comment(request.user, comment), "You cannot flag this comment.")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.flag_comment(
                comment=comment, by=request.user, reason=form.cleaned_data["reason"]
            ),
            default_field="reason",
        )
        if ok:
            messages.success(
                request, "Thank you. The comment has been flagged for the platform admins."
            )
            return redirect(f"{initiative.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "initiatives/discussion/comment_flag.html",
        {"initiative": initiative, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def moderation_flags(request):
    require(policies.can_moderate(request.user), MODERATORS_ONLY)
    # Queries: the open flags with comment, author, organisation, initiative and
    # flagger joined (one), plus the session and user.
    return render(
        request,
        "initiatives/moderation/flags.html",
        {"flags": list(open_flags()), "outcomes": services.FlagOutcome},
    )


@login_required
@require_POST
def moderation_flag_resolve(request, pk):
    require(policies.can_moderate(request.user), MODERATORS_ONLY)
    flag = get_open_flag(pk)
    outcome = request.POST.get("outcome", "")
    try:
        services.resolve_flag(flag=flag, by=request.user, outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if outcome == services.FlagOutcome.DELETE_COMMENT:
            messages.success(request, "The comment has been deleted and its flags closed.")
        else:
            messages.success(request, "The flag has been dismissed.")
    return redirect("initiatives:moderation_flags")
