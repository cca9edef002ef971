"""Demo content of the contests app: a contest with an open round, a coming round and a bank
of questions written for Mở Đường. Loading again adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from moduong.core.models import MenuItem
from moduong.units.models import Province, Unit

from .models import Contest, Option, PlaceHeadcount, Question, Round, TopicQuota
from .services import round_bank_freeze

SLUG = "tim-hieu-van-hoa-doc"

# (question, options, index of the correct one, topic)
QUESTIONS: list[tuple[str, list[str], int, str]] = [
    (
        "Ngày Sách và Văn hóa đọc Việt Nam là ngày nào trong năm?",
        ["Ngày 21 tháng 4", "Ngày 2 tháng 9", "Ngày 19 tháng 5", "Ngày 10 tháng 10"],
        0,
        "Văn hóa đọc",
    ),
    (
        "Luật Xuất bản hiện hành được Quốc hội thông qua vào năm nào?",
        ["Năm 2004", "Năm 2012", "Năm 2018", "Năm 2020"],
        1,
        "Pháp luật",
    ),
    (
        "Nghị định nào quy định về bảo vệ dữ liệu cá nhân?",
        ["Nghị định 13/2023/NĐ-CP", "Nghị định 72/2013/NĐ-CP", "Nghị định 15/2020/NĐ-CP"],
        0,
        "Pháp luật",
    ),
    (
        "Từ ngày 1 tháng 7 năm 2025, cả nước có bao nhiêu tỉnh, thành phố trực thuộc trung ương?",
        ["63", "54", "34", "28"],
        2,
        "Địa phương",
    ),
    (
        "Sau khi sắp xếp năm 2025, chính quyền địa phương được tổ chức mấy cấp?",
        ["Một cấp", "Hai cấp", "Ba cấp"],
        1,
        "Địa phương",
    ),
    (
        "Tác giả của \u201cTruyện Kiều\u201d là ai?",
        ["Nguyễn Trãi", "Hồ Xuân Hương", "Nguyễn Du", "Nguyễn Đình Chiểu"],
        2,
        "Văn hóa đọc",
    ),
    (
        "Tác phẩm \u201cBình Ngô đại cáo\u201d do ai viết?",
        ["Nguyễn Trãi", "Lý Thường Kiệt", "Trần Hưng Đạo", "Lê Quý Đôn"],
        0,
        "Văn hóa đọc",
    ),
    (
        "Bản Tuyên ngôn Độc lập được đọc tại Quảng trường Ba Đình vào ngày nào?",
        ["19/8/1945", "2/9/1945", "6/1/1946", "19/12/1946"],
        1,
        "Lịch sử",
    ),
    (
        "Ngày Báo chí Cách mạng Việt Nam là ngày nào?",
        ["21 tháng 6", "3 tháng 2", "27 tháng 7", "20 tháng 11"],
        0,
        "Lịch sử",
    ),
    (
        "Chữ Quốc ngữ dùng hệ chữ cái nào?",
        ["Hệ chữ Hán", "Hệ chữ Latinh", "Hệ chữ Kirin"],
        1,
        "Văn hóa đọc",
    ),
    (
        "Trên cổng thông tin của Nhà xuất bản Mở Đường, bạn đọc sách điện tử bằng cách nào?",
        ["Cài phần mềm riêng", "Đọc ngay trên trình duyệt", "Chỉ tải về máy tính"],
        1,
        "Văn hóa đọc",
    ),
    (
        "Thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam là thành phố nào?",
        ["Thành phố Huế", "Thành phố Hồ Chí Minh", "Hà Nội", "Đà Nẵng"],
        2,
        "Địa phương",
    ),
]

INTRO = (
    "Cuộc thi trực tuyến dành cho mọi bạn đọc từ 14 tuổi trở lên, nhằm lan tỏa thói quen đọc"
    " sách và hiểu biết về pháp luật xuất bản. Mỗi tuần có một vòng thi; bạn làm bài ngay trên"
    " điện thoại, mỗi câu trả lời được lưu ngay khi chọn."
)
RULES = (
    "Mỗi lượt thi gồm 10 câu hỏi trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi, làm trong 15"
    " phút. Mỗi người được thi tối đa 3 lượt mỗi tuần; lượt có kết quả tốt nhất được dùng để xếp"
    " hạng.\n\nXếp hạng theo thứ tự: số câu đúng, độ chênh lệch của câu trả lời dự đoán so với số"
    " người dự thi thực tế, thời gian làm bài (do máy chủ tính), thời điểm nộp bài. Mỗi người chỉ"
    " nhận một giải trong mỗi tuần và một giải trong cả cuộc thi."
)
PRIZES = (
    "Mỗi tuần: 1 giải Nhất, 2 giải Nhì, 3 giải Ba và 10 giải Khuyến khích, kèm giấy chứng nhận"
    " của Ban tổ chức và sách của Nhà xuất bản."
)
TIMELINE = (
    "Tuần thứ nhất: đang diễn ra.\nTuần thứ hai: mở sau khi tuần thứ nhất kết thúc.\n"
    "Tổng kết và trao giải: sau tuần thi cuối cùng."
)


@transaction.atomic
def contests_demo_load() -> list[str]:
    created: list[str] = []
    if Contest.objects.filter(slug=SLUG).exists():
        return created
    now = timezone.now()
    contest = Contest.objects.create(
        title="Cuộc thi trực tuyến tìm hiểu văn hóa đọc và pháp luật xuất bản",
        slug=SLUG,
        intro=INTRO,
        rules=RULES,
        prizes=PRIZES,
        timeline=TIMELINE,
        is_published=True,
        min_age=14,
        require_province=True,
        require_unit=False,
        prizes_per_person=1,
    )
    contest.organising_units.set(Unit.objects.filter(parent=None)[:1])
    for text, options, correct, topic in QUESTIONS:
        question = Question.objects.create(contest=contest, text=text, topic=topic)
        Option.objects.bulk_create(
            Option(question=question, text=option, is_correct=i == correct, sort_order=i)
            for i, option in enumerate(options)
        )
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    first = Round.objects.create(
        contest=contest,
        number=1,
        title="Tuần thứ nhất",
        opens_at=today - dt.timedelta(days=3),
        closes_at=today + dt.timedelta(days=4),
        questions_per_attempt=10,
        time_limit_seconds=900,
        attempts_allowed=3,
        prediction_question="Dự đoán có bao nhiêu người tham gia tuần thi thứ nhất?",
    )
    TopicQuota.objects.create(round=first, topic="Pháp luật", count=2)
    # The organiser's freeze: the open round draws from its frozen bank. The coming round is
    # left for the organiser to freeze (its fair-play page shows the check and the button).
    round_bank_freeze(round_id=first.pk)
    for province in Province.objects.filter(name__in=["Thành phố Hà Nội", "Thành phố Huế"]):
        PlaceHeadcount.objects.create(contest=contest, province=province, headcount=5000)
    Round.objects.create(
        contest=contest,
        number=2,
        title="Tuần thứ hai",
        opens_at=today + dt.timedelta(days=4),
        closes_at=today + dt.timedelta(days=11),
        questions_per_attempt=10,
        time_limit_seconds=900,
        attempts_allowed=3,
    )
    if not MenuItem.objects.filter(url="/cuoc-thi/").exists():
        MenuItem.objects.create(label="Thi trực tuyến", url="/cuoc-thi/", sort_order=95)
    created.append("cuộc thi trực tuyến")
    return created
