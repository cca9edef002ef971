import django.db.models.deletion
from django.db import migrations, models


def create_text_index(apps, schema_editor):
    from moduong.search.backends import structures_create

    structures_create(schema_editor.connection)


def drop_text_index(apps, schema_editor):
    from moduong.search.backends import structures_drop

    structures_drop(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.BigIntegerField()),
                ("kind", models.CharField(max_length=40, verbose_name="type")),
                ("section_key", models.CharField(blank=True, max_length=64)),
                ("section_title", models.CharField(blank=True, max_length=255, verbose_name="section")),
                ("title", models.TextField(verbose_name="title")),
                ("body", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("date", models.DateTimeField(blank=True, null=True, verbose_name="date")),
                ("indexed_at", models.DateTimeField(auto_now=True)),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "indexes": [
                    models.Index(fields=["kind", "-date"], name="search_entry_kind_date"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id"), name="search_entry_unique_object"
                    )
                ],
            },
        ),
        migrations.RunPython(create_text_index, drop_text_index),
    ]
