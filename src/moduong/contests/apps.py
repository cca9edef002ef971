from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "moduong.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self) -> None:
        from moduong.accounts.personal_data import personal_data_register

        from . import personal_data, signals  # noqa: F401

        personal_data_register("cuoc_thi", personal_data.contests_of)
