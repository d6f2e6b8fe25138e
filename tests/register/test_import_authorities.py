"""``manage.py import_authorities``: the real register from ../shared/data,
idempotent re-runs, successors, and broken files that must change nothing."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Organisation
from councils.register import ATTRIBUTION, COMBINED_AUTHORITY_TYPE_CODES, REQUIRED_COLUMNS
from notifications.models import Activity
from tests import factories

REGISTER = Path(settings.BASE_DIR).parent / "shared/data/uk_local_authorities_current.csv"


@pytest.fixture(scope="module")
def register_path() -> Path:
    if not REGISTER.exists():
        message = f"the register CSV is not at {REGISTER} (see ../shared/data/README.md)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must test the real register import, but {message}")
        pytest.skip(message)
    return REGISTER


@pytest.fixture(scope="module")
def register(register_path):
    """The CSV as the test reads it independently: header, rows, line of each code."""
    text = register_path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows, line_of = [], {}
    for row in reader:
        rows.append(row)
        line_of[row["local-authority-code"]] = reader.line_num
    return {"text": text, "header": reader.fieldnames, "rows": rows, "line_of": line_of}


def run_import(path, *extra) -> str:
    out = io.StringIO()
    call_command("import_authorities", str(path), *extra, stdout=out)
    return out.getvalue()


def write_rows(path: Path, header, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot(code: str) -> dict:
    return Organisation.objects.filter(register_code=code).values().get()


def test_first_import_creates_every_authority_with_register_facts(db, register_path, register):
    rows = register["rows"]
    current = [row for row in rows if row["current-authority"] == "True"]
    ended = [row for row in rows if row["current-authority"] == "False"]
    combined = [row for row in rows if row["local-authority-type"] in COMBINED_AUTHORITY_TYPE_CODES]

    output = run_import(register_path)

    assert f"{len(rows)} created, 0 updated, 0 unchanged, {len(ended)} ended" in output
    assert ATTRIBUTION in output
    assert Organisation.objects.count() == len(rows)
    assert Organisation.objects.filter(status=Organisation.Status.ENDED).count() == len(ended)
    # New current authorities are registered, not yet onboarded.
    assert Organisation.objects.filter(status=Organisation.Status.REGISTERED).count() == len(
        current
    )
    assert Organisation.objects.filter(kind=Organisation.Kind.COMBINED_AUTHORITY).count() == len(
        combined
    )
    source = next(row for row in rows if row["local-authority-code"] == "LDS")
    leeds = Organisation.objects.get(register_code="LDS")
    assert leeds.official_name == source["official-name"]
    assert leeds.name == source["nice-name"]
    assert leeds.slug == source["gov-uk-slug"]
    assert leeds.gss_code == source["gss-code"]
    assert leeds.nation == source["nation"]
    assert leeds.region == source["region"]
    assert leeds.authority_type == source["local-authority-type-name"]
    assert leeds.kind == Organisation.Kind.COUNCIL
    assert leeds.population == int(float(source["pop-2020"]))
    assert float(leeds.latitude) == pytest.approx(float(source["lat"]), abs=1e-6)
    assert float(leeds.longitude) == pytest.approx(float(source["long"]), abs=1e-6)
    assert leeds.end_date is None and leeds.successor is None
    # Slugs are unique web addresses: the living Somerset gets the plain one.
    assert Organisation.objects.get(register_code="SMT").slug == "somerset"
    assert Organisation.objects.get(register_code="SOM").slug == "somerset-som"
    # One activity for the import, not one per row.
    assert Activity.objects.filter(verb="register.imported").count() == 1


def test_ended_authorities_link_to_the_first_successor_that_exists(db, register_path, register):
    run_import(register_path)
    codes = {row["local-authority-code"] for row in register["rows"]}
    ended_with_successor = [
        row
        for row in register["rows"]
        if row["current-authority"] == "False" and row["replaced-by"]
    ]
    assert ended_with_successor, "the register should contain reorganised authorities"
    for row in ended_with_successor:
        organisation = Organisation.objects.select_related("successor").get(
            register_code=row["local-authority-code"]
        )
        expected = next(code for code in row["replaced-by"].split(",") if code in codes)
        assert organisation.status == Organisation.Status.ENDED
        assert organisation.end_date.isoformat() == row["end-date"]
        assert organisation.successor.register_code == expected
    # Northamptonshire was split in two; the first listed successor is taken.
    assert Organisation.objects.get(register_code="NTH").successor.register_code == "NNT"


def test_second_run_changes_nothing_and_keeps_active_councils_active(db, register_path, register):
    run_import(register_path)
    leeds = Organisation.objects.get(register_code="LDS")
    leeds.status = Organisation.Status.ACTIVE  # onboarded by a platform admin meanwhile
    leeds.save(update_fields=["status"])
    before = snapshot("LDS")

    output = run_import(register_path)

    assert f"0 created, 0 updated, {len(register['rows'])} unchanged, 0 ended" in output
    assert snapshot("LDS") == before
    assert Organisation.objects.get(register_code="LDS").status == Organisation.Status.ACTIVE
    assert Activity.objects.filter(verb="register.imported").count() == 1


def test_an_edited_row_is_one_update(db, register_path, register, tmp_path):
    run_import(register_path)
    rows = [dict(row) for row in register["rows"]]
    leeds = next(row for row in rows if row["local-authority-code"] == "LDS")
    leeds["pop-2020"] = "812000.0"
    leeds["official-name"] = "Leeds City Council (renamed)"
    edited = write_rows(tmp_path / "edited.csv", register["header"], rows)

    output = run_import(edited)

    assert f"0 created, 1 updated, {len(rows) - 1} unchanged, 0 ended" in output
    organisation = Organisation.objects.get(register_code="LDS")
    assert organisation.population == 812000
    assert organisation.official_name == "Leeds City Council (renamed)"
    assert organisation.slug == "leeds"  # web addresses do not move


def test_an_authority_ending_is_counted_and_linked(db, tmp_path):
    header = list(REQUIRED_COLUMNS)
    base = dict.fromkeys(header, "")
    rows = [
        {**base, "local-authority-code": "OLD", "official-name": "Oldshire County Council",
         "nice-name": "Oldshire", "current-authority": "True", "local-authority-type": "CTY"},
        {**base, "local-authority-code": "NEW", "official-name": "New Oldshire Council",
         "nice-name": "New Oldshire", "current-authority": "True", "local-authority-type": "UA"},
    ]  # fmt: skip
    run_import(write_rows(tmp_path / "before.csv", header, rows))
    rows[0].update(
        {"current-authority": "False", "end-date": "2027-04-01", "replaced-by": "XYZ,NEW"}
    )

    output = run_import(write_rows(tmp_path / "after.csv", header, rows))

    assert "0 created, 1 updated, 1 unchanged, 1 ended" in output
    old = Organisation.objects.get(register_code="OLD")
    assert old.status == Organisation.Status.ENDED
    assert str(old.end_date) == "2027-04-01"
    assert old.successor.register_code == "NEW"  # XYZ is not on the register: skipped


def test_dry_run_reports_but_writes_nothing(db, register_path, register):
    output = run_import(register_path, "--dry-run")
    assert f"would have {len(register['rows'])} created" in output
    assert Organisation.objects.count() == 0
    assert not Activity.objects.exists()


# Broken files: the error names the line, and the database is exactly as before.


@pytest.fixture
def imported(db, register_path, register):
    """The register imported once, plus a hand-made supplier, and a snapshot."""
    run_import(register_path)
    factories.SupplierFactory(name="Acme Digital Ltd", slug="acme-digital")
    return {"count": Organisation.objects.count(), "LDS": snapshot("LDS")}


def assert_nothing_changed(imported):
    assert Organisation.objects.count() == imported["count"]
    assert snapshot("LDS") == imported["LDS"]


def edited_lines(register, changes: dict[int, str]) -> str:
    """The register text with whole lines (1-based, header = 1) replaced."""
    lines = register["text"].splitlines(keepends=True)
    for number, text in changes.items():
        lines[number - 1] = text
    return "".join(lines)


def leeds_line_with_population(register, population: str) -> tuple[int, str]:
    number = register["line_of"]["LDS"]
    row = next(row for row in register["rows"] if row["local-authority-code"] == "LDS")
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=register["header"], lineterminator="\n").writerow(
        {**row, "pop-2020": population}
    )
    return number, buffer.getvalue()


def test_bad_population_names_its_line_and_writes_nothing(imported, register, tmp_path):
    # Leeds is edited validly *before* the broken line: it must not be saved either.
    leeds_number, leeds_text = leeds_line_with_population(register, "900000.0")
    bad_number = max(register["line_of"].values())  # the last line
    bad_code = next(code for code, line in register["line_of"].items() if line == bad_number)
    row = next(row for row in register["rows"] if row["local-authority-code"] == bad_code)
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=register["header"], lineterminator="\n").writerow(
        {**row, "pop-2020": "lots"}
    )
    path = tmp_path / "bad_population.csv"
    path.write_text(
        edited_lines(register, {leeds_number: leeds_text, bad_number: buffer.getvalue()}),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        run_import(path)

    message = str(error.value)
    assert f"Line {bad_number} ({bad_code})" in message
    assert "population" in message and "'lots'" in message
    assert "nothing was changed" in message
    assert_nothing_changed(imported)


def test_missing_column_is_reported_on_line_1(imported, register, tmp_path):
    header = [column for column in register["header"] if column != "pop-2020"]
    rows = [{key: row[key] for key in header} for row in register["rows"]]
    path = write_rows(tmp_path / "no_population.csv", header, rows)

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "Line 1" in str(error.value) and "pop-2020" in str(error.value)
    assert_nothing_changed(imported)


def test_duplicate_code_names_both_lines(imported, register, tmp_path):
    leeds = next(row for row in register["rows"] if row["local-authority-code"] == "LDS")
    rows = [*register["rows"], {**leeds, "gss-code": "E08999999"}]
    path = write_rows(tmp_path / "duplicate.csv", register["header"], rows)

    with pytest.raises(CommandError) as error:
        run_import(path)

    duplicate_line = len(rows) + 1
    assert (
        f"Line {duplicate_line} (LDS): the register code LDS is already used on line "
        f"{register['line_of']['LDS']}" in str(error.value)
    )
    assert_nothing_changed(imported)


def test_garbage_bytes_name_their_line(imported, register, tmp_path):
    leeds_number, leeds_text = leeds_line_with_population(register, "900000.0")
    lines = edited_lines(register, {leeds_number: leeds_text}).encode().splitlines(keepends=True)
    lines[199] = b"\xff\xfe\x00\x9c garbage \xc3\x28\n"  # line 200
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"".join(lines))

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "Line 200" in str(error.value) and "not UTF-8" in str(error.value)
    assert_nothing_changed(imported)


def test_a_file_that_is_not_csv_at_all(imported, tmp_path):
    path = tmp_path / "register.json"
    path.write_text('{"authorities": [{"code": "LDS"}]}\n', encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "Line 1" in str(error.value) and "local-authority-code" in str(error.value)
    assert_nothing_changed(imported)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"local-authority-code": "le ds"}, "register code"),
        ({"end-date": "01/04/2023"}, "end-date '01/04/2023' is not a date"),
        ({"end-date": "2023-02-30"}, "is not a real date"),
        ({"current-authority": "maybe"}, "current-authority 'maybe' is neither True nor False"),
        ({"pop-2020": "-5"}, "not a whole number"),
        ({"lat": "123.4"}, "lat '123.4' is not between -90 and 90"),
        ({"gss-code": "E0800"}, "gss-code 'E0800'"),
        ({"official-name": ""}, "official-name is empty"),
    ],
)
def test_bad_values_are_named_with_their_line(imported, register, tmp_path, change, expected):
    rows = [
        {**row, **change} if row["local-authority-code"] == "MAN" else row
        for row in register["rows"]
    ]
    path = write_rows(tmp_path / "bad.csv", register["header"], rows)

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert f"Line {register['line_of']['MAN']}" in str(error.value)
    assert expected in str(error.value)
    assert_nothing_changed(imported)


def test_gss_code_of_another_organisation_is_refused(imported, register, tmp_path):
    rows = [
        {**row, "gss-code": "E08000035"} if row["local-authority-code"] == "MAN" else row
        for row in register["rows"]
        if row["local-authority-code"] != "LDS"
    ]
    path = write_rows(tmp_path / "clash.csv", register["header"], rows)

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "E08000035 already belongs to another organisation (LDS)" in str(error.value)
    assert_nothing_changed(imported)


def test_unreadable_and_empty_files(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Line 1: the file is empty"):
        run_import(empty)
    assert Organisation.objects.count() == 0
