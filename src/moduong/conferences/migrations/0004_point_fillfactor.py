"""Free room on the connection points' pages. On the day each point's row is updated a few
times a minute; with full pages (the default) about half of those new row versions went to
another page, so each one also went into all seven of the table's indexes. With half of each
page free, PostgreSQL writes them beside the old one and touches no index (HOT updates), except
for the one report that sets linked_at (an indexed column). 600 points are 24 pages instead
of 12. Existing pages get the room as they are rewritten (VACUUM FULL, or over time)."""

from django.db import migrations


def fillfactor(apps, schema_editor, percent=50):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE conferences_connectionpoint SET (fillfactor = {percent})"
        )


def fillfactor_default(apps, schema_editor):
    fillfactor(apps, schema_editor, percent=100)


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0003_private_photos_link_versions_delegates"),
    ]

    operations = [
        migrations.RunPython(fillfactor, fillfactor_default),
    ]
