"""Where a photo was taken is nobody's business once it is on the site: every image uploaded to
Wagtail's library (albums, articles, guests) loses its GPS data before it is stored, so neither
the renditions nor a downloaded original can give it away."""

from typing import Any

from django.core.files.base import ContentFile
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from moduong.core import uploads


@receiver(pre_save, sender=get_image_model())
def _strip_location(sender: type, instance: Any, **kwargs: object) -> None:
    field_file = instance.file
    if not field_file or getattr(field_file, "_committed", True):
        return  # no new file in this save
    field_file.open("rb")
    field_file.seek(0)
    data = field_file.read()
    field_file.seek(0)
    try:
        cleaned = uploads.without_location(data)
    except (OSError, ValueError, SyntaxError):
        return  # not an image Pillow can rewrite: Wagtail's own checks decide about it
    if cleaned is None:
        return
    instance.file = ContentFile(cleaned, name=field_file.name.rsplit("/", 1)[-1])
    instance._set_image_file_metadata()
