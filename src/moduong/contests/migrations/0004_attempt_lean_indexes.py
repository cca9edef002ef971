import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fillfactor(apps, schema_editor, percent=75):
    """Each attempt is updated once per answer and once at the submit: free room on each page
    lets PostgreSQL write those new row versions beside the old one, without touching any
    index (HOT updates)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE contests_attempt SET (fillfactor = {percent})")


def fillfactor_default(apps, schema_editor):
    fillfactor(apps, schema_editor, percent=100)


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0003_attempt_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="attempt",
            name="round",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attempts",
                to="contests.round",
            ),
        ),
        migrations.AlterField(
            model_name="attempt",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contest_attempts",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fillfactor, fillfactor_default),
    ]
