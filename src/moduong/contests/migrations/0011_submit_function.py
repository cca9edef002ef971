"""The submit's closing statement (with the attempt's ticket) as a PL/pgSQL function on
PostgreSQL: PL/pgSQL keeps the statement's plan per connection, where the same UPDATE sent as
SQL is planned again at every submit (about half its cost at the database; a protocol-level
prepared statement would not survive pgbouncer's transaction mode, `SELECT f(…)` does). The
round's row is read by the statement itself (grace seconds, essay limit), so that the submit
needs no round trip to the cache for the paper's version (services.attempts._submit_by_ticket).
Nothing on SQLite, which keeps the same statement as SQL."""

from django.db import migrations

# Frozen here: a later change of the statement is a new migration (CREATE OR REPLACE).
SUBMIT_FUNCTION = """
CREATE OR REPLACE FUNCTION contests_attempt_close(
    p_id bigint, p_owner bigint, p_key text, p_answers text, p_score integer,
    p_duration integer, p_prediction bigint, p_essay text, p_now timestamptz,
    p_late_us bigint, p_essay_length integer
) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contests_attempt a
    SET submitted_at = p_now, answers = p_answers, score = p_score, duration_ms = p_duration,
        prediction = p_prediction, essay = p_essay, late = FALSE
    WHERE a.id = p_id AND a.user_id = p_owner AND a.submitted_at IS NULL AND a.key = p_key
      AND EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = p_owner AND u.is_active)
      AND EXISTS (SELECT 1 FROM contests_round r
                  WHERE r.id = a.round_id AND r.grace_seconds * 1000000::bigint >= p_late_us
                    AND r.essay_max_chars >= p_essay_length);
    RETURN FOUND;
END
$$
"""

DROP_FUNCTION = """
DROP FUNCTION IF EXISTS contests_attempt_close(
    bigint, bigint, text, text, integer, integer, bigint, text, timestamptz, bigint, integer)
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUBMIT_FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0010_start_function"),
    ]

    operations = [
        migrations.RunPython(install, drop),
    ]
