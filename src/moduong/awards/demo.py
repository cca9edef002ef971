"""Demo content of the awards app: a press award judged to the end (60 entries from 12
newsrooms, a blind preliminary round and a final round, 9 judges, every sheet submitted, the
council's confirmation), in which a lenient and a harsh judge make the three methods disagree
on some prizes; and a judged contest open for entries. Loading again adds nothing.

Everything goes through the services, as a secretariat and its judges would: entries are sent
inside the entry window, recusal and balanced assignment are the app's own. Scores come from a
seeded generator, so every demo shows the same results."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from moduong.accounts.models import User
from moduong.core.models import MenuItem
from moduong.units.models import Unit
from moduong.units.services import unit_create

from . import selectors, services
from .models import (
    Award,
    Category,
    Criterion,
    Entry,
    Judge,
    Round,
    Score,
    ScoreLog,
    ScoreSheet,
    UnitAccount,
)

SLUG = "giai-bao-chi-xay-dung-dang-2025"
CONTEST_SLUG = "hoi-thi-giang-vien-ly-luan-chinh-tri-gioi"
# The newsrooms sit under the office that guides them, as in the tree the demo already has.
ROOT_UNIT = "Ban Tuyên giáo Thành phố"
NEWSROOMS = [
    "Báo Mở Đường",
    "Báo Thủ đô Ngày nay",
    "Đài Phát thanh và Truyền hình Thành phố",
    "Tạp chí Sinh hoạt chi bộ",
    "Báo điện tử Đảng bộ Thành phố",
    "Báo Lao động Thủ đô",
    "Báo Pháp luật và Đời sống",
    "Báo Tuổi trẻ Thủ đô",
    "Tạp chí Tuyên giáo Thành phố",
    "Trung tâm Truyền thông huyện Sóc Sơn",
    "Báo Nông thôn Ngày nay",
    "Đài Truyền thanh quận Ba Đình",
]
CATEGORIES = ["Báo in", "Báo điện tử", "Phát thanh", "Truyền hình", "Ảnh báo chí"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Thanh", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long"]
SUBJECTS = [
    "Bí thư chi bộ", "Đảng viên trẻ", "Nghị quyết", "Chi bộ", "Người đứng đầu", "Kết nạp Đảng",
    "Tự phê bình", "Dân vận khéo", "Cán bộ cơ sở", "Sinh hoạt chuyên đề",
]  # fmt: skip
PLACES = [
    "nơi biên giới", "ở bản vùng cao", "trong khu công nghiệp", "giữa lòng phố cổ",
    "trên công trường", "ở phường mới sáp nhập", "nơi đầu sóng", "ở xã nông thôn mới",
    "trong trường đại học", "ở làng nghề", "bên dòng sông Đà", "vùng bãi giữa",
]  # fmt: skip
# name, weight: a preliminary round that looks at the basics, a final that weighs impact.
PRELIMINARY = [("Nội dung, tư tưởng", 3), ("Hình thức thể hiện", 2)]
FINAL = [("Nội dung, tư tưởng", 3), ("Hình thức thể hiện", 2), ("Hiệu quả xã hội", 2)]
# The nine judges: (given full name, unit index or None, bias, spread). Judge 1 is lenient,
# judge 2 harsh, judge 3 marks everything near the middle: what normalising is for.
JUDGES = [
    ("Nguyễn Thị Thanh Hương", 0, 1.6, 1.0),
    ("Trần Quốc Bảo", None, -1.6, 1.0),
    ("Lê Minh Châu", 2, 0.0, 0.35),
    ("Phạm Đức Dũng", None, 0.0, 1.0),
    ("Hoàng Thu Giang", 5, 0.2, 1.0),
    ("Vũ Văn Hải", None, -0.2, 1.0),
    ("Đặng Ngọc Khánh", 8, 0.0, 1.1),
    ("Bùi Thanh Lâm", None, 0.1, 0.9),
    ("Đỗ Quốc Minh", None, -0.1, 1.0),
]
RULES = (
    "Tác phẩm dự giải là tác phẩm báo chí đã đăng, phát trên các cơ quan báo chí trong năm 2025,"
    " phản ánh công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị.\n\nMỗi tác giả gửi tối"
    " đa 2 tác phẩm; mỗi đơn vị gửi tối đa 2 tác phẩm ở mỗi thể loại. Hội đồng sơ khảo chấm kín"
    " (không biết tên tác giả, đơn vị); Hội đồng chung khảo chấm các tác phẩm được chọn vào vòng"
    " chung khảo. Giám khảo không chấm tác phẩm của đơn vị mình và kê khai xung đột lợi ích."
)
TIMELINE = (
    "Nhận tác phẩm: theo thông báo của Ban tổ chức.\nSơ khảo: sau khi hết hạn nhận tác phẩm.\n"
    "Chung khảo và công bố kết quả: sau vòng sơ khảo."
)


def _account(username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=f"{username}@moduong.example.vn")
        user.set_unusable_password()
        user.save()
    return user


def _round(award: Award, number: int, title: str, criteria, blind: bool, advance: int) -> Round:  # type: ignore[no-untyped-def]
    rnd = Round.objects.create(
        award=award,
        number=number,
        title=title,
        is_blind=blind,
        judges_per_entry=3,
        advance_per_category=advance,
    )
    for n, (name, weight) in enumerate(criteria):
        Criterion.objects.create(
            round=rnd, name=name, weight=weight, min_score=0, max_score=10, sort_order=n
        )
    return rnd


def _mark(rnd: Round, quality: dict[int, float], rng: random.Random, when: dt.datetime) -> None:
    """Every sheet of the round filled and submitted. Written in bulk, with the log rows
    score_save and sheet_submit would write: the demo is also loaded by tests that rebuild
    the database, and 900 one-score transactions would cost them seconds each time."""
    biases = {judge.pk: JUDGES[n][2:] for n, judge in enumerate(_judges(rnd.award))}
    criteria = list(rnd.criteria.all())
    scores, log = [], []
    sheets = ScoreSheet.objects.filter(assignment__round=rnd).select_related("assignment__judge")
    for sheet in sheets.order_by("pk"):
        assignment = sheet.assignment
        bias, spread = biases[assignment.judge_id]
        for criterion in criteria:
            raw = 6.5 + (quality[assignment.entry_id] - 6.5) * spread + bias
            value = min(10.0, max(0.0, round((raw + rng.gauss(0, 0.45)) * 2) / 2))
            number = Decimal(str(value)).quantize(Decimal("0.01"))
            scores.append(Score(sheet=sheet, criterion=criterion, value=number))
            log.append(
                ScoreLog(
                    sheet=sheet,
                    action=ScoreLog.SAVED,
                    criterion=criterion,
                    value=number,
                    by=assignment.judge.user,
                )
            )
        log.append(ScoreLog(sheet=sheet, action=ScoreLog.SUBMITTED, by=assignment.judge.user))
    Score.objects.bulk_create(scores)
    ScoreLog.objects.bulk_create(log)
    sheets.update(submitted_at=when)


def _judges(award: Award) -> list[Judge]:
    return list(award.judges.order_by("pk"))


def _press_award(now: dt.datetime) -> None:
    rng = random.Random(20)  # noqa: S311 (demo scores, not secrets)
    award = Award.objects.create(
        title="Giải báo chí về xây dựng Đảng năm 2025",
        slug=SLUG,
        intro=(
            "Giải báo chí của Thành phố về xây dựng Đảng, tôn vinh các tác phẩm báo chí phản ánh"
            " sinh động công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị."
        ),
        rules=RULES,
        timeline=TIMELINE,
        is_published=True,
        published_from=dt.date(2025, 1, 1),
        published_until=dt.date(2025, 12, 31),
        entries_open_at=now - dt.timedelta(days=90),
        entries_close_at=now - dt.timedelta(days=30),
        author_max_entries=2,
        unit_max_per_category=2,
    )
    categories = [
        Category.objects.create(
            award=award, name=name, sort_order=n, prize_a=1, prize_b=1, prize_c=1, prize_kk=2
        )
        for n, name in enumerate(CATEGORIES)
    ]
    root = Unit.objects.filter(name=ROOT_UNIT, parent=None).first() or unit_create(name=ROOT_UNIT)
    units = []
    for name in NEWSROOMS:
        units.append(
            Unit.objects.filter(name=name, parent=root).first()
            or unit_create(name=name, parent=root)
        )
    accounts = []
    for n, unit in enumerate(units, start=1):
        user = _account(f"donvi-{n:02d}", f"Thư ký tòa soạn – {unit.name}")
        UnitAccount.objects.get_or_create(user=user, defaults={"unit": unit})
        accounts.append(user)
    quality: dict[int, float] = {}
    sent_at = now - dt.timedelta(days=60)
    for k in range(60):
        unit_index, category_index = k % 12, (k // 12 + k) % 5
        author = f"{FAMILY[k % 10]} {MIDDLE[(k // 10) % 8]} {GIVEN[(k * 7) % 11]}"
        title = f"{SUBJECTS[k % 10]} {PLACES[(k * 5) % 12]}"
        if k >= 12:
            title += f" (kỳ {k // 12 + 1})"
        entry = services.entry_submit(
            award=award,
            user=accounts[unit_index],
            data=services.EntryData(
                category_id=categories[category_index].pk,
                title=title,
                authors=author,
                outlet=NEWSROOMS[unit_index],
                published_on=dt.date(2025, 1 + k % 12, 1 + (k * 3) % 28),
                published_url=f"https://bao.example.vn/bai-{k + 1}",
                link=f"https://bao.example.vn/bai-{k + 1}",
                statement="Tôi cam đoan là tác giả và tác phẩm đã được đăng, phát như đã khai.",
            ),
            files=[],
            now=sent_at + dt.timedelta(minutes=37 * k),
        )
        quality[entry.pk] = rng.uniform(5.0, 9.0)
    Entry.objects.filter(award=award).update(status=Entry.ELIGIBLE)
    for number, (name, place, _bias, _spread) in enumerate(JUDGES, start=1):
        Judge.objects.create(
            award=award,
            user=_account(f"giamkhao-{number}", name),
            unit=units[place] if place is not None else None,
            declared_authors="Ngô Thu Hương" if number == 4 else "",
        )
    judges = _judges(award)
    first = _round(award, 1, "Vòng sơ khảo", PRELIMINARY, blind=True, advance=6)
    final = _round(award, 2, "Vòng chung khảo", FINAL, blind=False, advance=0)
    first.panel.set(judges)
    final.panel.set(judges)
    services.round_assign(round=first)
    _mark(first, quality, rng, now - dt.timedelta(days=20))
    services.round_advance(round=first, method="mean")
    services.round_assign(round=final)
    _mark(final, quality, rng, now - dt.timedelta(days=10))
    secretary = User.objects.filter(is_superuser=True).order_by("pk").first()
    services.award_results_confirm(
        award=award, method="zscore", by=secretary or _account("thuky-giai", "Thư ký Hội đồng")
    )


def _open_contest(now: dt.datetime) -> None:
    award = Award.objects.create(
        title="Hội thi giảng viên lý luận chính trị giỏi",
        slug=CONTEST_SLUG,
        intro=(
            "Hội thi dành cho giảng viên, báo cáo viên các trung tâm chính trị: mỗi người gửi bài"
            " giảng (video và giáo án PDF), hội đồng chấm theo tiêu chí nội dung, phương pháp và"
            " liên hệ thực tiễn."
        ),
        rules="Mỗi giảng viên gửi tối đa 1 bài giảng; mỗi đơn vị tối đa 3 bài ở mỗi bảng.",
        is_published=True,
        published_from=(now - dt.timedelta(days=365)).date(),
        published_until=now.date() + dt.timedelta(days=60),
        entries_open_at=now - dt.timedelta(days=5),
        entries_close_at=now + dt.timedelta(days=60),
        author_max_entries=1,
        unit_max_per_category=3,
    )
    for n, name in enumerate(["Giảng viên chuyên trách", "Giảng viên kiêm chức"]):
        Category.objects.create(
            award=award, name=name, sort_order=n, prize_a=1, prize_b=2, prize_c=3, prize_kk=5
        )


@transaction.atomic
def awards_demo_load() -> list[str]:
    created: list[str] = []
    now = timezone.now()
    if not Award.objects.filter(slug=SLUG).exists():
        _press_award(now)
        found = selectors.award_results(award=Award.objects.get(slug=SLUG))
        changing = len(found.fragile) if found else 0
        created.append(f"giải báo chí (60 tác phẩm, {changing} tác phẩm đổi giải theo cách tính)")
    if not Award.objects.filter(slug=CONTEST_SLUG).exists():
        _open_contest(now)
        created.append("hội thi giảng viên")
    if not MenuItem.objects.filter(url="/giai-bao-chi/").exists():
        MenuItem.objects.create(label="Giải báo chí", url="/giai-bao-chi/", sort_order=96)
    return created
