import datetime as dt

from django.core.management import BaseCommand
from django.db.models import F, Q
from django.utils import timezone

from moduong.contests.models import Round
from moduong.contests.tasks import round_results

SETTLE = dt.timedelta(minutes=10)


class Command(BaseCommand):
    help = (
        "Xếp hạng các vòng thi đã kết thúc mà chưa được xếp hạng (chạy định kỳ, ví dụ mỗi 5"
        " phút, bằng cron)."
    )

    def handle(self, *args: object, **options: object) -> None:
        # Submissions sent just before the close are accepted during the round's grace
        # seconds: a round is ranked once SETTLE has passed after its close.
        settled = F("closes_at") + SETTLE
        due = Round.objects.filter(closes_at__lte=timezone.now() - SETTLE).filter(
            Q(ranked_at__isnull=True) | Q(ranked_at__lt=settled)
        )
        count = 0
        for rnd in due:
            round_results.enqueue(rnd.pk)
            count += 1
        self.stdout.write(f"Đã xếp lịch xếp hạng {count} vòng thi.")
