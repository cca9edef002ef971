import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "moduong.gallery"
    label = "gallery"
    verbose_name = _("Photo and video libraries")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from . import views  # noqa: F401, PLC0415  # registers its page views

        # Captions are served with the type browsers expect of a <track>.
        mimetypes.add_type("text/vtt", ".vtt")
