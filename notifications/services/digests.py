"""Digests, exactly once per person and period.

Three steps, each safe to repeat:

1. ``dispatch_due`` (beat, every 15 minutes, or ``manage.py send_digests``)
   finds the people whose next slot has come, in batches, and *claims* a
   ``DigestDelivery`` row per person under the unique key (person, period)
   in the same transaction that moves their schedule on. A second dispatch,
   or two dispatchers at once (rows are locked with SKIP LOCKED), find
   nothing more to claim. One task per delivery is enqueued on commit only.
2. ``send_delivery`` (the Celery task) takes the delivery's *lease*: a
   conditional UPDATE from pending/retrying (or from a sending row whose
   lease has expired because its worker died) to sending. Whoever loses that
   race does nothing, so a redelivered message, a retried task or a second
   worker never sends twice.
3. After the mail server accepts the message, the row is marked sent.

The one window no design closes: the process dying after the mail server
accepted a message and before the row is marked sent. The row is then still
"sending"; when its lease expires it is claimed again and the digest is sent
a second time. That fails towards re-sending (a duplicate, never a lost
digest), and the window is one UPDATE long: nothing else happens between
the SMTP reply and marking the row (see ``_send``).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import dates, site

from .. import schedule
from ..models import DigestDelivery, DigestFrequency, NotificationSettings, Weekday
from ..selectors.digest import Digest, build_digest
from ..unsubscribe import headers_for, unsubscribe_url
from .preferences import ensure_settings_for_everyone

logger = logging.getLogger(__name__)

# Errors worth retrying: the mail server refused for now or could not be reached.
SEND_ERRORS = (SMTPException, OSError)
MAX_ATTEMPTS = 6


def is_permanent(exc: BaseException) -> bool:
    """Whether the mail server refused for good (a 5xx reply to the message
    or to every recipient), as opposed to "try again later" (4xx) or not
    being reachable at all."""
    if isinstance(exc, SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def lease() -> timedelta:
    """How long a worker owns a delivery it is sending. Longer than building
    and sending one digest ever takes; shorter than the broker's visibility
    timeout, so a task redelivered after its worker died finds the lease
    expired (or waits for it) and sends."""
    return timedelta(seconds=settings.DIGEST_SEND_LEASE_SECONDS)


def retry_delay(attempt: int) -> float:
    """Seconds before attempt ``attempt + 1``: exponential back-off with
    jitter (1 min, 2, 4, 8, 16, capped at 30, for the default
    ``DIGEST_RETRY_BASE_SECONDS`` of 60), so a mail server that is down is
    not hammered by every worker at the same instant. Whole seconds unless
    the base is below one second (the worker tests)."""
    base = settings.DIGEST_RETRY_BASE_SECONDS
    ceiling = min(base * 2 ** max(0, attempt - 1), 30 * base)
    delay = random.uniform(ceiling / 2, ceiling)  # noqa: S311 - not security
    return int(delay) if base >= 1 else delay


@dataclass
class DispatchResult:
    claimed: int = 0
    skipped_late: int = 0
    requeued: int = 0
    settings_created: int = 0
    delivery_ids: list[int] | None = None


def _enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to Celery once the claim has committed (in-process
    when the broker cannot be reached, as every other e-mail)."""
    from ..emails import BROKER_UNREACHABLE
    from ..tasks import send_digest

    if not delivery_ids:
        return

    def enqueue() -> None:
        for delivery_id in delivery_ids:
            try:
                send_digest.delay(delivery_id)
            except BROKER_UNREACHABLE as exc:  # pragma: no cover - broker down
                logger.error("Celery broker unreachable (%s); digest sent in-process.", exc)
                send_digest.run(delivery_id)

    transaction.on_commit(enqueue)


def dispatch_due(
    *, now: datetime | None = None, batch_size: int = 500, enqueue: bool = True
) -> DispatchResult:
    """Claim a delivery for everyone whose digest is due at ``now`` and
    enqueue one task each. Queries: a constant few, plus four per batch of
    ``batch_size`` people (select, insert, update, read back ids)."""
    now = now or timezone.now()
    result = DispatchResult(delivery_ids=[])
    result.settings_created = ensure_settings_for_everyone(now=now)
    while True:
        with transaction.atomic():
            rows = list(
                NotificationSettings.objects.select_for_update(skip_locked=True)
                .filter(next_digest_at__lte=now, user__is_active=True)
                .exclude(digest_frequency=DigestFrequency.OFF)
                .order_by("next_digest_at", "pk")[:batch_size]
            )
            if not rows:
                break
            claims = []
            for row in rows:
                slot = row.next_digest_at
                if slot >= now - schedule.CATCH_UP:
                    claims.append(
                        DigestDelivery(
                            user_id=row.user_id,
                            frequency=row.digest_frequency,
                            period_key=schedule.period_key(row.digest_frequency, slot),
                            period_start=schedule.period_start(
                                covered_until=row.digest_covered_until,
                                frequency=row.digest_frequency,
                                slot=slot,
                            ),
                            period_end=slot,
                        )
                    )
                    row.digest_covered_until = slot
                else:
                    # Too late to be worth sending; the next digest covers
                    # this period too, because ``digest_covered_until`` stays.
                    result.skipped_late += 1
                row.next_digest_at = schedule.next_slot(
                    frequency=row.digest_frequency,
                    weekday=row.digest_weekday,
                    hour=row.digest_hour,
                    after=max(slot, now),
                )
            DigestDelivery.objects.bulk_create(claims, ignore_conflicts=True)
            NotificationSettings.objects.bulk_update(
                rows, ["next_digest_at", "digest_covered_until"]
            )
            keys = Q()
            for claim in claims:
                keys |= Q(user_id=claim.user_id, period_key=claim.period_key)
            ids = (
                list(
                    DigestDelivery.objects.filter(keys, status=DigestDelivery.Status.PENDING)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                if claims
                else []
            )
            result.claimed += len(ids)
            result.delivery_ids.extend(ids)
            if enqueue:
                _enqueue(ids)
    with transaction.atomic():
        stale = requeue_stale(now=now)
        result.requeued = len(stale)
        result.delivery_ids.extend(stale)
        if enqueue:
            _enqueue(stale)
    return result


def requeue_stale(*, now: datetime) -> list[int]:
    """Deliveries that should have been sent by now but were not, enqueued
    again: one left "sending" by a worker that died (its lease expired), or
    one still pending long after the broker would have redelivered it (a
    message lost with the broker). The lease makes this harmless if the first
    task is still alive. A delivery that has had all its attempts and still
    crashed (not a mail-server answer: a worker killed each time, a bug) is
    marked failed instead of being tried for ever."""
    expired = Q(status=DigestDelivery.Status.SENDING, sending_started_at__lt=now - lease())
    DigestDelivery.objects.filter(expired, attempts__gte=MAX_ATTEMPTS).update(
        status=DigestDelivery.Status.FAILED,
        last_error=f"Gave up after {MAX_ATTEMPTS} attempts that did not finish.",
    )
    lost = now - max(
        lease(),
        timedelta(minutes=15),
        timedelta(seconds=settings.CELERY_BROKER_VISIBILITY_TIMEOUT),
    )
    return list(
        DigestDelivery.objects.filter(
            Q(status=DigestDelivery.Status.PENDING, created_at__lt=lost) | expired
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )


@dataclass(frozen=True)
class Outcome:
    """What ``send_delivery`` did: ``sent``, ``empty``, ``done`` (someone
    else has it or it was already sent), ``busy`` (another worker holds the
    lease: try again after ``wait`` seconds) or ``off``."""

    kind: str
    wait: int = 0


def _claim(delivery_id: int, now: datetime) -> bool:
    return bool(
        DigestDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.RETRYING])
            | Q(status=DigestDelivery.Status.SENDING, sending_started_at__lt=now - lease())
        )
        .update(
            status=DigestDelivery.Status.SENDING,
            sending_started_at=now,
            attempts=F("attempts") + 1,
        )
    )


def _schedule_text(row: NotificationSettings | None, frequency: str) -> str:
    hour = row.digest_hour if row is not None else 8
    clock = dates.govuk_time(schedule.local_slot(timezone.now().date(), hour))
    if frequency == DigestFrequency.WEEKLY:
        weekday = Weekday(row.digest_weekday if row is not None else 0).label
        return f"every week, on {weekday}s at {clock} UK time"
    return f"every day at {clock} UK time"


def render_digest(
    digest: Digest, *, unsubscribe_link: str = "", settings_row: NotificationSettings | None = None
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a digest."""
    period = "week" if digest.frequency == DigestFrequency.WEEKLY else "day"
    site_name = settings.SITE_NAME
    subject = f"Your {site_name} digest: {_headline(digest, period)}"
    context = {
        **site.email_context(),
        "digest": digest,
        "subject": subject,
        "period": period,
        "names_viewer": digest.user,
        "unsubscribe_url": unsubscribe_link,
        "schedule_text": _schedule_text(settings_row, digest.frequency),
        "settings_url": site.absolute_url(reverse("notifications:settings")),
        "dashboard_url": site.absolute_url(reverse("home")),
        "people_url": site.absolute_url(
            reverse("councils:people", kwargs={"slug": digest.organisation.slug})
        )
        if digest.organisation is not None
        else "",
    }
    text = render_to_string("notifications/email/digest.txt", context)
    html = render_to_string("notifications/email/digest.html", context)
    return subject, text, html


def _headline(digest: Digest, period: str) -> str:
    parts = []
    if digest.initiatives:
        count = len(digest.initiatives) + digest.more_initiatives
        parts.append(f"news on {count} initiative{'s' if count != 1 else ''}")
    if digest.new_initiatives:
        parts.append(f"{len(digest.new_initiatives)} new for your council")
    if digest.workshops:
        count = len(digest.workshops)
        parts.append(f"{count} workshop invitation{'s' if count != 1 else ''}")
    if digest.approvals and digest.approvals.total:
        parts.append(f"{digest.approvals.total} waiting for you")
    return (", ".join(parts) or "nothing new") + f" this {period}"


def message_for(
    delivery: DigestDelivery, digest: Digest, settings_row: NotificationSettings | None = None
) -> EmailMultiAlternatives:
    subject, text, html = render_digest(
        digest,
        unsubscribe_link=unsubscribe_url(delivery.user, "digest"),
        settings_row=settings_row,
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[delivery.user.email],
        headers={
            **headers_for(delivery.user, "digest"),
            # Lets a mail client (and our tests) tell one period's digest from
            # another, and a re-send from a duplicate.
            "X-Digest-Period": delivery.period_key,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_delivery(delivery_id: int, *, now: datetime | None = None) -> Outcome:
    """Send one claimed delivery, at most once. Raises a ``SEND_ERRORS``
    error (after recording it) when the mail server fails, for the task to
    retry."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        row = DigestDelivery.objects.filter(pk=delivery_id).only("status", "sending_started_at")
        row = row.first()
        if row is not None and row.status == DigestDelivery.Status.SENDING:
            remaining = (row.sending_started_at + lease() - now).total_seconds()
            return Outcome("busy", wait=max(1, int(remaining) + 1))
        return Outcome("done")
    delivery = DigestDelivery.objects.select_related("user").get(pk=delivery_id)
    user = delivery.user
    settings_row = NotificationSettings.objects.filter(user=user).first()
    if (
        not user.is_active
        or not user.email
        or (settings_row is not None and settings_row.digest_frequency == DigestFrequency.OFF)
    ):
        _finish(delivery_id, DigestDelivery.Status.EMPTY, error="Digests are off for this person.")
        return Outcome("off")
    digest = build_digest(
        user,
        start=delivery.period_start,
        end=delivery.period_end,
        frequency=delivery.frequency,
        settings_row=settings_row,
    )
    if digest.is_empty:
        _finish(delivery_id, DigestDelivery.Status.EMPTY)
        return Outcome("empty")
    message = message_for(delivery, digest, settings_row)
    try:
        _send(message, delivery_id, digest.item_count)
    except SEND_ERRORS as exc:
        attempts = DigestDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True)
        permanent = is_permanent(exc)
        status = (
            DigestDelivery.Status.FAILED
            if permanent or attempts[0] >= MAX_ATTEMPTS
            else DigestDelivery.Status.RETRYING
        )
        _finish(delivery_id, status, error=f"{type(exc).__name__}: {exc}")
        if permanent:
            # A 5xx answer ("no such mailbox") will not change by retrying:
            # kept as failed for staff, and the task ends here.
            return Outcome("failed")
        raise
    return Outcome("sent")


def _send(message: EmailMultiAlternatives, delivery_id: int, item_count: int) -> None:
    message.send(fail_silently=False)
    # THE WINDOW (see the module docstring): the server has the message; if
    # this process dies before the next statement commits, the row stays
    # "sending" and is sent again when its lease expires. Keep nothing here.
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.SENT,
        sent_at=timezone.now(),
        item_count=item_count,
        last_error="",
    )


def _finish(delivery_id: int, status: str, *, error: str = "") -> None:
    DigestDelivery.objects.filter(pk=delivery_id).update(status=status, last_error=error[:500])


def resend(*, delivery: DigestDelivery, by) -> DigestDelivery:
    """Staff: send a failed (or retrying, or empty) delivery again. A sent one
    is refused: re-sending it would be the duplicate this design prevents."""
    from django.core.exceptions import ValidationError

    if delivery.status in (DigestDelivery.Status.SENT, DigestDelivery.Status.SENDING):
        raise ValidationError("This digest has already been sent or is being sent.")
    with transaction.atomic():
        updated = DigestDelivery.objects.filter(
            pk=delivery.pk,
            status__in=[
                DigestDelivery.Status.FAILED,
                DigestDelivery.Status.RETRYING,
                DigestDelivery.Status.EMPTY,
                DigestDelivery.Status.PENDING,
            ],
        ).update(status=DigestDelivery.Status.PENDING, attempts=0, last_error="")
        if not updated:
            raise ValidationError("This digest has already been sent or is being sent.")
        from ..outbox import notify

        notify(
            verb="digest.resent",
            actor=by,
            target=delivery,
            summary=f"Digest {delivery.period_key} sent again to {delivery.user.email}",
        )
        _enqueue([delivery.pk])
    delivery.refresh_from_db()
    return delivery
