"""The start's statement as a PL/pgSQL function on PostgreSQL, whose plan each connection keeps
(see services.attempts._START_FUNCTION). Nothing on SQLite."""

from django.db import migrations

from moduong.contests.services.attempts import start_function_drop, start_function_install


def install(apps, schema_editor):
    start_function_install(schema_editor)


def drop(apps, schema_editor):
    start_function_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0009_ranking_without_indexes"),
    ]

    operations = [
        migrations.RunPython(install, drop),
    ]
