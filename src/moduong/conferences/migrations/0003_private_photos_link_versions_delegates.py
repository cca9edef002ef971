"""Rooms' photos move out of MEDIA_ROOT into core's private storage (only the organisers' photo
view hands them out); points' links get a version (raising it revokes the links given before);
the main hall's delegates and the conference's published photos. The office staff get the new
models' permissions, as 0002 gave them the others'."""

import shutil
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
import modelcluster.fields
import moduong.conferences.models
import moduong.core.files
from django.db import migrations, models


def move_photos(apps, schema_editor):
    ConnectionPoint = apps.get_model("conferences", "ConnectionPoint")
    media = Path(settings.MEDIA_ROOT)
    private = moduong.core.files.private_root()
    for name in (
        ConnectionPoint.objects.exclude(photo="").values_list("photo", flat=True).iterator()
    ):
        source, target = media / name, private / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("conferences")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name="Cán bộ nghiệp vụ")
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="conferences",
            content_type__model__in=["delegate", "conferencephoto"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0002_staff_permissions"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="connectionpoint",
            name="link_version",
            field=models.PositiveIntegerField(
                default=1, editable=False, verbose_name="link version"
            ),
        ),
        migrations.AlterField(
            model_name="connectionpoint",
            name="photo",
            field=models.FileField(
                blank=True,
                storage=moduong.core.files.private_storage,
                upload_to="conferences/",
                verbose_name="photo of the room",
            ),
        ),
        migrations.CreateModel(
            name="ConferencePhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("caption", models.CharField(blank=True, max_length=300, verbose_name="caption")),
                (
                    "conference",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="conferences.conference",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="wagtailimages.image",
                        verbose_name="photo",
                    ),
                ),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Delegate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("full_name", models.CharField(max_length=150, verbose_name="full name")),
                ("position", models.CharField(blank=True, max_length=200, verbose_name="position")),
                ("organisation", models.CharField(blank=True, max_length=255, verbose_name="unit")),
                ("seat", models.CharField(blank=True, max_length=20, verbose_name="seat")),
                (
                    "code",
                    models.CharField(
                        default=moduong.conferences.models.delegate_code,
                        max_length=16,
                        unique=True,
                        verbose_name="badge code",
                    ),
                ),
                (
                    "checked_in_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="checked in at"),
                ),
                (
                    "checked_in_by",
                    models.CharField(blank=True, max_length=150, verbose_name="checked in by"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="conferences.attendancecategory",
                        verbose_name="attendance category",
                    ),
                ),
                (
                    "conference",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="delegates",
                        to="conferences.conference",
                        verbose_name="conference",
                    ),
                ),
            ],
            options={
                "verbose_name": "delegate",
                "verbose_name_plural": "delegates",
                "ordering": ["conference", "full_name", "pk"],
                "indexes": [
                    models.Index(
                        fields=["conference", "checked_in_at"],
                        name="conferences_confere_dfc1df_idx",
                    )
                ],
            },
        ),
        migrations.RunPython(move_photos, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
