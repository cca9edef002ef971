from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "moduong.monitoring"
    label = "monitoring"
    verbose_name = _("Online news monitoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry.
        from . import signals, tasks  # noqa: F401, PLC0415  # receivers
