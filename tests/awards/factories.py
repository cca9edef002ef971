"""Awards, categories, rounds, judges and entries for tests. The entry window is open around
the real present (so pages work), and the publication period is a fixed year."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from moduong.awards import services
from moduong.awards.models import Award, Category, Criterion, Entry, Judge, Round, UnitAccount
from moduong.units.models import Unit
from tests.factories import UserFactory


def _pdf(script: bool = False) -> bytes:
    """A real one-page PDF (the site's one PDF check reads its page tree); with `script`, one
    that runs JavaScript as soon as it is opened."""
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if script:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _pdf()
PDF_WITH_SCRIPT = _pdf(script=True)
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def upload(name: str = "bai-bao.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def award(**kwargs) -> Award:  # type: ignore[no-untyped-def]
    now = timezone.now()
    values = {
        "title": "Giải báo chí về xây dựng Đảng",
        "slug": "giai-bao-chi-xay-dung-dang",
        "is_published": True,
        "published_from": dt.date(2025, 1, 1),
        "published_until": dt.date(2025, 12, 31),
        "entries_open_at": now - dt.timedelta(days=10),
        "entries_close_at": now + dt.timedelta(days=30),
        "author_max_entries": 2,
        "unit_max_per_category": 2,
    }
    values.update(kwargs)
    found = Award.objects.create(**values)
    Category.objects.create(award=found, name="Báo in", sort_order=0)
    Category.objects.create(award=found, name="Báo điện tử", sort_order=1)
    return found


def round_(award: Award, number: int = 1, criteria=((1, 0, 10),), **kwargs) -> Round:  # type: ignore[no-untyped-def]
    rnd = Round.objects.create(
        award=award, number=number, title=f"Vòng {number}", **{"judges_per_entry": 2, **kwargs}
    )
    for n, (weight, low, high) in enumerate(criteria):
        Criterion.objects.create(
            round=rnd,
            name=f"Tiêu chí {n + 1}",
            weight=weight,
            min_score=low,
            max_score=high,
            sort_order=n,
        )
    return rnd


def judge(award: Award, rnd: Round | None = None, unit: Unit | None = None, **kwargs) -> Judge:  # type: ignore[no-untyped-def]
    found = Judge.objects.create(award=award, user=UserFactory(), unit=unit, **kwargs)
    if rnd is not None:
        rnd.panel.add(found)
    return found


def unit_account(unit: Unit):  # type: ignore[no-untyped-def]
    user = UserFactory()
    UnitAccount.objects.create(user=user, unit=unit)
    return user


def data(award: Award, **kwargs) -> services.EntryData:  # type: ignore[no-untyped-def]
    values = {
        "category_id": award.categories.first().pk,
        "title": "Đảng viên trẻ nơi biên giới",
        "authors": "Trần Thị Bình",
        "outlet": "Báo Mở Đường",
        "published_on": dt.date(2025, 6, 1),
        "statement": "Tôi cam đoan là tác giả.",
    }
    values.update(kwargs)
    return services.EntryData(**values)


def entry(award: Award, user=None, status: str = Entry.ELIGIBLE, **kwargs) -> Entry:  # type: ignore[no-untyped-def]
    found = services.entry_submit(
        award=award,
        user=user or UserFactory(),
        data=data(award, **kwargs),
        files=[upload()],
    )
    if status != Entry.SUBMITTED:
        Entry.objects.filter(pk=found.pk).update(status=status)
        found.refresh_from_db()
    return found
