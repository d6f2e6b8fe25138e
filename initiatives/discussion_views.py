"""Pages for updates, comments, flags, custom cost shares and the moderation
queue. Each view parses input, asks the policies, calls a service and
renders; the rules live in ``services`` and ``policies``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import policies
from .discussion_forms import CommentForm, CostSharesForm, FlagForm, UpdateForm
from .discussion_selectors import get_comment_for_user, get_open_flag, open_flags
from .models import Initiative
from .policies import can_set_cost_shares
from .selectors import get_initiative_for_user
from .services import cost_sharing as cost_sharing_services
from .services import discussion as discussion_services
from .services import updates as update_services


def _add_service_errors(form, error: ValidationError, *, field: str | None = None) -> None:
    """Show a service's ValidationError on the form (so the error summary lists it)."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = name if name in form.fields else field
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(field, message)


def _detail_url(initiative: Initiative, anchor: str) -> str:
    return f"{initiative.get_absolute_url()}#{anchor}"


@login_required
@require_http_methods(["GET", "POST"])
def update_create(request, slug):
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_post_update(request.user, initiative):
        raise PermissionDenied("Only the lead and committed partners can post updates.")
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update_services.post_update(
                initiative=initiative,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            _add_service_errors(form, error, field="body")
        else:
            messages.success(request, "Your update has been posted.")
            return redirect(_detail_url(initiative, "updates"))
    return render(
        request,
        "initiatives/discussion/update_form.html",
        {"initiative": initiative, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request, slug):
    initiative = get_initiative_for_user(request.user, slug)
    if not policies.can_comment(request.user, initiative):
        raise PermissionDenied("You cannot comment on this initiative.")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment = discussion_services.post_comment(
                initiative=initiative, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_service_errors(form, error, field="body")
        else:
            messages.success(request, "Your comment has been posted.")
            return redirect(_detail_url(initiative, f"comment-{comment.pk}"))
    return render(
        request,
        "initiatives/discussion/comment_form.html",
        {"initiative": initiative, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, slug, pk):
    initiative = get_initiative_for_user(request.user, slug)
    comment = get_comment_for_user(request.user, initiative, pk)
    if comment.author_id != request.user.pk or comment.deleted_at is not None:
        raise PermissionDenied("Only the author can edit a comment.")
    window_open = policies.can_edit_comment(request.user, comment)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            discussion_services.edit_comment(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_service_errors(form, error, field="body")
            window_open = policies.can_edit_comment(request.user, comment)
        else:
            messages.success(request, "Your comment has been changed.")
            return redirect(_detail_url(initiative, f"comment-{comment.pk}"))
    return render(
        request,
        "initiatives/discussion/comment_edit.html",
        {
            "initiative": initiative,
            "comment": comment,
            "form": form,
            "window_open": window_open,
            "edit_window_minutes": comment.EDIT_WINDOW_MINUTES,
        },
        status=400 if form.errors else (200 if window_open else 403),
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request, slug, pk):
    initiative = get_initiative_for_user(request.user, slug)
    comment = get_comment_for_user(request.user, initiative, pk)
    if not policies.can_delete_comment(request.user, comment):
        raise PermissionDenied("You cannot delete this comment.")
    if request.method == "POST":
        try:
            discussion_services.delete_comment(comment=comment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The comment has been deleted.")
        return redirect(_detail_url(initiative, f"comment-{comment.pk}"))
    return render(
        request,
        "initiatives/discussion/comment_delete.html",
        {"initiative": initiative, "comment": comment},
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request, slug, pk):
    initiative = get_initiative_for_user(request.user, slug)
    comment = get_comment_for_user(request.user, initiative, pk)
    if not policies.can_flag_comment(request.user, comment):
        raise PermissionDenied("You cannot flag this comment.")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion_services.flag_comment(
                comment=comment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_service_errors(form, error, field="reason")
        else:
            messages.success(
                request, "Thank you. The comment has been flagged for the platform admins."
            )
            return redirect(_detail_url(initiative, f"comment-{comment.pk}"))
    return render(
        request,
        "initiatives/discussion/comment_flag.html",
        {"initiative": initiative, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cost_shares(request, slug):
    initiative = get_initiative_for_user(request.user, slug)
    if not can_set_cost_shares(request.user, initiative):
        raise PermissionDenied("Only the lead organisation's admins can set cost shares.")
    partnerships = list(cost_sharing_services.cost_sharing_partnerships(initiative))
    form = CostSharesForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        try:
            cost_sharing_services.set_custom_shares(
                initiative=initiative, shares=form.basis_points(), by=request.user
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "The custom cost shares have been saved.")
            return redirect(_detail_url(initiative, "cost-sharing"))
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


@login_required
@require_http_methods(["GET"])
def moderation_flags(request):
    if not policies.can_moderate(request.user):
        raise PermissionDenied("Only platform admins moderate comments.")
    # Queries: the open flags with comment, author, organisation, initiative and
    # flagger joined (one), plus the session and user.
    return render(
        request,
        "initiatives/moderation/flags.html",
        {"flags": list(open_flags()), "outcomes": discussion_services.FlagOutcome},
    )


@login_required
@require_POST
def moderation_flag_resolve(request, pk):
    if not policies.can_moderate(request.user):
        raise PermissionDenied("Only platform admins moderate comments.")
    flag = get_open_flag(pk)
    outcome = request.POST.get("outcome", "")
    try:
        discussion_services.resolve_flag(flag=flag, by=request.user, outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if outcome == discussion_services.FlagOutcome.DELETE_COMMENT:
            messages.success(request, "The comment has been deleted and its flags closed.")
        else:
            messages.success(request, "The flag has been dismissed.")
    return redirect("initiatives:moderation_flags")
