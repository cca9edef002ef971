import datetime as dt
from typing import Any

from django.core.management import BaseCommand
from django.utils import timezone

from moduong.conferences.models import Conference
from moduong.conferences.tasks import conference_alert

# The longest warning an organiser may set (Conference.alert_minutes' limit).
HORIZON = dt.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Gửi email cho ban tổ chức danh sách điểm cầu chưa kết nối khi sắp đến giờ khai mạc"
        " (chạy định kỳ, ví dụ mỗi phút, bằng cron; mỗi hội nghị chỉ gửi một lần)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        due = Conference.objects.filter(
            alert_sent_at__isnull=True,
            starts_at__gt=now - dt.timedelta(hours=1),
            starts_at__lte=now + HORIZON,
        ).exclude(alert_emails="")
        count = 0
        for conference in due:
            conference_alert.enqueue(conference.pk)
            count += 1
        self.stdout.write(f"Đã xếp lịch kiểm tra {count} hội nghị.")
