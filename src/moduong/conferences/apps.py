from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "moduong.conferences"
    label = "conferences"
    verbose_name = _("Conferences")

    def ready(self) -> None:
        # Django's place for this import (PLC0415 allowed): the receivers need the app registry.
        from . import signals  # noqa: F401, PLC0415
