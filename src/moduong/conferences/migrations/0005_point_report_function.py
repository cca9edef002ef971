"""A point's report (without a photo) as a plpgsql function, on PostgreSQL only.

The report is one statement (services._report_write_in_one_statement): lock the point, hold the
conference's row shared, check the categories, the link's version, the closing and the
capacity, UPDATE the point and INSERT the history row. Sent as SQL, PostgreSQL planned that
statement again at every report, about half of its cost on the database; a prepared statement
would keep the plan but breaks behind pgbouncer in transaction mode (DESIGN.md's cluster). A
plpgsql function keeps the plan of its statement for the connection's life, and calling it is
just `SELECT … FROM conference_point_report(…)`, which pgbouncer passes like any query. (A
`LANGUAGE sql` function is planned again at each call: no gain.)

The statement is the one services.py sent before, word for word but for its parameters
(p_…) and its result's names (r_…, apart from the tables' columns so that no name is
ambiguous). SQLite keeps its path in Python: nothing is created there."""

from django.db import migrations

_ARGUMENTS = (
    "bigint, bigint, integer, varchar, varchar, boolean, timestamptz, text, jsonb, integer,"
    " varchar, bigint[]"
)

_CREATE = """
CREATE OR REPLACE FUNCTION conference_point_report(
    p_point bigint, p_conference bigint, p_version integer, p_link_test varchar,
    p_note varchar, p_linked boolean, p_now timestamptz, p_now_iso text, p_attendance jsonb,
    p_total integer, p_by varchar, p_categories bigint[]
) RETURNS TABLE (
    r_version integer, r_closed boolean, r_capacity integer, r_categories_ok boolean,
    r_changes text
) LANGUAGE plpgsql VOLATILE AS $function$
BEGIN
    RETURN QUERY
    WITH old AS (
        SELECT p.id, p.link_test, p.link_test_note, p.linked_at, p.attendance,
               p.attendance_total, p.revision, p.capacity, p.link_version, c.reporting_closed,
               (p_categories IS NULL OR cardinality(p_categories) = (
                   SELECT count(*) FROM conferences_attendancecategory a
                   WHERE a.conference_id = c.id AND a.id = ANY(p_categories)
               )) AS categories_ok
        FROM conferences_connectionpoint p
        JOIN conferences_conference c ON c.id = p.conference_id
        WHERE p.id = p_point AND p.conference_id = p_conference
        FOR UPDATE OF p FOR SHARE OF c
    ), new AS (
        SELECT old.*,
            COALESCE(p_link_test, old.link_test) AS n_link_test,
            COALESCE(p_note, old.link_test_note) AS n_note,
            CASE WHEN p_linked IS NULL THEN old.linked_at
                 WHEN p_linked THEN COALESCE(old.linked_at, p_now)
            END AS n_linked_at,
            COALESCE(p_attendance, old.attendance) AS n_attendance,
            COALESCE(p_total, old.attendance_total) AS n_total
        FROM old
        WHERE old.link_version = p_version AND NOT old.reporting_closed AND old.categories_ok
            AND COALESCE(p_total, 0) <= old.capacity
    ), diff AS (
        SELECT new.*, jsonb_strip_nulls(jsonb_build_object(
            'link_test', CASE WHEN new.n_link_test <> new.link_test
                THEN jsonb_build_array(new.link_test, new.n_link_test) END,
            'link_test_note', CASE WHEN new.n_note <> new.link_test_note
                THEN jsonb_build_array(new.link_test_note, new.n_note) END,
            'linked_at', CASE WHEN new.n_linked_at IS DISTINCT FROM new.linked_at
                THEN jsonb_build_array(
                    to_char(new.linked_at AT TIME ZONE 'UTC',
                            'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
                    CASE WHEN new.n_linked_at IS NOT NULL THEN p_now_iso END) END,
            'attendance', CASE WHEN new.n_attendance <> new.attendance
                THEN jsonb_build_array(new.attendance, new.n_attendance) END,
            'attendance_total', CASE WHEN new.n_total <> new.attendance_total
                THEN jsonb_build_array(new.attendance_total, new.n_total) END
        )) AS changes
        FROM new
    ), written AS (
        UPDATE conferences_connectionpoint p SET link_test = d.n_link_test,
            link_test_note = d.n_note, linked_at = d.n_linked_at,
            attendance = d.n_attendance, attendance_total = d.n_total,
            reported_at = p_now, revision = d.revision + 1
        FROM diff d
        WHERE p.id = d.id AND d.changes <> '{}'::jsonb
        RETURNING p.id, p.revision, d.changes
    ), history AS (
        INSERT INTO conferences_pointreport (point_id, created_at, by, changes, revision)
        SELECT w.id, p_now, p_by, w.changes, w.revision FROM written w
    )
    SELECT old.link_version::integer, old.reporting_closed, old.capacity::integer,
           old.categories_ok, (SELECT w.changes::text FROM written w)
    FROM old;
END
$function$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS conference_point_report({_ARGUMENTS})")


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0004_point_fillfactor"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
