"""Trigram indexes on the search keys, on PostgreSQL only.

Every list's ``q`` and the global search match ``search_key LIKE '%text%'``; a GIN
trigram index answers that without reading every row once the text has three or more
characters (shorter texts have no trigram, and PostgreSQL scans, which it plans by itself).
SQLite has no such index: there this migration does nothing.
"""

from django.db import migrations

SEARCHABLE = [
    ("org", "Organisation"),
    ("accounts", "User"),
    ("projects", "Project"),
    ("problems", "Problem"),
    ("problems", "ActionItem"),
    ("meetings", "Meeting"),
]


def _tables(apps):
    for app_label, model_name in SEARCHABLE:
        table = apps.get_model(app_label, model_name)._meta.db_table
        yield table, f"{table}_search_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for table, index in _tables(apps):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(table)} "
            "USING gin (search_key gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    # The extension stays: other indexes or queries in the database may use it.
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, index in _tables(apps):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_organisation_aliases"),
        ("accounts", "0002_people_searchable"),
        ("projects", "0001_initial"),
        ("problems", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
