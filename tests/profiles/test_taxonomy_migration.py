"""The taxonomy data migration: the service areas and skills profiles use,
with predictable slugs, and a reverse that removes exactly what it added."""

import importlib

import pytest
from django.apps import apps
from django.utils.text import slugify

from councils.models import ServiceArea, Skill

taxonomy = importlib.import_module("councils.migrations.0002_taxonomy")


@pytest.mark.django_db
def test_seeded_service_areas_and_skills():
    assert ServiceArea.objects.count() >= 25
    assert Skill.objects.count() >= 15
    for slug in (
        "waste-and-recycling",
        "council-tax",
        "childrens-services",
        "education-and-send",
        "digital-front-door",
        "democratic-services",
    ):
        assert ServiceArea.objects.filter(slug=slug).exists(), slug
    for slug in ("user-research", "commercial-and-contract-management", "accessibility"):
        assert Skill.objects.filter(slug=slug).exists(), slug
    for area in ServiceArea.objects.all():
        assert area.slug == slugify(area.name)
        assert area.description


@pytest.mark.django_db
def test_reverse_removes_the_taxonomy_and_forward_restores_it():
    extra = ServiceArea.objects.create(name="Cemeteries", slug="cemeteries")
    taxonomy.unseed(apps, None)
    assert list(ServiceArea.objects.all()) == [extra]  # only rows it added are removed
    assert not Skill.objects.exists()
    taxonomy.seed(apps, None)
    taxonomy.seed(apps, None)  # idempotent: running twice adds nothing more
    assert ServiceArea.objects.count() == len(taxonomy.SERVICE_AREAS) + 1
    assert Skill.objects.count() == len(taxonomy.SKILLS)
