from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "moduong.gallery"
    label = "gallery"
    verbose_name = _("Photo and video libraries")

    def ready(self) -> None:
        import mimetypes

        from . import signals  # noqa: F401

        # Captions are served with the type browsers expect of a <track>.
        mimetypes.add_type("text/vtt", ".vtt")
