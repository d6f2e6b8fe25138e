#!/usr/bin/env python
"""``make bench``: request latency and query counts on a realistic dataset.

Never part of ``make test``. It builds a throwaway database (pytest-style: an
in-memory SQLite database by default, or ``test_<name>`` next to the database
named by ``DATABASE_URL`` when that points at PostgreSQL), loads the real
register of UK authorities (../shared/data, or ``--register PATH``; without it
a synthetic register of the same size), switches every current authority on,
gives each a synthetic profile and members, then requests each case with the
Django test client and prints median and p95 latency and the query count.

Adding a case: append ``Case(...)`` to ``CASES`` below, or create
``bench/cases_<area>.py`` with ``CASES = [...]`` and, if the area needs data,
``def build(dataset): ...`` (called after the core dataset is built). Both are
picked up automatically.

    .venv/bin/python bench/run.py                      # every case, 30 runs each
    .venv/bin/python bench/run.py --runs 100 -k councils
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collab_bench .venv/bin/python bench/run.py
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")

DEFAULT_REGISTER = BASE_DIR.parent / "shared" / "data" / "uk_local_authorities_current.csv"


@dataclass
class Case:
    """One request to time. ``path`` may be a callable taking the dataset (to
    name a real slug); ``as_user`` is "anonymous", "officer" or "staff"."""

    name: str
    path: str | Callable[[Dataset], str]
    as_user: str = "anonymous"
    expect_status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Dataset:
    organisations: int = 0
    sample_slug: str = ""
    officer: object = None
    staff: object = None
    extra: dict = field(default_factory=dict)


CASES: list[Case] = [
    Case("councils: directory, first page", "/councils/"),
    Case("councils: directory, page 5", "/councils/?page=5"),
    Case("councils: search by name", "/councils/?q=borough"),
    Case("councils: search by code", "/councils/?q=E07"),
    Case(
        "councils: filter nation + type",
        "/councils/?nation=England&authority_type=Non-metropolitan+district",
    ),
    Case(
        "councils: filter, htmx fragment",
        "/councils/?nation=Scotland",
        headers={"HX-Request": "true"},
    ),
    Case("councils: directory, signed in", "/councils/", as_user="officer"),
    Case("councils: council page", lambda d: f"/councils/{d.sample_slug}/"),
    Case(
        "councils: council page, signed in",
        lambda d: f"/councils/{d.sample_slug}/",
        as_user="officer",
    ),
]


def discover_extensions() -> list:
    """bench/cases_*.py modules: each may define CASES and build(dataset)."""
    modules = []
    for path in sorted(Path(__file__).parent.glob("cases_*.py")):
        modules.append(importlib.import_module(f"bench.{path.stem}"))
    return modules


def build_dataset(register: Path | None, members_per_council: int) -> Dataset:
    from django.core.management import call_command

    from accounts.models import User
    from councils.models import (
        Membership,
        Need,
        Organisation,
        ServiceArea,
        Skill,
        SkillOffer,
        SystemInUse,
    )

    rng = random.Random(2026)  # the same dataset every run
    if register and register.exists():
        call_command("import_authorities", str(register), stdout=io.StringIO())
    else:
        print(f"register not found at {register}: using a synthetic register", file=sys.stderr)
        Organisation.objects.bulk_create(
            Organisation(
                name=f"Benchshire {n}",
                official_name=f"Benchshire {n} District Council",
                slug=f"benchshire-{n}",
                register_code=f"B{n:03d}",
                gss_code=f"E07{n:06d}",
                nation=rng.choice(["England"] * 8 + ["Scotland", "Wales"]),
                region=rng.choice(
                    ["North West", "South East", "London", "Yorkshire and The Humber"]
                ),
                authority_type=rng.choice(
                    ["Non-metropolitan district", "London borough", "Unitary"]
                ),
                population=rng.randint(50_000, 1_000_000),
            )
            for n in range(400)
        )
    # Onboard every current authority, so the directory lists ~400.
    Organisation.objects.exclude(status=Organisation.Status.ENDED).update(
        status=Organisation.Status.ACTIVE
    )
    councils = list(Organisation.objects.filter(status=Organisation.Status.ACTIVE))
    areas = list(ServiceArea.objects.all()) or [
        ServiceArea.objects.create(name="Waste", slug="waste")
    ]
    skills = list(Skill.objects.all()) or [Skill.objects.create(name="User research", slug="ur")]
    suppliers = ["Bartec", "Whitespace", "Civica", "Capita", "Idox", "Northgate", "Granicus"]

    systems, needs, offers, users = [], [], [], []
    for org in councils:
        for area in rng.sample(areas, k=min(3, len(areas))):
            systems.append(
                SystemInUse(
                    organisation=org,
                    service_area=area,
                    supplier=rng.choice(suppliers),
                    product=f"Product {rng.randint(1, 20)}",
                    satisfaction=rng.randint(1, 5),
                )
            )
        for area in rng.sample(areas, k=min(2, len(areas))):
            needs.append(
                Need(organisation=org, service_area=area, description=f"Help with {area.name}")
            )
        for skill in rng.sample(skills, k=min(2, len(skills))):
            offers.append(SkillOffer(organisation=org, skill=skill, detail="Two people"))
        for n in range(members_per_council):
            users.append(User(email=f"member{n}@{org.slug}.bench.example", full_name=f"Member {n}"))
    SystemInUse.objects.bulk_create(systems)
    Need.objects.bulk_create(needs)
    SkillOffer.objects.bulk_create(offers)
    User.objects.bulk_create(users, batch_size=1000)
    by_email = {u.email: u for u in User.objects.filter(email__endswith=".bench.example")}
    memberships = []
    for org in councils:
        for n in range(members_per_council):
            role = Membership.Role.ADMIN if n == 0 else Membership.Role.MEMBER
            user = by_email[f"member{n}@{org.slug}.bench.example"]
            memberships.append(
                Membership(user=user, organisation=org, role=role, status=Membership.Status.ACTIVE)
            )
    Membership.objects.bulk_create(memberships, batch_size=1000)

    # A large council with a full profile; the first one when Leeds is absent.
    sample = next((o for o in councils if o.slug == "leeds"), councils[0] if councils else None)
    officer = by_email.get(f"member1@{sample.slug}.bench.example") if sample else None
    staff = User.objects.create_user(email="staff@bench.example", is_staff=True)
    return Dataset(
        organisations=len(councils),
        sample_slug=sample.slug if sample else "",
        officer=officer,
        staff=staff,
    )


def measure(case: Case, dataset: Dataset, runs: int, warmup: int = 2) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers=case.headers)
    user = {"officer": dataset.officer, "staff": dataset.staff}.get(case.as_user)
    if user is not None:
        client.force_login(user)
    path = case.path(dataset) if callable(case.path) else case.path
    for _ in range(warmup):
        client.get(path)
    timings, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
        if response.status_code != case.expect_status:
            raise SystemExit(f"{case.name}: GET {path} answered {response.status_code}")
    timings.sort()
    return {
        "name": case.name,
        "path": path,
        "median": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
        "queries": max(queries),
        "bytes": len(response.content),
    }


def print_table(results: list[dict]) -> None:
    headings = ("case", "median ms", "p95 ms", "queries", "KiB")
    rows = [
        (
            r["name"],
            f"{r['median']:.1f}",
            f"{r['p95']:.1f}",
            str(r["queries"]),
            f"{r['bytes'] / 1024:.0f}",
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headings)]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w)
        for i, (h, w) in enumerate(zip(headings, widths, strict=True))
    )
    print(line)
    print("-" * len(line))
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case")
    parser.add_argument("--register", type=Path, default=DEFAULT_REGISTER)
    parser.add_argument("--members", type=int, default=5, help="members per council")
    parser.add_argument(
        "-k", dest="keyword", default="", help="only cases whose name contains this"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        started = time.perf_counter()
        dataset = build_dataset(args.register, args.members)
        cases = list(CASES)
        for module in discover_extensions():
            if hasattr(module, "build"):
                module.build(dataset)
            cases += getattr(module, "CASES", [])
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        built_in = time.perf_counter() - started
        print(
            f"dataset: {dataset.organisations} active organisations, {args.members} members "
            f"each, built in {built_in:.1f}s on {engine}; {args.runs} runs per case\n"
        )
        selected = [c for c in cases if args.keyword.lower() in c.name.lower()]
        print_table([measure(case, dataset, args.runs) for case in selected])
    finally:
        teardown_databases(old_config, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
