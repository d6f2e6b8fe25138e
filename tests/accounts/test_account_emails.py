"""allauth's e-mails speak as the platform: one site name and every link on
``SITE_URL``, whatever host the request that caused them came in on (a proxy,
a second domain, a forged ``Host``), in the same style as the platform's own
e-mails ("Hello," ... the site's name)."""

import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from django.core import mail
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

SITE_URL = "https://collab.example.gov.uk"
SITE_NAME = "Council Collaboration Platform"
REQUEST_HOST = "internal-proxy.local:8443"
PASSWORD = "a-long-and-unusual-passphrase-42"
# Hosts an e-mail must never name: the request's, the development server's,
# django.contrib.sites' default and the test client's.
FOREIGN = ("internal-proxy.local", "127.0.0.1:8000", "example.com", "testserver", "localhost")
ALLAUTH_TEMPLATES = Path(__import__("allauth").__file__).parent / "templates"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "internal-proxy.local"]


def post(client, name, data):
    # allauth's e-mails leave through the outbox once the request's work commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(name), data, HTTP_HOST=REQUEST_HOST)


def assert_speaks_as_the_platform(message):
    text = f"{message.subject}\n{message.body}"
    assert SITE_NAME in text, text
    assert message.body.startswith("Hello,"), message.body
    assert message.body.rstrip().endswith(SITE_NAME), message.body
    assert "Hello from" not in text and "Thank you for using" not in text
    for host in FOREIGN:
        assert host not in text, (host, text)
    assert not message.subject.startswith("["), message.subject
    links = re.findall(r"https?://\S+", message.body)
    assert links, message.body
    assert all(link.startswith(SITE_URL + "/") for link in links), links


def only_message_to(email):
    messages = [m for m in mail.outbox if m.to == [email]]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return messages[0]


def test_sign_up_confirmation_links_to_site_url_and_names_the_site(client, council):
    response = post(
        client,
        "account_signup",
        {
            "full_name": "Priya Patel",
            "email": "priya.patel@leedsham.gov.uk",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    message = only_message_to("priya.patel@leedsham.gov.uk")
    assert_speaks_as_the_platform(message)
    assert message.subject == f"Confirm your email address for {SITE_NAME}"
    link = re.search(rf"{re.escape(SITE_URL)}(/accounts/confirm-email/\S+/)", message.body)
    assert link, message.body
    # The link works: it is the confirmation page, on the path allauth serves.
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "Confirm your email address" in page.content.decode()


def test_password_reset_links_to_site_url_and_the_link_works(client, officer):
    response = post(client, "account_reset_password", {"email": officer.email})
    assert response.status_code == 302
    message = only_message_to(officer.email)
    assert_speaks_as_the_platform(message)
    assert message.subject == f"Reset your password for {SITE_NAME}"
    link = re.search(rf"{re.escape(SITE_URL)}(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body
    followed = client.get(link.group(1), follow=True)
    assert "Choose a new password" in followed.content.decode()


def test_reset_for_an_unknown_address_links_to_sign_up_on_site_url(client, db):
    post(client, "account_reset_password", {"email": "nobody@leedsham.gov.uk"})
    message = only_message_to("nobody@leedsham.gov.uk")
    assert_speaks_as_the_platform(message)
    assert f"{SITE_URL}{reverse('account_signup')}" in message.body


def test_signing_up_again_links_to_sign_in_and_reset_on_site_url(client, officer):
    post(
        client,
        "account_signup",
        {
            "full_name": "Olivia Again",
            "email": officer.email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    message = only_message_to(officer.email)
    assert_speaks_as_the_platform(message)
    assert f"{SITE_URL}{reverse('account_login')}" in message.body
    assert f"{SITE_URL}{reverse('account_reset_password')}" in message.body


def _message_templates():
    for folder in ("account/email", "mfa/email"):
        for path in sorted((ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")):
            yield f"{folder}/{path.name.removesuffix('_subject.txt')}"


@pytest.mark.parametrize("prefix", list(_message_templates()))
def test_every_allauth_message_speaks_as_the_platform(prefix, officer):
    """Every e-mail allauth can send (including those for features switched
    off today, such as change notifications), sent through the adapter from a
    request on another host with links built from that host."""
    request = RequestFactory().get("/", HTTP_HOST=REQUEST_HOST)
    request.user = officer
    foreign = f"http://{REQUEST_HOST}"
    context = {
        "user": officer,
        "activate_url": f"{foreign}/accounts/confirm-email/KEY/",
        "password_reset_url": f"{foreign}/accounts/password/reset/key/1-key/",
        "signup_url": f"{foreign}/accounts/signup/",
        "key": "KEY",
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "from_email": "old@leedsham.gov.uk",
        "to_email": officer.email,
        "deleted_email": "old@leedsham.gov.uk",
    }
    if "code" in prefix:
        context["code"] = "ABC123"
    with (
        allauth_context.request_context(request),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        get_adapter(request).send_mail(prefix, officer.email, context)
    message = only_message_to(officer.email)
    text = f"{message.subject}\n{message.body}"
    assert "Hello from" not in text and "Thank you for using" not in text
    assert message.body.startswith("Hello,") and message.body.rstrip().endswith(SITE_NAME)
    for host in FOREIGN:
        assert host not in text, (host, text)
    links = re.findall(r"https?://\S+", message.body)
    assert all(link.startswith(SITE_URL + "/") for link in links), links
    # Sentence case, as GOV.UK writes (never allauth's "Password Reset Email").
    later_words = message.subject.replace(SITE_NAME, "").split()[1:]
    assert not [word for word in later_words if word[0].isupper()], message.subject
