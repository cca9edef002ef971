"""E-book files move out of MEDIA_ROOT, where nginx served them to anyone who guessed a name
(drafts and restricted books included), into core's private storage: from now on only the
book's download view hands them out."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import moduong.core.files


def move_files(apps, schema_editor):  # type: ignore[no-untyped-def]
    BookFile = apps.get_model("library", "BookFile")
    media = Path(settings.MEDIA_ROOT)
    private = moduong.core.files.private_root()
    for name in BookFile.objects.exclude(file="").values_list("file", flat=True).iterator():
        source, target = media / name, private / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="bookfile",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=moduong.core.files.private_storage,
                upload_to="library/files/%Y/%m/",
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop),
    ]
