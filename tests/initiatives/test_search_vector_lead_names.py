"""The stored search vector holds the lead organisation's names (PostgreSQL),
and stays in step: on create, when the lead is handed over, when an
organisation is renamed (a save, or the register import's bulk update), and
for rows stored before this (migration 0004)."""

import dataclasses
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from councils.register import RegisterRow, import_register
from initiatives.models import Initiative, Partnership
from initiatives.services import partnerships
from initiatives.services.initiative import create_initiative
from tests import factories

from .support.initiative import result_titles

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

migration = importlib.import_module("initiatives.migrations.0004_search_lead_names")


def search(q: str) -> list[str]:
    return sorted(result_titles(Client().get("/initiatives/", {"q": q})))


@pytest.fixture
def garden(council):
    return factories.InitiativeFactory(lead_organisation=council, title="Garden waste renewals")


def test_a_new_initiative_is_found_by_its_leads_names(officer, council):
    create_initiative(
        by=officer,
        organisation=council,
        title="Bulky waste bookings",
        summary="Book a bulky waste collection online.",
        visibility="public",
        service_areas=[factories.service_area("waste")],
    )
    assert search("leedsham") == ["Bulky waste bookings"]
    assert search('"leedsham city council"') == ["Bulky waste bookings"]


def test_renaming_the_lead_refreshes_its_initiatives(council, garden):
    council.name, council.official_name = "Leodis", "Leodis Metropolitan Council"
    council.save()
    assert search("leodis") == ["Garden waste renewals"]
    assert search("metropolitan") == ["Garden waste renewals"]
    assert search("leedsham") == []


def test_a_save_of_other_fields_does_not_touch_the_vectors(council, garden):
    Initiative.objects.filter(pk=garden.pk).update(search_vector=None)
    council.website = "https://leedsham.example/"
    council.save(update_fields=["website"])
    assert Initiative.objects.get(pk=garden.pk).search_vector is None


def test_the_register_import_renaming_a_council_refreshes_its_initiatives(council, garden):
    row = RegisterRow(
        line=2,
        code=council.register_code,
        official_name="Leodis City Council",
        name="Leodis",
        slug_base="leodis",
        gss_code=council.gss_code,
        nation=council.nation,
        region=council.region,
        authority_type=council.authority_type,
        kind="council",
        population=council.population,
        latitude=None,
        longitude=None,
        current=True,
        end_date=None,
        replaced_by=(),
    )
    result = import_register(rows=[row])
    assert result.updated == 1
    assert search("leodis") == ["Garden waste renewals"]
    assert search("leedsham") == []
    # A dry run rolls the refreshed vectors back with the names.
    import_register(
        rows=[dataclasses.replace(row, name="Loiner", official_name="Loiner")], dry_run=True
    )
    assert search("loiner") == []


def test_handing_over_the_lead_moves_the_names(council, council_admin, other_council, garden):
    factories.PartnershipFactory(
        initiative=garden, organisation=other_council, status=Partnership.Status.ACTIVE
    )
    partnerships.hand_over_lead(initiative=garden, to_organisation=other_council, by=council_admin)
    assert search("otherton") == ["Garden waste renewals"]
    assert search("leedsham") == []


def test_the_migration_rebuilds_stored_vectors_with_the_names(council, garden):
    Initiative.objects.filter(pk=garden.pk).update(search_vector=None)
    assert search("leedsham") == []
    with connection.schema_editor() as editor:
        migration.add_lead_names(apps, editor)
    assert search("leedsham") == ["Garden waste renewals"]
    assert search("garden") == ["Garden waste renewals"]
    with connection.schema_editor() as editor:
        migration.drop_lead_names(apps, editor)
    assert search("leedsham") == []
    assert search("garden") == ["Garden waste renewals"]


def test_the_migration_and_the_service_build_the_same_vector(council):
    initiative = factories.InitiativeFactory(
        lead_organisation=council,
        title="Garden waste renewals",
        summary="Renew online",
        description="Shared **build**",
        tags=["Renewals", "garden waste"],
    )
    by_service = Initiative.objects.get(pk=initiative.pk).search_vector
    with connection.schema_editor() as editor:
        migration.add_lead_names(apps, editor)
    assert Initiative.objects.get(pk=initiative.pk).search_vector == by_service
