"""The submit's closing statement (with the attempt's ticket) as a PL/pgSQL function on
PostgreSQL: PL/pgSQL keeps the statement's plan per connection, where the same UPDATE sent as
SQL is planned again at every submit (about half its cost at the database; a protocol-level
prepared statement would not survive pgbouncer's transaction mode, `SELECT f(…)` does). The
round's row is read by the statement itself (grace seconds, essay limit), so that the submit
needs no round trip to the cache for the paper's version (services.attempts._submit_by_ticket).
Nothing on SQLite, which runs the same statement (services.attempts._TICKET_CLOSE_SQL) as SQL."""

from django.db import migrations

from moduong.contests.services.attempts import close_function_drop, close_function_install


def install(apps, schema_editor):
    close_function_install(schema_editor)


def drop(apps, schema_editor):
    close_function_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0010_start_function"),
    ]

    operations = [
        migrations.RunPython(install, drop),
    ]
