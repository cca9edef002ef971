"""Office staff (Cán bộ nghiệp vụ) run awards: every permission on the awards' setup and
entries, but only viewing of what judges wrote (scores, sheets, their log): a score is changed
by its judge or not at all."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = "Cán bộ nghiệp vụ"
MANAGED = [
    "award",
    "category",
    "round",
    "criterion",
    "judge",
    "unitaccount",
    "entry",
    "entryfile",
    "conflict",
    "assignment",
    "prize",
]
READ_ONLY = ["scoresheet", "score", "scorelog"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("awards")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name=STAFF)
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="awards", content_type__model__in=MANAGED
        ),
        *Permission.objects.filter(
            content_type__app_label="awards",
            content_type__model__in=READ_ONLY,
            codename__startswith="view_",
        ),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name=STAFF).first()
    if staff is not None:
        staff.permissions.remove(*Permission.objects.filter(content_type__app_label="awards"))


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0001_initial"),
        ("accounts", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
