from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "moduong.awards"
    label = "awards"
    verbose_name = _("Press awards")

    def ready(self) -> None:
        from moduong.accounts.personal_data import personal_data_register

        from . import personal_data

        personal_data_register("giai_bao_chi", personal_data.awards_of)
