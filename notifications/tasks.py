"""Celery tasks for notifications. Thin: each calls one function and is safe
to retry (a message is one recipient, so a retry re-sends to that one only)."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_email(
    *,
    to: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
    html_body: str = "",
) -> None:
    """Send one e-mail; transient mail-server failures are retried.

    ``headers`` (such as RFC 8058's ``List-Unsubscribe``) and ``html_body``
    (sent as an HTML alternative to the plain text) are optional keywords, so
    tasks queued with only ``to``, ``subject`` and ``body`` still run."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=None, to=[to], headers=dict(headers or {})
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
