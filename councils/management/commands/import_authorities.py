"""``manage.py import_authorities PATH``: load the register of UK local
authorities (mySociety's CSV) into the platform. A thin door on
:mod:`councils.register`; the file is validated in full before anything is
written, so a broken file changes nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from councils.register import ATTRIBUTION, import_register_file


class Command(BaseCommand):
    help = (
        "Import or refresh the register of UK local authorities from mySociety's CSV "
        "(uk_local_authorities_current.csv). Safe to run again: rows are matched on "
        "their register code. " + ATTRIBUTION + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Path to uk_local_authorities_current.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, without saving anything.",
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            result = import_register_file(path=path, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(
                "The register was not imported; nothing was changed.\n" + "\n".join(exc.messages)
            ) from exc
        prefix = "Dry run, nothing saved: would have " if dry_run else "Register imported: "
        self.stdout.write(self.style.SUCCESS(prefix + result.summary() + "."))
        if result.successors_linked:
            self.stdout.write(f"Linked {result.successors_linked} ended authorities to successors.")
        self.stdout.write(ATTRIBUTION + ".")
