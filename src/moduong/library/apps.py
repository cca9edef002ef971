from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "moduong.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from moduong.core import home_panels  # noqa: PLC0415

        from . import signals, views  # noqa: F401, PLC0415  # registers receivers and page views
        from .selectors import home_panel  # noqa: PLC0415

        home_panels.register("library/home_latest_books.html", home_panel, order=20)
