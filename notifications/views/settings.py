"""The "Email notifications" page: a person's own digest schedule, topics
and immediate e-mails. It only ever reads and changes the signed-in
person's own row, so there is nothing to look up from the URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.doors import run_service
from councils.policies import is_council_admin

from ..forms import NotificationSettingsForm
from ..models import DigestFrequency
from ..services.preferences import settings_for, update_settings


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    row = settings_for(request.user)
    is_admin = is_council_admin(request.user)
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, is_admin=is_admin, row=row)
        if form.is_valid():
            ok, _row = run_service(
                form, lambda: update_settings(user=request.user, changes=form.changes())
            )
            if ok:
                messages.success(request, "Your email notification settings have been saved.")
                return redirect("notifications:settings")
        return _render(request, form=form, row=row, status=400)
    return _render(request, form=NotificationSettingsForm(is_admin=is_admin, row=row), row=row)


def _render(request, *, form, row, status: int = 200) -> HttpResponse:
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "row": row, "digest_off": row.digest_frequency == DigestFrequency.OFF},
        status=status,
    )
