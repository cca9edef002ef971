from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "moduong.training"
    label = "training"
    verbose_name = _("Political-theory classes")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from moduong.accounts.personal_data import personal_data_register  # noqa: PLC0415

        from . import personal_data, signals  # noqa: F401, PLC0415

        personal_data_register("lop_boi_duong", personal_data.training_of)
