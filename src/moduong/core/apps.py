from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "moduong.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from . import signals  # noqa: F401, PLC0415
