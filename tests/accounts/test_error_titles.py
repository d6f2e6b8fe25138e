"""A page whose form has errors starts its title with "Error: " (GOV.UK: so a
screen reader user hears at once that the submission failed), on allauth's
pages as on every other form page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title(response) -> str:
    return TITLE.search(response.content.decode()).group(1).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "data", "heading"),
    [
        ("account_signup", {"email": "", "password1": "", "password2": ""}, "Create an account"),
        ("account_login", {"login": "", "password": ""}, "Sign in"),
        ("account_reset_password", {"email": "not-an-address"}, "Reset your password"),
    ],
)
def test_entrance_pages_with_errors_are_titled_error(client, url_name, data, heading):
    page = client.get(reverse(url_name))
    assert title(page) == f"{heading} – Council Collaboration Platform"  # no errors, no prefix
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    # GOV.UK's title pattern: the page, a dash, the service's name.
    assert title(response) == f"Error: {heading} – Council Collaboration Platform"
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_change_password_with_errors_is_titled_error(client_for, officer):
    client = client_for(officer)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "", "password1": "", "password2": ""}
    )
    assert title(response).startswith("Error: Change your password")


@pytest.mark.django_db
def test_own_pages_with_errors_are_titled_error(client_for, officer, council, council_admin):
    client = client_for(officer)
    response = client.post(reverse("accounts:token_create"), {"name": ""})
    assert title(response).startswith("Error: Your account")

    client = client_for(council_admin)
    response = client.post(
        reverse("councils:invite", kwargs={"slug": council.slug}), {"email": "nope"}
    )
    assert title(response).startswith("Error: People")


@pytest.mark.django_db
def test_request_access_with_errors_is_titled_error(client_for):
    client = client_for(factories.UserFactory(email="rita@northwind.example"))
    response = client.post(reverse("accounts:request_access"), {"organisation_name": ""})
    assert title(response).startswith("Error: Request access")


def test_every_template_with_an_error_summary_prefixes_its_title():
    """Found, not listed: a template that shows an error summary either says
    "Error: " in its own title or inherits allauth's layout, which does."""
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if "govuk_error_summary" not in text or path.parent.name in ("elements", "includes"):
            continue
        own_title = re.search(r"{% block (head_)?title %}(.*?){% endblock", text, re.S)
        if own_title and "Error: " in own_title.group(2):
            continue
        if own_title and own_title.group(1) == "head_":
            continue  # allauth's pages: templates/allauth/layouts/base.html adds the prefix
        missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []
    layout = (TEMPLATES / "allauth" / "layouts" / "base.html").read_text()
    assert "{% if form.errors %}Error: {% endif %}{% block head_title %}" in layout
