from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "moduong.community"
    label = "community"
    verbose_name = _("Readers and exchanges")

    def ready(self) -> None:
        from . import signals  # noqa: F401
