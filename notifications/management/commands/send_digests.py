"""``manage.py send_digests``: dispatch the digests due now.

Without Redis (``make run``) tasks run in this process, so this sends them
(to the console backend by default). With a broker it enqueues them for the
workers, exactly as beat's 15-minute dispatcher does; running it as well as
beat sends nothing twice.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.selectors.digest import due_digests, next_digest_preview
from notifications.services import digests


class Command(BaseCommand):
    help = "Send (or, with a broker, enqueue) the digests that are due now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who is due and how much each digest holds; send nothing, change nothing.",
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="Print the digest this person would get if it were sent now; send nothing.",
        )

    def handle(self, *args, dry_run=False, user=None, **options):
        if user:
            return self._preview(user)
        now = timezone.now()
        if dry_run:
            return self._dry_run(now)
        result = digests.dispatch_due(now=now)
        self.stdout.write(
            f"Claimed {result.claimed} digest(s), re-queued {result.requeued}, "
            f"skipped {result.skipped_late} too late to send."
        )

    def _preview(self, email: str) -> None:
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No user with the e-mail address {email}.")
        digest = next_digest_preview(person)
        if digest.is_empty:
            self.stdout.write(f"{person.email}'s next digest is empty: nothing would be sent.")
            return
        subject, text, _ = digests.render_digest(digest)
        self.stdout.write(f"Subject: {subject}\n\n{text}")

    def _dry_run(self, now) -> None:
        recipients = 0
        empty = 0
        for row, digest in due_digests(now=now):
            if digest.is_empty:
                empty += 1
                continue
            recipients += 1
            self.stdout.write(f"{row.user.email}: {digest.item_count} item(s)")
        self.stdout.write(
            f"{recipients} digest(s) would be sent; {empty} due but empty (not sent). Dry run: "
            "nothing was sent or changed."
        )
