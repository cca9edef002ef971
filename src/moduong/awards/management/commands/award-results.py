import json
from typing import Any

from django.core.management import BaseCommand, CommandError, CommandParser

from moduong.awards import selectors
from moduong.awards.models import METHODS, Award


class Command(BaseCommand):
    help = (
        "In kết quả một giải theo ba cách tính (trung bình, chuẩn hóa z, bỏ cao nhất và thấp"
        " nhất) và các tác phẩm đổi giải giữa các cách tính."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="địa chỉ (slug) của giải")
        parser.add_argument("--round", type=int, help="số thứ tự vòng (mặc định: vòng cuối)")
        parser.add_argument("--json", action="store_true", help="in dạng JSON")

    def handle(self, *args: object, **options: object) -> None:
        award = Award.objects.filter(slug=options["slug"]).first()
        if award is None:
            raise CommandError(f"Không có giải nào có địa chỉ {options['slug']}.")
        rnd = None
        if options["round"] is not None:
            rnd = award.rounds.filter(number=options["round"]).first()
            if rnd is None:
                raise CommandError(f"Giải không có vòng số {options['round']}.")
        found = selectors.award_results(award=award, round=rnd)
        if found is None:
            raise CommandError("Giải chưa có vòng chấm nào.")
        rows: list[dict[str, Any]] = []
        for group, table in found.table():
            for line in table:
                rows.append(
                    {
                        "category": group.name,
                        "entry_id": line.entry.pk,
                        "title": line.entry.title,
                        "marks": [round(m, 2) for m in line.marks],
                        **{
                            method: {"score": round(score, 4), "rank": rank, "prize": prize}
                            for method, (score, rank, prize, _tied) in zip(
                                METHODS, line.cells, strict=True
                            )
                        },
                        "changes": line.changes,
                    }
                )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"round": found.round.title, "entries": rows}, ensure_ascii=False, indent=2
                )
            )
            return
        self.stdout.write(f"{award.title} – {found.round.title}")
        category = ""
        for row in rows:
            if row["category"] != category:
                category = row["category"]
                self.stdout.write(f"\n{category}: trung bình | chuẩn hóa z | bỏ cao, thấp")
            cells = " | ".join(
                f"{row[m]['rank']:>2}. {row[m]['score']:>8.3f} {row[m]['prize'] or '':<18}"
                for m in METHODS
            )
            mark = " *" if row["changes"] else ""
            self.stdout.write(f"  {row['title'][:40]:<40} {cells}{mark}")
        fragile = sum(1 for r in rows if r["changes"])
        self.stdout.write(f"\n* đổi giải giữa các cách tính: {fragile} tác phẩm.")
