from django.core.management import BaseCommand, CommandError

from moduong.core import vntext
from moduong.units.services import AdminUnitDataError, admin_units_load


class Command(BaseCommand):
    help = (
        "Nạp danh mục tỉnh, thành phố và xã, phường, đặc khu mà dự án kèm theo"
        " (chạy lại không thay đổi gì)."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            loaded = admin_units_load()
        except AdminUnitDataError as exc:
            raise CommandError(str(exc)) from exc
        action = "Đã nạp" if loaded.created else "Đã có sẵn"
        self.stdout.write(
            f"{action} “{loaded.version.name}”: {vntext.format_number(loaded.provinces)} tỉnh,"
            f" thành phố và {vntext.format_number(loaded.communes)} xã, phường, đặc khu."
        )
