"""Celery tasks for notifications. Thin: each calls one function and is safe
to retry (a message is one recipient, so a retry re-sends to that one only;
a digest is claimed before it is sent, so a retry never sends it twice)."""

from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from .services import digests


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
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


@shared_task(ignore_result=True)
def dispatch_digests() -> int:
    """Beat, every 15 minutes: claim and enqueue the digests now due."""
    return digests.dispatch_due().claimed


@shared_task(bind=True, ignore_result=True, max_retries=digests.MAX_ATTEMPTS)
def send_digest(self, delivery_id: int) -> str:
    """Send one digest delivery at most once (``digests.send_delivery``).

    A mail-server failure is retried with jittered back-off until the
    delivery is marked failed (kept for staff to see and re-send). A
    delivery whose lease another worker holds is looked at again when the
    lease ends, in case that worker has died.
    """
    try:
        outcome = digests.send_delivery(delivery_id)
    except digests.SEND_ERRORS as exc:
        if self.request.retries >= digests.MAX_ATTEMPTS - 1:
            return "failed"
        raise self.retry(exc=exc, countdown=digests.retry_delay(self.request.retries + 1)) from exc
    if outcome.kind == "busy" and not self.request.is_eager:
        # In-process (eager) there is no other worker to wait for; the
        # dispatcher's requeue of stale leases covers that case.
        send_digest.apply_async((delivery_id,), countdown=outcome.wait)
    return outcome.kind
