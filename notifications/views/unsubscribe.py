"""One-click unsubscribe (RFC 8058) from a link in an e-mail, without
signing in: the signed token in the URL is the only authority
(``notifications.unsubscribe``), and it turns off one list of one person,
once."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from ..selectors.preferences import LinkState, unsubscribe_link
from ..services.preferences import unsubscribe

ONE_CLICK_FIELD = "List-Unsubscribe"
ONE_CLICK_VALUE = "One-Click"


def is_one_click(request: HttpRequest) -> bool:
    """The POST is exactly what RFC 8058 has a mail client send: one field,
    ``List-Unsubscribe=One-Click``, and nothing else (no file, no other
    field, no second value)."""
    return (
        request.method == "POST"
        and not request.FILES
        and [(key, values) for key, values in request.POST.lists()]
        == [(ONE_CLICK_FIELD, [ONE_CLICK_VALUE])]
    )


def _answer(request: HttpRequest, raw_token: str) -> HttpResponse:
    link = unsubscribe_link(raw_token)
    if link.state is LinkState.INVALID:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    context = {"link": link, "list_label": link.list_label}
    if link.state is LinkState.USED:
        return render(request, "notifications/unsubscribe_done.html", {**context, "again": True})
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", context)
    changed = unsubscribe(token=link.token)
    # Lost a race with another use of the same link: it has been used.
    return render(request, "notifications/unsubscribe_done.html", {**context, "again": not changed})


# The page's own button is an ordinary form: CSRF-checked as everywhere else.
_confirmed = csrf_protect(_answer)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show the "Unsubscribe from …" page (GET) or unsubscribe (POST).

    Why one POST is exempt from CSRF: a mail client's "Unsubscribe" button
    POSTs ``List-Unsubscribe=One-Click`` to this URL with no cookies and no
    CSRF token (RFC 8058 section 3.2), so it cannot pass the check. CSRF
    protects actions taken with a browser's ambient authority (its session
    cookie); this one takes none: the session is never read, and the only
    authority is the signed, single-use token in the URL, which only the
    recipient's mailbox has. A forged cross-site request would need the
    token, and whoever has it may already unsubscribe. The exemption is
    narrow: only a body that is exactly the one-click form skips the check;
    any other POST (the page's own button, anything with extra fields) goes
    through ``csrf_protect`` as usual, so it cannot widen by accident if the
    form ever grows a field.
    """
    if request.method == "POST" and not is_one_click(request):
        return _confirmed(request, token)
    return _answer(request, token)
