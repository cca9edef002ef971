from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "moduong.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from . import signals, views  # noqa: F401, PLC0415  # registers receivers and page views
