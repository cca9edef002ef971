"""The office's roles: editors write, moderators approve and publish, staff run the tools.

Wagtail's initial data made "Editors" and "Moderators" with page and collection permissions;
they are renamed, keeping those permissions, and given the site's own ones.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt viên"
STAFF = "Cán bộ nghiệp vụ"

SHELL_PERMISSIONS = [
    ("core", "add_menuitem"),
    ("core", "change_menuitem"),
    ("core", "delete_menuitem"),
    ("core", "change_sitecontact"),
    ("wagtailadmin", "access_admin"),
]
STAFF_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("units", "add_unit"),
    ("units", "change_unit"),
    ("units", "view_unit"),
]


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in pairs
    ]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    for old, new in (("Editors", EDITORS), ("Moderators", MODERATORS)):
        group = Group.objects.filter(name=old).first()
        if group is not None and not Group.objects.filter(name=new).exists():
            group.name = new
            group.save(update_fields=["name"])
        group, _ = Group.objects.get_or_create(name=new)
        group.permissions.add(*_permissions(apps, SHELL_PERMISSIONS))
    staff, _ = Group.objects.get_or_create(name=STAFF)
    staff.permissions.add(*_permissions(apps, STAFF_PERMISSIONS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0001_initial"),
        ("units", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
