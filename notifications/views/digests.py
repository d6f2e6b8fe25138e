"""Staff pages for digests (``/staff/digests/``, namespace ``staff_digests``):
every delivery with its status, sending a failed one again, and a preview of
anyone's next digest.

Only platform admins (``policies.can_manage_digests``) get in; anyone else
signed in gets 403, anonymous visitors the sign-in page (as the onboarding
pages do). Two-factor authentication for staff is enforced by
``collab_platform.middleware.RequireMFAForPrivilegedMiddleware``.

How the preview shows the HTML e-mail safely: the page itself never puts the
e-mail's markup into its own DOM (no ``|safe``). The preview page shows the
plain-text version in a ``<pre>`` (escaped like any other text) and loads
the HTML version into ``<iframe sandbox>`` from a second staff URL
(``preview_html``). That response carries its own strict Content Security
Policy: no scripts, no connections, no forms, no plugins, nothing loaded
from anywhere (``default-src 'none'``), only the e-mail's inline styles,
``sandbox`` (a unique origin: even if something slipped through it could not
read the staff session or the page around it), and framable by our own
pages only. The e-mail template escapes everything people typed anyway;
this is the belt to those braces, and it shows staff exactly the HTML a
person would get. Rendering the sections again with page templates would
show something that is not the e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from csp.decorators import csp
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from core.doors import require
from core.forms import GovukForm

from .. import policies
from ..models import DigestFrequency, NotificationSettings
from ..selectors import deliveries as selectors
from ..selectors.digest import next_digest_preview
from ..services import digests

PAGE_SIZE = 50
STAFF_ONLY = "Only platform admins see digest deliveries."

# The HTML e-mail's own policy inside the preview frame (see the module docstring).
PREVIEW_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
    "sandbox": [""],
}


class PreviewSearchForm(GovukForm):
    """Whose digest to preview. (Here rather than in ``forms.py``, which is
    the settings page's form; this is one field of a staff page.)"""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The address the person signs in with, for example oliver.bennett@leeds.gov.uk.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        self.person = selectors.person_by_email(email)
        if self.person is None:
            raise ValidationError(f"No one has the e-mail address {email}")
        return email


def staff_only(view: Callable) -> Callable:
    """Sign-in first for anonymous visitors, then 403 for anyone who is not
    a platform admin, before anything is read (the onboarding pages' rule)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require(policies.can_manage_digests(request.user), STAFF_ONLY)
        return view(request, *args, **kwargs)

    return wrapper


def _status_filter(value: str | None) -> str:
    return value if value in selectors.FILTER_VALUES else ""


@require_GET
@staff_only
def deliveries(request: HttpRequest) -> HttpResponse:
    """Every delivery, newest first, 50 a page, filtered by status."""
    status = _status_filter(request.GET.get("status"))
    counts = selectors.status_counts()
    # The paginator's count is the filter's count, already known: no COUNT query.
    rows = selectors.deliveries(status=status)
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = counts[status]
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/staff/deliveries.html",
        {
            "page": page,
            "deliveries": page.object_list,
            "status": status,
            "filters": [
                {"value": value, "label": label, "count": counts[value]}
                for value, label in selectors.FILTERS
            ],
            "resendable": selectors.RESENDABLE,
        },
    )


@require_POST
@staff_only
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one delivery again (``digests.resend`` refuses a sent one)."""
    delivery = selectors.get_delivery(pk)
    try:
        delivery = digests.resend(delivery=delivery, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{delivery.user.email}, {delivery.period_key}: {message}")
    else:
        messages.success(
            request,
            f"The {delivery.period_key} digest for {delivery.user.email} was sent again. "
            f"Status now: {delivery.get_status_display().lower()}.",
        )
    url = reverse("staff_digests:deliveries")
    status = _status_filter(request.POST.get("status"))
    return redirect(f"{url}?status={status}" if status else url)


def _preview_of(person) -> dict:
    digest = next_digest_preview(person)
    row = NotificationSettings.objects.filter(user=person).first()
    # No unsubscribe link: a working one-click link for someone else's
    # account has no business on a staff page.
    subject, text, _html = digests.render_digest(digest, settings_row=row)
    return {
        "digest": digest,
        "subject": subject,
        "text": text,
        "settings_row": row,
        "frequency_label": DigestFrequency(digest.frequency).label,
    }


@require_GET
@staff_only
def preview(request: HttpRequest) -> HttpResponse:
    """Anyone's next digest as it would be sent now. Reads only: no
    delivery is claimed and nobody's schedule moves."""
    form = PreviewSearchForm(request.GET if "email" in request.GET else None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        person = form.person
        context.update(_preview_of(person), person=person)
    return render(
        request,
        "notifications/staff/preview.html",
        context,
        status=400 if form.errors else 200,
    )


@require_GET
@staff_only
@never_cache
@xframe_options_sameorigin
@csp(PREVIEW_CSP)
def preview_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML e-mail alone, for the preview page's sandboxed frame."""
    person = selectors.get_person(pk)
    digest = next_digest_preview(person)
    row = NotificationSettings.objects.filter(user=person).first()
    _subject, _text, html = digests.render_digest(digest, settings_row=row)
    return HttpResponse(html, content_type="text/html; charset=utf-8")
