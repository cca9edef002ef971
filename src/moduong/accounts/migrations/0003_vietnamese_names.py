"""Wagtail's migrations write English into the database, where no catalogue reaches it: the
first workflow and its task ("Moderators approval"), the roots of the page tree and of the
collections ("Root"), which the admin shows in its lists and breadcrumbs. Named in Vietnamese,
unless the office renamed them already."""

from django.db import migrations

NAMES = {
    ("wagtailcore", "Workflow", "name"): ("Moderators approval", "Kiểm duyệt viên phê duyệt"),
    ("wagtailcore", "Task", "name"): ("Moderators approval", "Kiểm duyệt viên phê duyệt"),
    ("wagtailcore", "Collection", "name"): ("Root", "Tất cả"),
    ("wagtailcore", "Page", "title"): ("Root", "Gốc"),
}


def rename(apps, schema_editor, forward=True):
    for (app, model, field), (english, vietnamese) in NAMES.items():
        old, new = (english, vietnamese) if forward else (vietnamese, english)
        queryset = apps.get_model(app, model).objects.filter(**{field: old})
        if model in {"Page", "Collection"}:
            queryset = queryset.filter(depth=1)
        if model == "Page":
            queryset.update(title=new, draft_title=new)
        else:
            queryset.update(**{field: new})


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
