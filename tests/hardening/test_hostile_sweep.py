"""A hostile-input sweep over every HTML form the site serves.

Walks every URL pattern as the cross-tenant probe does, opens each page as
the people who can use its forms (the owning council's admin, and a platform
admin), and submits every form it finds with hostile values in every field:
NUL characters, over-long text, integers far beyond 64 bits, impossible date
parts, floats that overflow, repeated values where one is expected. On
PostgreSQL (CI) no answer may be a server error, and input that can never be
valid (NUL) must change nothing. New forms are swept without anyone adding
them.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests.security.test_cross_tenant_probe import (
    build_victim_world,
    probe_plan,
    snapshot,
    victim_querysets,
)

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "probe\x00value",
    "long": "x" * 20_000,
    "huge-int": "9" * 30,
    "negative": "-99999999999999999999",
    "float-overflow": "1e309",
    "date-part": "99999999999999999999",
    # A plausible year beside an impossible day and month, so a date field
    # gets past its "four-digit year" check and has to build the date.
    "date-overflow": "99999999999999999999",
}
YEAR_SUFFIXES = ("_2", "year")
NEVER_VALID = {"nul"}
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# Forms that end the session or belong to allauth's own flows (tested there).
SKIP_ACTIONS = ("/accounts/logout/", "/accounts/2fa/", "/accounts/password/", "/accounts/email/")


class FormFinder(HTMLParser):
    """The forms of a page: method, action and field names."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current is not None:
            name = attrs.get("name")
            if name and attrs.get("type") not in ("submit", "button", "file"):
                self._current["fields"][name] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _value(label: str, value: str, field: str) -> str:
    if label == "date-overflow" and field.endswith(YEAR_SUFFIXES):
        return "2026"
    return value


def forms_on(html: str) -> list[dict]:
    finder = FormFinder()
    finder.feed(html)
    return finder.forms


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def sweep(client: Client, plan, world_rows) -> tuple[list[str], int]:
    problems: list[str] = []
    submitted = 0
    seen_forms: set[tuple[str, str, tuple[str, ...]]] = set()
    for _name, path in plan:
        if path.startswith("/api/") or path.startswith("/django-admin/"):
            continue
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in forms_on(page.content.decode("utf-8", "replace")):
            action = urlsplit(urljoin(path, form["action"] or path)).path
            fields = tuple(sorted(set(form["fields"]) - SKIP_FIELDS))
            key = (form["method"], action, fields)
            if not fields or action.startswith(SKIP_ACTIONS) or key in seen_forms:
                continue
            seen_forms.add(key)
            for label, value in HOSTILE.items():
                data = {field: _value(label, value, field) for field in fields}
                before = snapshot(world_rows) if label in NEVER_VALID else None
                send = client.post if form["method"] == "post" else client.get
                response = send(action, data)
                submitted += 1
                if response.status_code >= 500:
                    problems.append(f"{form['method'].upper()} {action} [{label}]: 500")
                if before is not None and snapshot(world_rows) != before:
                    problems.append(f"{form['method'].upper()} {action} [{label}]: changed rows")
    return problems, submitted


@pytest.fixture
def world(council, officer, council_admin, facilitator):
    return build_victim_world(council, officer, council_admin, facilitator)


@pytest.mark.parametrize("actor", ["council_admin", "staff"])
def test_no_form_answers_hostile_input_with_a_server_error(request, world, actor):
    user = request.getfixturevalue(actor)  # both have two-factor enrolled
    plan, _skipped, unknown = probe_plan(world)
    assert not unknown
    problems, submitted = sweep(_signed_in(user), plan, victim_querysets(world))
    assert submitted > 50, f"only {submitted} hostile submissions: is the sweep finding forms?"
    print(f"{actor}: {submitted} hostile submissions")
    assert problems == []


def test_the_form_finder_reads_fields_and_methods():
    html = (
        '<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken">'
        '<input name="title"><select name="stage"></select><textarea name="body"></textarea>'
        '<button type="submit" name="go">Go</button></form><form><input name="q"></form>'
    )
    assert forms_on(html) == [
        {
            "method": "post",
            "action": "/x/",
            "fields": {"csrfmiddlewaretoken": "", "title": "", "stage": "", "body": ""},
        },
        {"method": "get", "action": "", "fields": {"q": ""}},
    ]
