"""The tag data migration: names normalised, slugs recomputed from the name,
and rows whose names normalise alike merged (their initiatives kept)."""

import importlib

import pytest
from django.apps import apps

from initiatives.models import Tag
from tests import factories

migration = importlib.import_module("initiatives.migrations.0003_normalise_tags")

pytestmark = pytest.mark.django_db


def _legacy(name: str, slug: str) -> Tag:
    # bulk_create skips Tag.save, so rows can be spelt as the old code left them.
    [tag] = Tag.objects.bulk_create([Tag(name=name, slug=slug)])
    return tag


def test_normalises_recomputes_and_merges(council):
    garden = _legacy("Garden waste", "garden-waste")
    underscored = _legacy("Garden_Waste", "garden_waste")
    shouting = _legacy("GARDEN  WASTE ", "garden-waste-2")
    cpp = _legacy("C++", "c")
    plain = _legacy("Renewals", "renewals")
    both = factories.make_initiative(council, slug="both")
    one = factories.make_initiative(council, slug="one")
    both.tags.set([garden, underscored, cpp])
    one.tags.set([shouting, plain])

    migration.normalise_tags(apps, None)

    assert list(Tag.objects.order_by("name").values_list("name", "slug")) == [
        ("c++", Tag.slug_for("c++")),
        ("garden waste", "garden-waste"),
        ("renewals", "renewals"),
    ]
    assert Tag.objects.get(name="garden waste").pk == garden.pk  # the oldest survives
    assert sorted(both.tags.values_list("name", flat=True)) == ["c++", "garden waste"]
    assert sorted(one.tags.values_list("name", flat=True)) == ["garden waste", "renewals"]
    assert cpp.pk in set(both.tags.values_list("pk", flat=True))


def test_a_row_renamed_onto_another_rows_old_slug(council):
    """Old slugs are only parked values: "C++" (slug "c") and a later "C"
    (slug "c-2") end as "c++" -> c-<hash> and "c" -> "c", no clash."""
    _legacy("C++", "c")
    _legacy("C", "c-2")
    migration.normalise_tags(apps, None)
    assert dict(Tag.objects.values_list("name", "slug")) == {"c++": Tag.slug_for("c++"), "c": "c"}


def test_the_frozen_rules_match_the_model():
    for typed in ("Garden waste", "GARDEN__waste", "Straße", "C++", "é" * 60, "ＡＰＩ"):
        assert migration.normalise(typed) == Tag.normalise(typed)
        name = Tag.normalise(typed)
        assert migration.slug_for(name) == Tag.slug_for(name)
