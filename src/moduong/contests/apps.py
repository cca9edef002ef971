from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "moduong.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from moduong.accounts.personal_data import personal_data_register  # noqa: PLC0415

        from . import checks, personal_data, signals  # noqa: F401, PLC0415

        personal_data_register("cuoc_thi", personal_data.contests_of)
