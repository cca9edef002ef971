from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "moduong.community"
    label = "community"
    verbose_name = _("Readers and exchanges")

    def ready(self) -> None:
        # Django's place for these imports (PLC0415 allowed): they need the app registry,
        # which is not ready while apps.py itself is imported.
        from moduong.accounts.personal_data import personal_data_register  # noqa: PLC0415

        from . import personal_data, signals, views  # noqa: F401, PLC0415  # receivers, page views

        personal_data_register("thu_ban_doc", personal_data.letters_of)
        personal_data_register("cau_hoi_giao_luu", personal_data.questions_of)
