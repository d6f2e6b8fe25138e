"""Celery tasks for notifications. Thin: each calls one function and is safe
to retry (a message is one recipient, so a retry re-sends to that one only)."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def send_email(*, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail; transient mail-server failures are retried."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
