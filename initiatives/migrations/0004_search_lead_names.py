"""Initiatives' search vectors gain the lead organisation's short and official
names (weight B, with the summary), so searching a council's name finds what
it leads. Every stored vector is rebuilt in one UPDATE; from here on the
services keep them (``services.catalogue.refresh_search_vectors``, on
create, edit, lead hand-over and organisation renames).

The SQL is written out rather than imported, so this migration keeps doing
what it did when the service's code moves on. PostgreSQL only: SQLite has no
vector (its fallback search reads the names directly). Reversing rebuilds
the vectors without the names.
"""

from django.db import migrations

CONFIG = "english"

WITH_LEAD_NAMES = """
UPDATE initiatives_initiative AS i SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, coalesce(i.title, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(i.summary, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig,
        coalesce(o.name, '') || ' ' || coalesce(o.official_name, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(i.description, '')), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(t.name, ' ') FROM initiatives_initiative_tags AS it
        JOIN initiatives_tag AS t ON t.id = it.tag_id WHERE it.initiative_id = i.id
    ), '')), 'C')
FROM councils_organisation AS o
WHERE o.id = i.lead_organisation_id
"""

WITHOUT_LEAD_NAMES = """
UPDATE initiatives_initiative AS i SET search_vector =
    setweight(to_tsvector(%(config)s::regconfig, coalesce(i.title, '')), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(i.summary, '')), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce(i.description, '')), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, coalesce((
        SELECT string_agg(t.name, ' ') FROM initiatives_initiative_tags AS it
        JOIN initiatives_tag AS t ON t.id = it.tag_id WHERE it.initiative_id = i.id
    ), '')), 'C')
"""


def _rebuild(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql, {"config": CONFIG})


def add_lead_names(apps, schema_editor):
    _rebuild(schema_editor, WITH_LEAD_NAMES)


def drop_lead_names(apps, schema_editor):
    _rebuild(schema_editor, WITHOUT_LEAD_NAMES)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_normalise_tags")]

    operations = [migrations.RunPython(add_lead_names, drop_lead_names)]
