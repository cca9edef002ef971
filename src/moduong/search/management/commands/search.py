import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from moduong.core import vntext
from moduong.search import selectors
from moduong.search.api import payload
from moduong.search.forms import SearchForm


class Command(BaseCommand):
    help = "Search the portal like a reader: moduong search 'nghị quyết' [--json]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+")
        parser.add_argument("--json", action="store_true", help="print the API's JSON")
        parser.add_argument("--type", dest="loai", default="")
        parser.add_argument("--section", dest="chuyen_muc", default="")
        parser.add_argument("--from", dest="tu_ngay", default="", help="dd/mm/yyyy")
        parser.add_argument("--to", dest="den_ngay", default="", help="dd/mm/yyyy")
        parser.add_argument("--page", dest="trang", default="")

    def handle(self, *args: object, **options: object) -> None:
        data = {k: options[k] for k in ("loai", "chuyen_muc", "tu_ngay", "den_ngay", "trang")}
        form = SearchForm({"q": " ".join(options["query"]), **{k: v for k, v in data.items() if v}})  # type: ignore[arg-type]
        if not form.is_valid():
            raise CommandError(form.first_error())
        page = selectors.search(
            text=form.cleaned_data["q"],
            filters=form.filters(),
            page=form.cleaned_data["trang"] or 1,
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(payload(page), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
            return
        if page.message:
            self.stdout.write(page.message)
            return
        self.stdout.write(
            f"{'hơn ' if page.more else ''}{vntext.format_number(page.total)} kết quả,"
            f" trang {page.page}/{page.pages}"
        )
        for number, result in enumerate(page.results, start=page.first_number):
            when = vntext.format_date(result.date) if result.date else ""
            self.stdout.write(
                f"{number}. {result.title} [{result.kind_label}, {when}] {result.url}"
            )
