"""Every page is sent with a strict Content-Security-Policy and the usual
security headers, and no rendered page relies on inline script, inline event
handlers or ``style`` attributes (which that policy would block)."""

import pytest

from tests import factories
from tests.security.html_checks import inline_code_in, parse_csp

ANONYMOUS_PAGES = [
    "/",
    "/accessibility/",
    "/accounts/login/",
    "/accounts/signup/",
    "/councils/",
    "/api/docs/",
]
OFFICER_PAGES = ["/", "/councils/", "/councils/leedsham/", "/accounts/profile/"]


def assert_page_is_strict(response, path):
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    header = response.get("Content-Security-Policy")
    assert header, f"{path} has no Content-Security-Policy header"
    csp = parse_csp(header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, header
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    problems = inline_code_in(response.content.decode())
    assert not problems, f"{path} has inline code a strict CSP blocks:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_public_pages_are_sent_with_a_strict_policy(client, council, path):
    assert_page_is_strict(client.get(path), path)


@pytest.mark.django_db
@pytest.mark.parametrize("path", OFFICER_PAGES)
def test_signed_in_pages_are_sent_with_a_strict_policy(client_for, officer, path):
    factories.SystemInUseFactory(organisation=officer.memberships.get().organisation)
    assert_page_is_strict(client_for(officer).get(path), path)


@pytest.mark.django_db
def test_error_pages_are_sent_with_a_strict_policy(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert not inline_code_in(response.content.decode())


def test_the_inline_code_finder_finds_what_it_should():
    html = (
        '<script src="/static/js/app.mjs"></script>'
        '<script type="application/json">{"a": 1}</script>'
        "<script>alert(1)</script>"
        '<p style="color:red" onclick="x()">hi</p><style>p{}</style>'
        '<a href="javascript:void(0)">x</a>'
    )
    problems = inline_code_in(html)
    assert len(problems) == 5, problems
    assert inline_code_in('<script src="/x.js"></script><p class="a">ok</p>') == []
