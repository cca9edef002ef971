"""Letters and questions stored before their text was cleaned after decoding entities may hold
"<script>" that came in as "&lt;script&gt;", and moderators' replies were kept as typed: clean
them the way new ones are (vntext.plain_text), so no reader's client gets a raw tag."""

from django.db import migrations

from moduong.core import vntext

FIELDS = {
    "Letter": ("subject", "message", "reply", "reject_reason"),
    "Question": ("place", "text", "answer"),
}


def clean(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, fields in FIELDS.items():
        model = apps.get_model("community", model_name)
        for row in model.objects.only("pk", *fields).iterator(chunk_size=500):
            changed = []
            for field in fields:
                value = getattr(row, field)
                if value and ("<" in value or "&" in value):
                    cleaned = vntext.plain_text(value)
                    if field in ("subject", "place"):
                        cleaned = vntext.clean_line(cleaned)
                    if cleaned != value:
                        setattr(row, field, cleaned)
                        changed.append(field)
            if changed:
                row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("community", "0003_question_once")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
