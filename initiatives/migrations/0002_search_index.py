"""A GIN index on Initiative.search_vector, so catalogue search stays fast as
the catalogue grows. PostgreSQL only: SQLite has no tsvector and searches with
a simple fallback, so there the migration does nothing (both ways)."""

from django.db import migrations

INDEX_NAME = "initiative_search_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
        "ON initiatives_initiative USING GIN (search_vector)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
