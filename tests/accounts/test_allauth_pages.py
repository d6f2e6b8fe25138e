"""Every allauth page we use renders inside the platform layout with GOV.UK
markup: one h1, no inline scripts or style attributes (CSP), errors summarised."""

import re

import pytest
from django.urls import reverse

from tests import factories

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def assert_platform_page(response, heading):
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1, html
    assert heading in html
    assert "govuk-template__body" in html  # our base layout, not allauth's bare one
    assert ' style="' not in html
    assert not INLINE_SCRIPT.search(html)
    assert " onclick=" not in html
    assert "placeholder=" not in html  # GOV.UK: labels, not placeholder text
    return html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
    ],
)
def test_entrance_pages(client, url_name, heading):
    assert_platform_page(client.get(reverse(url_name)), heading)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_logout", "Sign out"),
        ("account_change_password", "Change your password"),
        ("account_email", "Email addresses"),
        ("mfa_index", "Two-factor authentication"),
    ],
)
def test_manage_pages(client_for, officer, url_name, heading):
    assert_platform_page(client_for(officer).get(reverse(url_name)), heading)


@pytest.mark.django_db
def test_mfa_index_for_enrolled_admin_offers_recovery_codes(client_for, council_admin):
    html = assert_platform_page(
        client_for(council_admin).get(reverse("mfa_index")), "Two-factor authentication"
    )
    assert "Turn off the authenticator app" in html
    assert reverse("mfa_generate_recovery_codes") in html


@pytest.mark.django_db
def test_login_errors_are_summarised(client, officer):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = assert_platform_page(response, "Sign in")
    assert "govuk-error-summary" in html
    assert 'href="#id_login"' in html
    assert "Enter your email address" in html and "Enter your password" in html
    assert "govuk-form-group--error" in html


@pytest.mark.django_db
def test_password_change_errors_are_summarised(client_for, officer):
    response = client_for(officer).post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    )
    html = assert_platform_page(response, "Change your password")
    assert "govuk-error-summary" in html
    officer.refresh_from_db()
    assert officer.check_password(factories.DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_bad_confirmation_and_reset_links_explain_themselves(client):
    html = assert_platform_page(
        client.get(reverse("account_confirm_email", kwargs={"key": "nonsense"})),
        "Confirm your email address",
    )
    assert "expired or is not valid" in html
    html = assert_platform_page(
        client.get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
        ),
        "This link is not valid",
    )
    assert reverse("account_reset_password") in html


@pytest.mark.django_db
def test_password_reset_journey(client, officer, django_capture_on_commit_callbacks):
    from django.core import mail

    # The e-mail leaves through the outbox once the request's work commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": officer.email})
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    page = client.get(link.group(1), follow=True)
    assert_platform_page(page, "Choose a new password")
    new_password = "another-long-passphrase-77"
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new_password)
