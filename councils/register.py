"""The official register of UK local authorities: parse, validate and upsert.

The register is mySociety's "UK Local Authority Names and Codes" CSV
(``uk_local_authorities_current.csv``, CC BY 4.0). Importing it is all or
nothing: every line is validated first, and only a file without a single
problem is written, in one transaction. A half-imported register would leave
successors pointing nowhere and councils missing from the directory, which is
worse than keeping yesterday's copy.

The upsert is keyed on the register code (``local-authority-code``), so running
it again is safe: rows that did not change are left alone, and an authority a
platform admin has already onboarded (ACTIVE) stays ACTIVE. Organisations
missing from the file are left as they are: the register marks authorities
as ended rather than dropping them.

``manage.py import_authorities`` and ``manage.py seed_demo`` are thin doors on
:func:`import_register_file`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from notifications.outbox import notify

from .models import Organisation
from .signals import organisation_names_changed

ATTRIBUTION = "Contains data from mySociety (CC BY 4.0)"

# The columns the importer reads; a file without any of them is not the register.
REQUIRED_COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "end-date",
    "replaced-by",
    "nation",
    "region",
    "local-authority-type",
    "local-authority-type-name",
    "current-authority",
    "gov-uk-slug",
    "pop-2020",
    "lat",
    "long",
)

# Register type codes of authorities that sit over councils rather than being
# one: combined authorities (COMB) and the Greater London Authority, the one
# "Strategic Regional Authority" (SRA), which plays the same part for London.
COMBINED_AUTHORITY_TYPE_CODES = frozenset({"COMB", "SRA"})

# Register codes are upper-case letters and digits; a few historic Northern
# Irish ones carry a hyphen (NIR-A).
CODE_RE = re.compile(r"^(?=.{3,8}$)[A-Z0-9]+(?:-[A-Z0-9]+)*$")
GSS_RE = re.compile(r"^[A-Z][0-9]{8}$")
COORDINATE_PLACES = Decimal("0.000001")
MAX_POPULATION = 2_147_483_647  # PositiveIntegerField
MAX_REPORTED_ERRORS = 50

# Field limits come from the model so the two never disagree.
_MAX_LENGTHS = {
    name: Organisation._meta.get_field(name).max_length
    for name in ("official_name", "name", "nation", "region", "authority_type")
}

# Fields the register owns: an import overwrites them, and only them.
REGISTER_FIELDS = (
    "kind",
    "official_name",
    "name",
    "gss_code",
    "nation",
    "region",
    "authority_type",
    "population",
    "latitude",
    "longitude",
    "status",
    "end_date",
)


@dataclass(frozen=True)
class RegisterRow:
    """One validated line of the register, converted to the model's types."""

    line: int
    code: str
    official_name: str
    name: str
    slug_base: str
    gss_code: str
    nation: str
    region: str
    authority_type: str
    kind: str
    population: int | None
    latitude: Decimal | None
    longitude: Decimal | None
    current: bool
    end_date: date | None
    replaced_by: tuple[str, ...]


@dataclass
class ImportResult:
    """What an import did. ``ended`` counts authorities that became ENDED in
    this run (created as ended, or ended since the last import)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0
    successors_linked: int = 0
    changed_codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.ended} ended"
        )


# --------------------------------------------------------------------------- parsing


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"Line {line}: the file is not UTF-8 text, so it cannot be the register CSV."
        ) from exc


def _text(raw: dict, column: str, errors: list[str], *, max_length: int, required=False) -> str:
    value = (raw.get(column) or "").strip()
    if required and not value:
        errors.append(f"{column} is empty")
    elif len(value) > max_length:
        errors.append(f"{column} is longer than {max_length} characters")
    return value


def _population(value: str, errors: list[str]) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(f"population (pop-2020) {value!r} is not a number")
        return None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        errors.append(f"population (pop-2020) {value!r} is not a whole number of people")
        return None
    if number > MAX_POPULATION:
        errors.append(f"population (pop-2020) {value!r} is implausibly large")
        return None
    return int(number)


def _coordinate(value: str, column: str, limit: int, errors: list[str]) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(f"{column} {value!r} is not a number")
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.append(f"{column} {value!r} is not between -{limit} and {limit}")
        return None
    return number.quantize(COORDINATE_PLACES)


def _date(value: str, column: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        errors.append(f"{column} {value!r} is not a date in the form YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{column} {value!r} is not a real date")
        return None


def _boolean(value: str, column: str, errors: list[str]) -> bool:
    normalised = value.strip().lower()
    if normalised in ("true", "false"):
        return normalised == "true"
    errors.append(f"{column} {value!r} is neither True nor False")
    return False


def _parse_row(raw: dict, line: int, errors: list[str]) -> RegisterRow | None:
    """Convert one CSV record; append "Line N: ..." messages to ``errors``."""
    problems: list[str] = []
    if None in raw:
        problems.append(f"it has {len(raw[None])} more field(s) than the header")
    if any(value is None for key, value in raw.items() if key is not None):
        problems.append("it has fewer fields than the header")
    code = (raw.get("local-authority-code") or "").strip()
    if not CODE_RE.match(code):
        problems.append(
            f"register code (local-authority-code) {code!r} is not 3-8 upper-case "
            "letters and digits"
        )
    official_name = _text(
        raw, "official-name", problems, max_length=_MAX_LENGTHS["official_name"], required=True
    )
    name = _text(raw, "nice-name", problems, max_length=_MAX_LENGTHS["name"], required=True)
    gss_code = (raw.get("gss-code") or "").strip()
    if gss_code and not GSS_RE.match(gss_code):
        problems.append(f"gss-code {gss_code!r} is not a nine-character ONS code")
    nation = _text(raw, "nation", problems, max_length=_MAX_LENGTHS["nation"])
    region = _text(raw, "region", problems, max_length=_MAX_LENGTHS["region"])
    authority_type = _text(
        raw, "local-authority-type-name", problems, max_length=_MAX_LENGTHS["authority_type"]
    )
    type_code = (raw.get("local-authority-type") or "").strip()
    kind = (
        Organisation.Kind.COMBINED_AUTHORITY
        if type_code in COMBINED_AUTHORITY_TYPE_CODES
        else Organisation.Kind.COUNCIL
    )
    slug_base = slugify((raw.get("gov-uk-slug") or "").strip() or name)[:140]
    if not slug_base and name:
        problems.append(f"no web address (slug) can be made from the name {name!r}")
    population = _population(raw.get("pop-2020") or "", problems)
    latitude = _coordinate(raw.get("lat") or "", "lat", 90, problems)
    longitude = _coordinate(raw.get("long") or "", "long", 180, problems)
    current = _boolean(raw.get("current-authority") or "", "current-authority", problems)
    end_date = _date(raw.get("end-date") or "", "end-date", problems)
    replaced_by = tuple(
        part.strip() for part in (raw.get("replaced-by") or "").split(",") if part.strip()
    )
    bad_successors = [part for part in replaced_by if not CODE_RE.match(part)]
    if bad_successors:
        problems.append(f"replaced-by lists invalid code(s): {', '.join(bad_successors)}")
    if problems:
        label = f" ({code})" if code else ""
        errors.extend(f"Line {line}{label}: {problem}." for problem in problems)
        return None
    return RegisterRow(
        line=line,
        code=code,
        official_name=official_name,
        name=name,
        slug_base=slug_base,
        gss_code=gss_code,
        nation=nation,
        region=region,
        authority_type=authority_type,
        kind=kind,
        population=population,
        latitude=latitude,
        longitude=longitude,
        current=current,
        end_date=end_date,
        replaced_by=replaced_by,
    )


def _raise(errors: list[str]) -> None:
    if len(errors) > MAX_REPORTED_ERRORS:
        hidden = len(errors) - MAX_REPORTED_ERRORS
        errors = [*errors[:MAX_REPORTED_ERRORS], f"... and {hidden} more problem(s)."]
    raise ValidationError(errors)


def parse_register(data: bytes) -> list[RegisterRow]:
    """Parse and validate the whole register CSV.

    Raises ValidationError listing every problem, each naming its line
    (the header is line 1), so an operator can fix the file in one pass.
    """
    text = _decode(data)
    if not text.strip():
        raise ValidationError("Line 1: the file is empty.")
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise ValidationError(f"Line 1: the header is not valid CSV ({exc}).") from exc
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            f"Line 1: the header lacks column(s) {', '.join(missing)}. "
            "Is this the register CSV (uk_local_authorities_current.csv)?"
        )

    errors: list[str] = []
    rows: list[RegisterRow] = []
    first_line_of_code: dict[str, int] = {}
    first_line_of_gss: dict[str, int] = {}
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # A broken quote or a NUL byte: later lines cannot be trusted.
            errors.append(f"Line {reader.line_num}: not valid CSV ({exc}).")
            break
        line = reader.line_num
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # a blank line
        row = _parse_row(raw, line, errors)
        if row is None:
            continue
        if row.code in first_line_of_code:
            errors.append(
                f"Line {line} ({row.code}): the register code {row.code} is already used "
                f"on line {first_line_of_code[row.code]}."
            )
            continue
        first_line_of_code[row.code] = line
        if row.gss_code:
            if row.gss_code in first_line_of_gss:
                errors.append(
                    f"Line {line} ({row.code}): the GSS code {row.gss_code} is already used "
                    f"on line {first_line_of_gss[row.gss_code]}."
                )
                continue
            first_line_of_gss[row.gss_code] = line
        rows.append(row)
    if not rows and not errors:
        errors.append("Line 2: the file has a header but no authorities.")
    if errors:
        _raise(errors)
    return rows


# --------------------------------------------------------------------------- upsert


def _assign_slugs(rows: Sequence[RegisterRow], existing: dict[str, Organisation]) -> dict:
    """Slugs for authorities new to the platform, unique across the table.

    Slugs are web addresses, so existing organisations keep theirs. Current
    authorities are served first so that, where an ended county and the
    unitary that replaced it share a name (Somerset), the living one gets the
    plain address and the ended one a code suffix (``somerset-som``).
    """
    taken = set(Organisation.objects.values_list("slug", flat=True))
    slugs: dict[str, str] = {}
    new_rows = [row for row in rows if row.code not in existing]
    for row in sorted(new_rows, key=lambda r: (not r.current, r.line)):
        candidate = row.slug_base
        if candidate in taken:
            candidate = f"{row.slug_base}-{slugify(row.code)}"
        number = 2
        while candidate in taken:
            candidate = f"{row.slug_base}-{slugify(row.code)}-{number}"
            number += 1
        taken.add(candidate)
        slugs[row.code] = candidate
    return slugs


def _status_for(row: RegisterRow, organisation: Organisation | None) -> str:
    if not row.current:
        return Organisation.Status.ENDED
    # Onboarding (REGISTERED -> ACTIVE) is the platform's decision, not the register's.
    if organisation is not None and organisation.status == Organisation.Status.ACTIVE:
        return Organisation.Status.ACTIVE
    return Organisation.Status.REGISTERED


def _register_values(row: RegisterRow, organisation: Organisation | None) -> dict:
    return {
        "kind": row.kind,
        "official_name": row.official_name,
        "name": row.name,
        "gss_code": row.gss_code,
        "nation": row.nation,
        "region": row.region,
        "authority_type": row.authority_type,
        "population": row.population,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "status": _status_for(row, organisation),
        "end_date": row.end_date,
    }


def _successor_code(row: RegisterRow, known_codes: set[str]) -> str | None:
    """The first of the codes in ``replaced-by`` that exists (several are listed
    when an authority was split)."""
    if row.current:
        return None
    for code in row.replaced_by:
        if code != row.code and code in known_codes:
            return code
    return None


def _check_against_database(rows: Iterable[RegisterRow]) -> None:
    """GSS codes are unique across organisations, not only within the file."""
    gss_owner = dict(
        Organisation.objects.exclude(gss_code="").values_list("gss_code", "register_code")
    )
    errors = [
        f"Line {row.line} ({row.code}): the GSS code {row.gss_code} already belongs to "
        f"another organisation ({gss_owner[row.gss_code] or 'one without a register code'})."
        for row in rows
        if row.gss_code and gss_owner.get(row.gss_code, row.code) != row.code
    ]
    if errors:
        _raise(errors)


def import_register(*, rows: Sequence[RegisterRow], by=None, dry_run: bool = False) -> ImportResult:
    """Upsert parsed register rows in one transaction and resolve successors.

    Register-owned fields are overwritten; slugs, websites, e-mail domains and
    the platform's onboarding status (ACTIVE) are kept. ``dry_run`` computes
    the same result and rolls everything back.
    """
    result = ImportResult()
    try:
        with transaction.atomic():
            existing = {
                organisation.register_code: organisation
                for organisation in Organisation.objects.select_for_update().exclude(
                    register_code=""
                )
            }
            _check_against_database(rows)
            slugs = _assign_slugs(rows, existing)
            known_codes = set(existing) | {row.code for row in rows}
            code_of_id = {organisation.pk: code for code, organisation in existing.items()}
            now = timezone.now()

            touched: dict[str, Organisation] = {}
            to_create: list[Organisation] = []
            to_update: list[Organisation] = []
            changed_fields: set[str] = set()
            renamed: list[int] = []
            for row in rows:
                organisation = existing.get(row.code)
                values = _register_values(row, organisation)
                if organisation is None:
                    organisation = Organisation(
                        register_code=row.code, slug=slugs[row.code], **values
                    )
                    to_create.append(organisation)
                    touched[row.code] = organisation
                    result.created += 1
                    result.ended += values["status"] == Organisation.Status.ENDED
                    result.changed_codes.append(row.code)
                    continue
                changes = {
                    name: value
                    for name, value in values.items()
                    if getattr(organisation, name) != value
                }
                wanted_successor = _successor_code(row, known_codes)
                if code_of_id.get(organisation.successor_id) != wanted_successor:
                    changes["successor"] = None  # set once every row has an id, below
                if not changes:
                    result.unchanged += 1
                    continue
                if (
                    changes.get("status") == Organisation.Status.ENDED
                    and organisation.status != Organisation.Status.ENDED
                ):
                    result.ended += 1
                if changes.keys() & {"name", "official_name"}:
                    renamed.append(organisation.pk)
                for name, value in changes.items():
                    if name != "successor":
                        setattr(organisation, name, value)
                organisation.updated_at = now
                changed_fields.update(changes)
                to_update.append(organisation)
                touched[row.code] = organisation
                result.updated += 1
                result.changed_codes.append(row.code)

            Organisation.objects.bulk_create(to_create, batch_size=200)
            if to_update:
                fields = sorted(changed_fields - {"successor"} | {"updated_at"})
                Organisation.objects.bulk_update(to_update, fields, batch_size=200)
            if renamed:
                # bulk_update sends no post_save: say so to apps that copy names.
                organisation_names_changed.send(sender=Organisation, organisation_ids=renamed)

            # Successors: every code now has a row, so the first listed one that
            # exists can be linked.
            ids = dict(
                Organisation.objects.exclude(register_code="").values_list("register_code", "pk")
            )
            link: list[Organisation] = []
            for row in rows:
                organisation = touched.get(row.code)
                if organisation is None:
                    continue
                successor_code = _successor_code(row, known_codes)
                successor_id = ids.get(successor_code) if successor_code else None
                if organisation.successor_id != successor_id:
                    organisation.successor_id = successor_id
                    link.append(organisation)
                    result.successors_linked += successor_id is not None
            Organisation.objects.bulk_update(link, ["successor"], batch_size=200)

            if result.created or result.updated:
                notify(
                    verb="register.imported",
                    actor=by,
                    summary=f"Imported the register of UK authorities: {result.summary()}",
                    data={
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "ended": result.ended,
                    },
                )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        # Another writer got between our checks and our writes; nothing was saved.
        raise ValidationError(f"The register could not be saved, nothing was changed: {exc}")
    return result


def import_register_file(*, path: Path | str, by=None, dry_run: bool = False) -> ImportResult:
    """Read, validate and import the register CSV at ``path`` (all or nothing)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return import_register(rows=parse_register(data), by=by, dry_run=dry_run)
