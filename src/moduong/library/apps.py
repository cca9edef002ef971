from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "moduong.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from moduong.core import home_panels

        from . import signals  # noqa: F401
        from .selectors import home_panel

        home_panels.register("library/home_latest_books.html", home_panel, order=20)
