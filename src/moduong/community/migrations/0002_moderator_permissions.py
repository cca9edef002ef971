"""Moderators (Kiểm duyệt viên) handle readers' letters and exchange questions; editors
(Biên tập viên) may read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Kiểm duyệt viên"
EDITORS = "Biên tập viên"
MODELS = ("letter", "question")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(*actions):
        return Permission.objects.filter(
            content_type__app_label="community",
            codename__in=[f"{action}_{model}" for action in actions for model in MODELS],
        )

    for name, actions in ((MODERATORS, ("view", "change")), (EDITORS, ("view",))):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(*actions))


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial"), ("accounts", "0002_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
