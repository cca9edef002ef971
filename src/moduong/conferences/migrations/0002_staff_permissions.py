"""Office staff (Cán bộ nghiệp vụ) run conferences: every permission on the conferences app's models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = "Cán bộ nghiệp vụ"
MODELS = [
    "conference",
    "attendancecategory",
    "agendaitem",
    "material",
    "connectionpoint",
    "pointreport",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("conferences")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff, _ = Group.objects.get_or_create(name=STAFF)
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="conferences", content_type__model__in=MODELS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name=STAFF).first()
    if staff is not None:
        staff.permissions.remove(*Permission.objects.filter(content_type__app_label="conferences"))


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0001_initial"),
        ("accounts", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
