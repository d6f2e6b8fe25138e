"""Pages for updates and comments, and the updates and discussion sections
of the initiative page. Each view parses input, asks the policies (403 with
their reason), calls a service and renders; the rules live in ``services``
and ``policies``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.doors import require, run_service

from .. import policies
from ..forms.discussion import CommentForm, UpdateForm
from ..models import Initiative
from ..selectors.discussion import discussion, get_comment_for_user
from ..selectors.initiative import get_initiative_for_user
from ..services import discussion as services


def discussion_context(*, initiative: Initiative, user) -> dict:
    """The template context of ``includes/updates.html`` and
    ``includes/discussion.html``: the data from ``selectors.discussion`` and
    the empty forms the viewer may use."""
    section = discussion(initiative=initiative, user=user)
    return {
        "updates": section.updates,
        "comments": section.comments,
        "can_post_update": section.can_post_update,
        "can_comment": section.can_comment,
        "update_form": UpdateForm() if section.can_post_update else None,
        "comment_form": CommentForm() if section.can_comment else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def update_create(request, slug):
    initiative = get_initiative_for_user(request.user, slug)
    require(
        policies.can_post_update(request.user, initiative),
        "Only the lead and committed partners can post updates.",
    )
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.post_update(
                initiative=initiative,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            ),
            default_field="body",
        )
        if ok:
            messages.success(request, "Your update has been posted.")
            return redirect(f"{initiative.get_absolute_url()}#updates")
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
    require(
        policies.can_comment(request.user, initiative), "You cannot comment on this initiative."
    )
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, comment = run_service(
            form,
            lambda: services.post_comment(
                initiative=initiative, by=request.user, body=form.cleaned_data["body"]
            ),
            default_field="body",
        )
        if ok:
            messages.success(request, "Your comment has been posted.")
            return redirect(f"{initiative.get_absolute_url()}#comment-{comment.pk}")
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
    refusal = policies.edit_comment_refusal(request.user, comment)
    if refusal != policies.EDIT_WINDOW_CLOSED:
        require(refusal)  # not the author, or deleted: 403 with the reason
    # Past the window the page explains itself (and the form is not offered).
    window_open = refusal is None
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and window_open and form.is_valid():
        ok, _ = run_service(
            form,
            lambda: services.edit_comment(
                comment=comment, by=request.user, body=form.cleaned_data["body"]
            ),
            default_field="body",
        )
        window_open = policies.can_edit_comment(request.user, comment)
        if ok:
            messages.success(request, "Your comment has been changed.")
            return redirect(f"{initiative.get_absolute_url()}#comment-{comment.pk}")
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
    require(policies.can_delete_comment(request.user, comment), "You cannot delete this comment.")
    if request.method == "POST":
        try:
            services.delete_comment(comment=comment, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The comment has been deleted.")
        return redirect(f"{initiative.get_absolute_url()}#comment-{comment.pk}")
    return render(
        request,
        "initiatives/discussion/comment_delete.html",
        {"initiative": initiative, "comment": comment},
    )
