from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "moduong.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        from . import signals  # noqa: F401
