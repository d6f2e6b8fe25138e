"""``manage.py seed_demo``: runs twice without changing anything the second
time (its speed is a benchmark concern, not a test's), and every demo person can sign in."""

import io
import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from councils.management.commands.seed_demo import (
    ACTIVE_COUNCILS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    FALLBACK_COUNCILS,
    PEOPLE,
)
from councils.models import (
    EmailDomain,
    Membership,
    Need,
    Organisation,
    ServiceArea,
    Skill,
    SkillOffer,
    SystemInUse,
)
from notifications.models import Activity

REGISTER = Path(settings.BASE_DIR).parent / "shared/data/uk_local_authorities_current.csv"
COUNTED = (
    Organisation,
    EmailDomain,
    User,
    EmailAddress,
    Membership,
    Authenticator,
    ServiceArea,
    Skill,
    SystemInUse,
    Need,
    SkillOffer,
    Activity,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def register_path():
    if not REGISTER.exists():
        message = f"the register CSV is not at {REGISTER}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must seed from the real register, but {message}")
        pytest.skip(message)
    return REGISTER


def test_seed_demo_twice_changes_nothing_and_everyone_can_sign_in(db, client, register_path):
    first = seed()
    after_first = counts()

    second = seed()

    assert counts() == after_first
    assert "Contains data from mySociety (CC BY 4.0)" in first
    assert "Demo data ready (nothing new)" in second
    assert DEMO_PASSWORD in first and DEMO_TOTP_SECRET in first
    # The whole register, with the demo councils switched on and their domains.
    assert Organisation.objects.filter(register_code__gt="").count() > 400
    for code, domain in ACTIVE_COUNCILS.items():
        organisation = Organisation.objects.get(register_code=code)
        assert organisation.status == Organisation.Status.ACTIVE
        assert EmailDomain.objects.get(domain=domain).organisation == organisation
        assert organisation.systems.exists() and organisation.needs.exists()
        assert organisation.skills_offered.exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER).count() == 1

    for person in PEOPLE:
        user = User.objects.get(email=person.email)
        assert person.email in first  # the logins table
        assert EmailAddress.objects.filter(
            user=user, email=person.email, verified=True, primary=True
        ).exists()
        assert client.login(username=person.email, password=DEMO_PASSWORD), person.email
        client.logout()
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert has_totp == person.needs_mfa
        if person.is_staff:
            assert user.is_staff
        else:
            membership = Membership.objects.get(user=user, status=Membership.Status.ACTIVE)
            assert membership.role == person.role

    leeds = Organisation.objects.get(register_code="LDS")
    roles = set(
        Membership.objects.filter(organisation=leeds, status="active").values_list(
            "role", flat=True
        )
    )
    assert roles == {Membership.Role.ADMIN, Membership.Role.MEMBER, Membership.Role.FACILITATOR}


def test_seed_demo_without_the_register_creates_well_known_councils(db, tmp_path):
    seed("--register", str(tmp_path / "absent.csv"))
    after_first = counts()
    seed("--register", str(tmp_path / "absent.csv"))

    assert counts() == after_first
    assert Organisation.objects.filter(register_code__gt="").count() == len(FALLBACK_COUNCILS)
    assert Organisation.objects.filter(
        register_code__in=ACTIVE_COUNCILS, status=Organisation.Status.ACTIVE
    ).count() == len(ACTIVE_COUNCILS)
    # The taxonomy is reused by slug, never duplicated by name.
    names = list(ServiceArea.objects.values_list("name", flat=True))
    assert len(names) == len({name.lower() for name in names})


def test_a_demo_staff_user_reaches_onboarding_after_two_factor(db, client, tmp_path):
    """The printed secret works: a TOTP code from it completes sign-in."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    seed("--register", str(tmp_path / "absent.csv"))
    staff = next(person for person in PEOPLE if person.is_staff)

    response = client.post(
        "/accounts/login/", {"login": staff.email, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/authenticate/")
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, next(yield_hotp_counters_from_time())))
    response = client.post("/accounts/2fa/authenticate/", {"code": code}, follow=True)
    assert response.status_code == 200

    assert client.get("/onboarding/").status_code == 200


def test_seed_demo_seeds_the_initiatives_demo(db, tmp_path, monkeypatch):
    """``initiatives.demo.seed(stdout)`` is called after the councils, and
    errors inside it are not swallowed."""
    from initiatives import demo

    calls = []
    monkeypatch.setattr(
        demo,
        "seed",
        lambda stdout: (calls.append("initiatives"), stdout.write("Seeded initiatives.")),
    )

    output = seed("--register", str(tmp_path / "absent.csv"))

    assert calls == ["initiatives"]
    assert "Seeded initiatives." in output

    def seed_with_missing_dependency(stdout):
        import initiatives.no_such_module  # noqa: F401

    monkeypatch.setattr(demo, "seed", seed_with_missing_dependency)
    with pytest.raises(ModuleNotFoundError):
        seed("--register", str(tmp_path / "absent.csv"))


def test_demo_systems_have_one_spelling_per_supplier_and_link_leeds_and_manchester(
    db, client, tmp_path
):
    from collections import defaultdict

    from councils.management.commands.seed_demo import SYSTEMS
    from councils.models import normalise_name

    declared = defaultdict(set)
    for systems in SYSTEMS.values():
        for _area, supplier, product, _ends, _score in systems:
            declared[normalise_name(supplier)].add(supplier)
            declared[(normalise_name(supplier), normalise_name(product))].add(product)
    assert all(len(spellings) == 1 for spellings in declared.values()), declared

    seed("--register", str(tmp_path / "absent.csv"))
    stored = defaultdict(set)
    for supplier, key in SystemInUse.objects.values_list("supplier", "supplier_key"):
        stored[key].add(supplier)
    assert stored and all(len(spellings) == 1 for spellings in stored.values()), stored

    # A rerun over a row typed differently matches it by key: no second Bartec.
    before = SystemInUse.objects.count()
    SystemInUse.objects.filter(supplier_key="bartec").update(supplier="BARTEC ")
    seed("--register", str(tmp_path / "absent.csv"))
    assert SystemInUse.objects.count() == before

    response = client.get(
        "/councils/", {"supplier": "bartec", "service_area": "waste-and-recycling"}
    )
    assert [o.register_code for o in response.context["organisations"]] == ["LDS", "MAN"]
