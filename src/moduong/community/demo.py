"""Demo content for Bạn đọc và NXB and Giao lưu trực tuyến: our own sentences, pictures drawn
here. Idempotent: a second run finds the pages by slug and adds nothing."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page

from moduong.accounts.models import User
from moduong.core.demo import placeholder_replace

from .models import ExchangeGuest, ExchangeIndexPage, ExchangePage, Letter, LettersPage, Question
from .services import text_key, writer_key

LETTERS = [
    (
        "Trần Thị Hồng Nhung",
        "nhung.tran@example.vn",
        "Xin tái bản cuốn sổ tay công tác hòa giải ở cơ sở",
        "Tôi là tổ trưởng tổ hòa giải ở một thôn vùng trung du. Cuốn sổ tay hòa giải Nhà xuất"
        " bản phát hành mấy năm trước rất dễ dùng nhưng nay đã hết, nhiều quy định cũng đã đổi."
        " Xin hỏi bao giờ có bản cập nhật?",
        "Cảm ơn chị đã gửi thư. Bản cập nhật của sổ tay đang được biên tập theo các văn bản"
        " pháp luật mới và dự kiến phát hành trong quý tới, kèm bản điện tử đọc miễn phí trên"
        " cổng thông tin. Chúng tôi sẽ gửi thông báo qua thư điện tử cho chị khi sách ra mắt.",
    ),
    (
        "Lê Quang Vinh",
        "vinh.le@example.vn",
        "Góp ý về cỡ chữ của sách điện tử trên điện thoại",
        "Tôi đọc sách điện tử trên điện thoại hằng tối. Mong Nhà xuất bản cho phép tăng cỡ chữ"
        " và chuyển nền tối để người lớn tuổi đọc đỡ mỏi mắt.",
        "Cảm ơn anh đã góp ý. Trình đọc sách mới trên cổng thông tin đã có nút tăng, giảm cỡ"
        " chữ và chế độ nền tối; anh chỉ cần chạm vào biểu tượng chữ A ở góc trên màn hình.",
    ),
    (
        "Phạm Minh Đức",
        "duc.pham@example.vn",
        "Đề nghị tổ chức giao lưu về lịch sử địa phương",
        "Trường chúng tôi muốn học sinh được nghe các nhà nghiên cứu kể về lịch sử vùng đất"
        " mình đang sống. Nhà xuất bản có thể tổ chức một buổi giao lưu trực tuyến như vậy"
        " không?",
        "",
    ),
]

GUESTS = [
    (
        "PGS.TS Nguyễn Thu Hà",
        "Nhà nghiên cứu văn hóa đọc",
        "Hơn hai mươi năm nghiên cứu thói quen đọc của thanh thiếu niên, chủ biên nhiều sách"
        " hướng dẫn xây dựng tủ sách gia đình.",
    ),
    (
        "Nhà văn Đỗ Hoàng Long",
        "Tác giả sách thiếu nhi",
        "Tác giả của nhiều truyện dài cho thiếu nhi, từng nhiều năm làm thủ thư ở một thư viện"
        " huyện miền núi.",
    ),
]

QUESTIONS = [
    (
        "Mai Anh",
        "Phường Ba Đình, Hà Nội",
        "Con tôi học lớp năm, chỉ thích xem video. Làm sao để cháu chịu cầm sách?",
        0,
        "Chị hãy bắt đầu bằng những cuốn sách gắn với điều cháu đang thích trong video, và đọc"
        " cùng con mười lăm phút mỗi tối. Thói quen đến từ sự đều đặn hơn là từ cuốn sách dày.",
    ),
    (
        "Hoàng Tuấn",
        "Xã Minh Phú",
        "Ở xã tôi chưa có thư viện. Tủ sách cộng đồng nên bắt đầu từ đâu?",
        1,
        "Anh có thể bắt đầu từ một giá sách ở nhà văn hóa thôn, vài chục cuốn do bà con góp và"
        " một sổ mượn đơn giản. Điều quan trọng là có người giữ tủ sách và thay sách mới đều"
        " đặn mỗi quý.",
    ),
    (
        "Thanh Hương",
        "",
        "Sách điện tử có làm giảm hứng thú đọc sách giấy của trẻ không?",
        0,
        "Không nhất thiết. Sách điện tử giúp trẻ tiếp cận nhiều đầu sách hơn; sách giấy giữ"
        " được sự tập trung. Gia đình nên để trẻ có cả hai và cùng trò chuyện về điều đã đọc.",
    ),
]


def _portrait(number: int) -> ImageFile:

    colours = [((22, 78, 99), (125, 211, 252)), ((124, 45, 18), (254, 215, 170))]
    dark, light = colours[number % len(colours)]
    picture = PILImage.new("RGB", (400, 400), dark)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((130, 70, 270, 210), fill=light)
    draw.ellipse((70, 230, 330, 520), fill=light)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return ImageFile(buffer, name=f"khach-moi-{number + 1}.jpg")


def load(home: Page, created: list[str]) -> None:
    letters_page = placeholder_replace(
        home=home,
        slug="ban-doc-va-nxb",
        page=LettersPage(
            title="Bạn đọc và NXB",
            intro="Thư bạn đọc gửi Nhà xuất bản và thư trả lời của biên tập viên.",
            show_in_menus=True,
        ),
    )
    if isinstance(letters_page, LettersPage) and not letters_page.letters.exists():
        now = timezone.now()
        editor = User.objects.filter(is_superuser=True).first()
        for number, (name, email, subject, message, reply) in enumerate(LETTERS):
            Letter.objects.create(
                page=letters_page,
                name=name,
                email=email,
                subject=subject,
                message=message,
                reply=reply,
                replied_by=editor if reply else None,
                status=Letter.Status.ANSWERED if reply else Letter.Status.APPROVED,
                writer_key=writer_key(user=None, email=email),
                text_key=text_key(subject, message),
                created_at=now - dt.timedelta(days=10 - number * 3),
                published_at=now - dt.timedelta(days=9 - number * 3),
                answered_at=now - dt.timedelta(days=8 - number * 3) if reply else None,
            )
        created.append("thư bạn đọc")

    index = placeholder_replace(
        home=home,
        slug="giao-luu-truc-tuyen",
        page=ExchangeIndexPage(
            title="Giao lưu trực tuyến",
            intro="Bạn đọc đặt câu hỏi, tác giả và chuyên gia trả lời trực tiếp trên trang.",
            show_in_menus=True,
        ),
    )
    if isinstance(index, ExchangeIndexPage) and not ExchangePage.objects.child_of(index).exists():
        _exchanges(index)
        created.append("giao lưu trực tuyến")


def _exchanges(index: ExchangeIndexPage) -> None:

    now = timezone.now().replace(second=0, microsecond=0)
    photos = []
    for number in range(len(GUESTS)):
        image = Image(title=f"Ảnh khách mời {number + 1}")
        image.file = _portrait(number)
        image.save()
        photos.append(image)

    def exchange(title: str, slug: str, starts: dt.datetime, hours: int) -> ExchangePage:
        page = ExchangePage(
            title=title,
            slug=slug,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            intro=(
                "<p>Làm thế nào để mỗi gia đình có một góc đọc sách, và để trẻ em tìm thấy niềm"
                " vui trong trang sách giữa thời của màn hình? Bạn đọc gửi câu hỏi trước và"
                " trong buổi giao lưu; khách mời trả lời trực tiếp trên trang này.</p>"
            ),
            video_url="https://www.youtube.com/watch?v=moduong-demo",
        )
        for number, (name, role, bio) in enumerate(GUESTS):
            page.guests.add(
                ExchangeGuest(
                    name=name, role=role, bio=bio, photo=photos[number], sort_order=number
                )
            )
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    archived = exchange(
        "Xây dựng tủ sách gia đình trong thời đại số",
        "xay-dung-tu-sach-gia-dinh",
        now - dt.timedelta(days=20),
        2,
    )
    live = exchange(
        "Đưa sách về với thiếu nhi vùng cao",
        "dua-sach-ve-voi-thieu-nhi-vung-cao",
        now - dt.timedelta(minutes=30),
        24 * 30,
    )
    guests = list(archived.guests.all())
    for sequence, (name, place, text, guest, answer) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            exchange=archived,
            name=name,
            place=place,
            text=text,
            text_key=text_key(text),
            status=Question.Status.ANSWERED,
            guest=guests[guest],
            answer=answer,
            sequence=sequence,
            created_at=archived.starts_at - dt.timedelta(hours=1),
            answered_at=archived.starts_at + dt.timedelta(minutes=10 * sequence),
        )
    live_guests = list(live.guests.all())
    name, place, text, guest, answer = QUESTIONS[1]
    Question.objects.create(
        exchange=live,
        name=name,
        place=place,
        text=text,
        text_key=text_key(text),
        status=Question.Status.ANSWERED,
        guest=live_guests[guest],
        answer=answer,
        sequence=1,
        answered_at=now,
    )
