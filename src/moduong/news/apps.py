from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "moduong.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from . import signals  # noqa: F401
