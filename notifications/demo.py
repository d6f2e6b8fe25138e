"""Demo data for digests: the demo officer's weekly digest is due as soon as
the demo is seeded, so ``manage.py send_digests --dry-run`` lists them and
``manage.py send_digests`` prints one to the console (``make run``'s e-mail
backend), and the staff "Digests" preview has something to show.

Their period is the week before the seed, so it holds what the other demo
councils did on the initiatives Leeds leads, partners in or follows. Run
last (``seed_demo`` calls it after initiatives and workshops), so the slot
is after every demo activity. The dispatcher sends a slot up to 36 hours
late (``schedule.CATCH_UP``); after that it waits for the next Monday.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import DigestDelivery, NotificationSettings
from .services.preferences import new_settings

DEMO_DIGEST_EMAIL = "oliver.bennett@leeds.gov.uk"


def seed(stdout: TextIO) -> None:
    """Make the demo officer's digest due now, once: a second seed (theirs
    is already due, or was sent) leaves their schedule alone."""
    person = get_user_model().objects.filter(email=DEMO_DIGEST_EMAIL).first()
    if person is None:
        return
    now = timezone.now()
    row = NotificationSettings.objects.filter(user=person).first()
    already_due = row is not None and row.next_digest_at is not None and row.next_digest_at <= now
    if already_due or DigestDelivery.objects.filter(user=person).exists():
        return
    row = row or new_settings(person, now=now)
    row.digest_covered_until = now - timedelta(days=7)
    row.next_digest_at = now
    row.save()
    stdout.write(
        f"Digest due now for {DEMO_DIGEST_EMAIL}: `manage.py send_digests --dry-run` lists it, "
        "`manage.py send_digests` sends it (to the console with `make run`)."
    )
