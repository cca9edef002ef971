from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "moduong.community"
    label = "community"
    verbose_name = _("Readers and exchanges")

    def ready(self) -> None:
        from moduong.accounts.personal_data import personal_data_register

        from . import personal_data, signals  # noqa: F401

        personal_data_register("thu_ban_doc", personal_data.letters_of)
        personal_data_register("cau_hoi_giao_luu", personal_data.questions_of)
