import time

from django.core.management.base import BaseCommand

from moduong.core import vntext
from moduong.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Empty the search index and fill it again from every published, searchable object."

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        count = search_index_rebuild()
        self.stdout.write(
            f"Đã lập chỉ mục tìm kiếm: {vntext.format_number(count)} mục"
            f" trong {time.perf_counter() - started:.1f} giây."
        )
