"""initiatives.demo.seed: a living catalogue, idempotent, through the services."""

import io

import pytest
from django.core import mail

from councils.models import Membership
from initiatives import demo
from initiatives.models import Comment, Initiative, Partnership, StageChange, Update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_councils(db):
    for code in demo.COUNCILS:
        factories.OrganisationFactory(register_code=code, name=f"Demo {code}")
    supplier = factories.SupplierFactory(name="Acme Digital", slug="acme-digital")
    factories.member_of(supplier, Membership.Role.MEMBER)
    for slug in ("waste-and-recycling", "housing", "planning", "council-tax"):
        factories.service_area(slug)
    factories.skill("user-research")


def test_seed_builds_every_stage_visibility_and_status(demo_councils):
    out = io.StringIO()
    demo.seed(out)
    assert "Could not seed" not in out.getvalue(), out.getvalue()
    assert Initiative.objects.count() == len(demo.INITIATIVES)
    assert set(Initiative.objects.values_list("stage", flat=True)) == set(Initiative.Stage.values)
    assert set(Initiative.objects.values_list("visibility", flat=True)) == set(
        Initiative.Visibility.values
    )
    statuses = set(Partnership.objects.values_list("status", flat=True))
    assert statuses == set(Partnership.Status.values)
    assert Partnership.objects.filter(role="supplier", status="active").exists()
    assert Update.objects.exists() and Comment.objects.exists()
    live = Initiative.objects.get(title="Planning application validation checker")
    assert list(StageChange.objects.filter(initiative=live).values_list("to_stage", flat=True)) == [
        "idea",
        "discovery",
        "alpha",
        "beta",
        "live",
    ]
    assert live.partner_count == 3
    assert mail.outbox == []  # demo data sends no e-mail


def test_seed_twice_changes_nothing(demo_councils):
    demo.seed(io.StringIO())
    counts = (
        Initiative.objects.count(),
        Partnership.objects.count(),
        StageChange.objects.count(),
        Update.objects.count(),
        Comment.objects.count(),
    )
    out = io.StringIO()
    demo.seed(out)
    assert "0 created" in out.getvalue()
    assert counts == (
        Initiative.objects.count(),
        Partnership.objects.count(),
        StageChange.objects.count(),
        Update.objects.count(),
        Comment.objects.count(),
    )


def test_seed_skips_missing_councils(db):
    out = io.StringIO()
    demo.seed(out)
    assert "Councils not on the platform, skipped" in out.getvalue()
    assert Initiative.objects.count() == 0
