from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "moduong.training"
    label = "training"
    verbose_name = _("Political-theory classes")

    def ready(self) -> None:
        from moduong.accounts.personal_data import personal_data_register

        from . import personal_data

        personal_data_register("lop_boi_duong", personal_data.training_of)
