from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "moduong.bulletins"
    label = "bulletins"
    verbose_name = _("Bulletins")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from . import signals, tasks, views  # noqa: F401, PLC0415  # receivers, page views
