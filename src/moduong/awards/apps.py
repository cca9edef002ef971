from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "moduong.awards"
    label = "awards"
    verbose_name = _("Press awards")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from moduong.accounts.personal_data import personal_data_register  # noqa: PLC0415

        from . import personal_data  # noqa: PLC0415

        personal_data_register("giai_bao_chi", personal_data.awards_of)
