"""Demo content of the library: categories, a few books whose EPUB and PDF files are made here
from text written for Mở Đường, and a topic plan. Idempotent: everything is found by its slug,
title or year before it is made."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page

from moduong.core.demo import placeholder_replace
from moduong.core.fonts import pillow_font
from moduong.core.vntext import slugify

from . import services
from .models import (
    BookCategoriesPage,
    BookCategory,
    BookPage,
    LibraryPage,
    TopicPlan,
    TopicPlanIndexPage,
    TopicPlanItem,
)

CATEGORIES: dict[str, tuple[str, list[str]]] = {
    "Lý luận chính trị": (
        "Sách lý luận, giáo trình và tài liệu bồi dưỡng cho cán bộ, đảng viên.",
        ["Xây dựng Đảng", "Kinh tế chính trị"],
    ),
    "Pháp luật": ("Văn bản, bình luận và hỏi đáp pháp luật cho người dân.", ["Hỏi đáp pháp luật"]),
    "Lịch sử": ("Lịch sử địa phương, nhân vật và sự kiện.", []),
    "Kỹ năng": ("Kỹ năng số, kỹ năng làm việc và đời sống.", []),
    "Văn học": ("Truyện ngắn, ký và thơ của các tác giả trong nước.", []),
}


@dataclass(frozen=True)
class DemoBook:
    title: str
    subtitle: str
    authors: str
    year: int
    isbn: str
    category: str
    summary: str
    chapters: tuple[tuple[str, tuple[str, ...]], ...]
    colour: tuple[int, int, int]
    topics: tuple[str, ...] = ()


BOOKS: tuple[DemoBook, ...] = (
    DemoBook(
        "Sổ tay chuyển đổi số ở xã, phường",
        "Những việc làm được ngay",
        "Trần Minh Khôi, Lê Thu Hằng",
        2025,
        "978-604-0-00001-9",
        "Kỹ năng",
        "Cuốn sổ tay giải thích bằng lời lẽ giản dị những việc một xã, phường có thể làm để người"
        " dân bớt phải đi lại: nhận hồ sơ trực tuyến, trả lời phản ánh, công khai thông tin.",
        (
            (
                "Bắt đầu từ một việc nhỏ",
                (
                    "Chuyển đổi số không bắt đầu bằng việc mua máy móc đắt tiền. Nó bắt đầu khi cán"
                    " bộ một phường quyết định rằng người dân không cần đến trụ sở chỉ để hỏi một"
                    " thủ tục cần những giấy tờ gì.",
                    "Một trang thông tin có danh sách thủ tục, mẫu đơn và số điện thoại của người"
                    " phụ trách đã giúp nhiều nơi giảm hẳn số lượt đi lại vô ích mỗi tuần.",
                ),
            ),
            (
                "Tiếp nhận phản ánh của người dân",
                (
                    "Mỗi phản ánh cần một người chịu trách nhiệm, một thời hạn trả lời và một nơi"
                    " công khai kết quả. Thiếu một trong ba điều đó, phản ánh sẽ bị lãng quên.",
                    "Nên ghi lại thời điểm nhận, thời điểm trả lời và đánh giá của người phản ánh"
                    " để cuối tháng cả tổ cùng xem lại.",
                ),
            ),
            (
                "Giữ an toàn dữ liệu",
                (
                    "Dữ liệu cá nhân của người dân chỉ được thu thập khi thật cần, được cất giữ cẩn"
                    " thận và xóa đi khi không còn dùng đến.",
                    "Mật khẩu mạnh, sao lưu định kỳ và phân quyền rõ ràng là ba thói quen đơn giản"
                    " nhưng ngăn được phần lớn sự cố.",
                ),
            ),
        ),
        (22, 78, 99),
        ("Chuyển đổi số",),
    ),
    DemoBook(
        "Hỏi đáp về quyền và nghĩa vụ của công dân",
        "",
        "Nguyễn Văn Tâm",
        2024,
        "978-604-0-00002-6",
        "Hỏi đáp pháp luật",
        "Năm mươi câu hỏi thường gặp về giấy tờ, đất đai, hôn nhân và lao động, trả lời ngắn gọn"
        " kèm chỉ dẫn nơi cần đến.",
        (
            (
                "Giấy tờ tùy thân",
                (
                    "Hỏi: Làm lại thẻ căn cước ở đâu khi bị mất? Đáp: Người dân có thể nộp hồ sơ"
                    " tại cơ quan công an nơi cư trú hoặc qua cổng dịch vụ công trực tuyến.",
                    "Hỏi: Có phải mang theo sổ hộ khẩu không? Đáp: Thông tin cư trú đã có trong"
                    " cơ sở dữ liệu quốc gia, người làm thủ tục không phải xuất trình sổ giấy.",
                ),
            ),
            (
                "Lao động và việc làm",
                (
                    "Hỏi: Người lao động có được nghỉ việc mà không báo trước không? Đáp: Chỉ trong"
                    " một số trường hợp luật định, còn lại phải báo trước theo loại hợp đồng.",
                    "Hỏi: Ai trả lương trong những ngày nghỉ lễ? Đáp: Người sử dụng lao động trả"
                    " nguyên lương cho những ngày nghỉ lễ, tết theo quy định.",
                ),
            ),
        ),
        (124, 45, 18),
        ("Pháp luật", "Hỏi đáp"),
    ),
    DemoBook(
        "Những mùa sách về bản",
        "Ghi chép",
        "Hoàng Mai Anh",
        2023,
        "",
        "Văn học",
        "Những trang ghi chép về các chuyến mang sách lên vùng cao: lớp học dưới mái tranh, thư"
        " viện trong nhà văn hóa thôn và những người đọc nhỏ tuổi.",
        (
            (
                "Con đường đất đỏ",
                (
                    "Xe dừng ở chân dốc vì trời mưa. Chúng tôi chia những thùng sách thành từng bó"
                    " nhỏ, buộc lên lưng và đi bộ qua con đường đất đỏ trơn như mỡ.",
                    "Đến đầu bản thì trời tạnh. Bọn trẻ đã đứng chờ từ lâu, chân trần, mắt sáng rỡ"
                    " khi thấy những cuốn sách có tranh màu.",
                ),
            ),
            (
                "Thư viện trong nhà văn hóa",
                (
                    "Ông trưởng bản dành hẳn một góc nhà văn hóa để kê giá sách. Mỗi tối thứ bảy,"
                    " người lớn đến đọc báo, trẻ con ngồi vòng tròn nghe cô giáo đọc truyện.",
                    "Cuốn sổ mượn sách kín chữ sau ba tháng. Có em mượn đi mượn lại một cuốn"
                    " truyện tranh đến mức gáy sách phải dán lại bằng băng dính.",
                ),
            ),
            (
                "Lá thư từ bản xa",
                (
                    "Cuối năm, chúng tôi nhận được một lá thư viết tay nắn nót: các em xin thêm"
                    " sách về cây trồng, vật nuôi để đọc cho bố mẹ nghe.",
                    "Lá thư được dán lên bảng tin của Nhà xuất bản, như một lời nhắc rằng sách chỉ"
                    " có ý nghĩa khi đến được tay người cần đọc.",
                ),
            ),
        ),
        (20, 83, 45),
        ("Văn hóa đọc",),
    ),
)


def epub_build(
    *,
    title: str,
    authors: Sequence[str],
    chapters: Sequence[tuple[str, Sequence[str]]],
    language: str = "vi",
    identifier: str = "",
    publisher: str = "",
    description: str = "",
    cover_jpeg: bytes | None = None,
    chapter_html: Sequence[str] | None = None,
) -> bytes:
    """A small, valid EPUB 3 (with an EPUB 2 NCX) made from plain paragraphs."""
    buffer = io.BytesIO()
    ident = identifier or f"urn:moduong:{slugify(title)}"
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")  # stored, first
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" '
            'media-type="application/oebps-package+xml"/></rootfiles></container>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        items, refs, nav_items, ncx_points = [], [], [], []
        for number, (heading, paragraphs) in enumerate(chapters, start=1):
            name = f"chuong-{number}.xhtml"
            if chapter_html is not None:
                body = chapter_html[number - 1]
            else:
                body = f"<h1>{escape(heading)}</h1>" + "".join(
                    f"<p>{escape(p)}</p>" for p in paragraphs
                )
            book.writestr(
                f"OEBPS/{name}",
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
                f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
                f' lang="{language}" xml:lang="{language}"><head><title>{escape(heading)}</title>'
                f"</head><body>{body}</body></html>",
                compress_type=zipfile.ZIP_DEFLATED,
            )
            items.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{number}"/>')
            nav_items.append(f'<li><a href="{name}">{escape(heading)}</a></li>')
            ncx_points.append(
                f'<navPoint id="p{number}" playOrder="{number}"><navLabel><text>'
                f'{escape(heading)}</text></navLabel><content src="{name}"/></navPoint>'
            )
        book.writestr(
            "OEBPS/nav.xhtml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
            f' lang="{language}" xml:lang="{language}"><head><title>Mục lục</title></head><body>'
            f'<nav epub:type="toc" id="toc"><h1>Mục lục</h1><ol>{"".join(nav_items)}</ol></nav>'
            "</body></html>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        book.writestr(
            "OEBPS/toc.ncx",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head>'
            f'<meta name="dtb:uid" content="{escape(ident)}"/></head>'
            f"<docTitle><text>{escape(title)}</text></docTitle>"
            f"<navMap>{''.join(ncx_points)}</navMap></ncx>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        cover_item = ""
        if cover_jpeg:
            book.writestr("OEBPS/bia.jpg", cover_jpeg)
            cover_item = (
                '<item id="bia" href="bia.jpg" media-type="image/jpeg" properties="cover-image"/>'
            )
        creators = "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in authors)
        book.writestr(
            "OEBPS/content.opf",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:identifier id="uid">{escape(ident)}</dc:identifier>'
            f"<dc:title>{escape(title)}</dc:title>{creators}"
            f"<dc:language>{language}</dc:language>"
            + (f"<dc:publisher>{escape(publisher)}</dc:publisher>" if publisher else "")
            + (f"<dc:description>{escape(description)}</dc:description>" if description else "")
            + '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata>'
            '<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml"'
            ' properties="nav"/>'
            '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
            f"{cover_item}{''.join(items)}</manifest>"
            f'<spine toc="ncx">{"".join(refs)}</spine></package>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def cover_jpeg(title: str, colour: tuple[int, int, int]) -> bytes:

    picture = PILImage.new("RGB", (600, 850), colour)
    draw = ImageDraw.Draw(picture)
    light = tuple(min(255, c + 120) for c in colour)
    for step in range(8):
        draw.rectangle(
            (40 + step * 12, 40 + step * 12, 560 - step * 12, 810 - step * 12), outline=light
        )
    font = pillow_font(38, bold=True)
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(line) + len(word) > 16:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for number, text in enumerate(lines):
        draw.text((80, 200 + number * 56), text, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def pdf_build(*, title: str, pages: Sequence[str]) -> bytes:
    """A PDF of a few pages of text, drawn here (no JavaScript, no actions)."""

    font, heading = pillow_font(22), pillow_font(30, bold=True)
    images = []
    for text in pages:
        page = PILImage.new("RGB", (827, 1169), (255, 255, 255))
        draw = ImageDraw.Draw(page)
        draw.text((70, 70), title, fill=(120, 20, 20), font=heading)
        y, line = 150, ""
        for word in text.split():
            if len(line) + len(word) > 58:
                draw.text((70, y), line, fill=(20, 20, 20), font=font)
                y, line = y + 34, word
            else:
                line = f"{line} {word}".strip()
        draw.text((70, y), line, fill=(20, 20, 20), font=font)
        images.append(page)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100.0)
    return buffer.getvalue()


def library_demo_load(home: Page) -> list[str]:
    created: list[str] = []
    library = placeholder_replace(
        home=home,
        slug="sach-dien-tu",
        page=LibraryPage(
            title="Sách điện tử",
            intro="Đọc sách ngay trên trình duyệt, không cần cài thêm phần mềm, hoặc tải bản gốc"
            " về máy đọc sách; ứng dụng đọc sách có thể duyệt cả kho qua danh mục OPDS.",
            show_in_menus=True,
        ),
    )
    plans_page = placeholder_replace(
        home=home,
        slug="ke-hoach-de-tai",
        page=TopicPlanIndexPage(
            title="Kế hoạch đề tài",
            intro="Các đề tài sách Nhà xuất bản dự kiến thực hiện trong năm, tiến độ và quyết"
            " định phê duyệt.",
            show_in_menus=True,
        ),
    )
    placeholder_replace(
        home=home,
        slug="the-loai-sach",
        page=BookCategoriesPage(
            title="Thể loại sách",
            intro="Sách xếp theo thể loại; chọn một thể loại để xem các cuốn sách của thể loại ấy.",
            show_in_menus=True,
        ),
    )

    categories: dict[str, BookCategory] = {}
    for order, (name, (description, children)) in enumerate(CATEGORIES.items()):
        parent, _ = BookCategory.objects.get_or_create(
            name=name, parent=None,
            defaults={"description": description, "sort_order": order * 10},
        )  # fmt: skip
        if not parent.slug:
            parent.full_clean()
            parent.save()
        categories[name] = parent
        for child_order, child_name in enumerate(children):
            child, _ = BookCategory.objects.get_or_create(
                name=child_name, parent=parent, defaults={"sort_order": child_order * 10}
            )
            if not child.slug:
                child.full_clean()
                child.save()
            categories[child_name] = child

    books: dict[str, BookPage] = {}
    for number, demo in enumerate(BOOKS):
        found = BookPage.objects.filter(title=demo.title).first()
        if found is None:
            found = services.book_create(
                library=library,
                title=demo.title,
                subtitle=demo.subtitle,
                authors=demo.authors,
                publisher="Nhà xuất bản Mở Đường",
                edition="Tái bản lần thứ nhất" if number == 0 else "",
                year=demo.year,
                isbn=demo.isbn.replace("-", ""),
                language="vi",
                summary=demo.summary,
                categories=[categories[demo.category]],
                topics=demo.topics,
            )
            content = epub_build(
                title=demo.title,
                authors=[a.strip() for a in demo.authors.split(",")],
                chapters=demo.chapters,
                identifier=f"urn:isbn:{demo.isbn.replace('-', '')}" if demo.isbn else "",
                publisher="Nhà xuất bản Mở Đường",
                description=demo.summary,
                cover_jpeg=cover_jpeg(demo.title, demo.colour),
            )
            services.book_file_create(
                book=found,
                stream=io.BytesIO(content),
                size=len(content),
                name=f"{found.slug}.epub",
                apply_metadata=True,
                publish_changes=True,
                run_epubcheck=False,
            )
            created.append(demo.title)
        books[demo.title] = found

    pdf_title = "Tài liệu học tập nghị quyết dành cho chi bộ"
    if not BookPage.objects.filter(title=pdf_title).exists():
        cover = Image(title=f"Bìa: {pdf_title}")
        cover.file = ImageFile(
            io.BytesIO(cover_jpeg(pdf_title, (155, 28, 28))), name="bia-tai-lieu.jpg"
        )
        cover.save()
        book = services.book_create(
            cover=cover,
            library=library,
            title=pdf_title,
            authors="Ban biên soạn Nhà xuất bản",
            publisher="Nhà xuất bản Mở Đường",
            year=2026,
            summary="Tài liệu in khổ A4 để chi bộ dùng trong buổi sinh hoạt chuyên đề: nội dung"
            " chính, câu hỏi thảo luận và gợi ý liên hệ thực tế.",
            categories=[categories["Xây dựng Đảng"]],
        )
        content = pdf_build(
            title=pdf_title,
            pages=[
                "Phần một trình bày ngắn gọn những nội dung chính mà mỗi đảng viên cần nắm,"
                " viết thành các ý ngắn để người chủ trì buổi sinh hoạt dễ đọc to trước chi bộ.",
                "Phần hai gồm các câu hỏi thảo luận: việc gì chi bộ đã làm tốt, việc gì còn chậm"
                " và mỗi người sẽ nhận phần việc nào trong quý tới.",
            ],
        )
        services.book_file_create(
            book=book, stream=io.BytesIO(content), size=len(content), name="tai-lieu.pdf"
        )
        created.append(pdf_title)

    if not TopicPlan.objects.filter(year=2026).exists():
        plan = TopicPlan.objects.create(
            year=2026,
            title="Kế hoạch đề tài năm 2026",
            decision_number="15/QĐ-MĐ",
            introduction="Kế hoạch gồm các đề tài phục vụ học tập lý luận, phổ biến pháp luật và"
            " văn hóa đọc ở cơ sở.",
        )
        rows = [
            ("Sổ tay chuyển đổi số ở xã, phường", "Trần Minh Khôi, Lê Thu Hằng", "Kỹ năng",
             "published", "15/QĐ-MĐ", books.get("Sổ tay chuyển đổi số ở xã, phường")),
            ("Kinh tế tuần hoàn ở làng nghề", "Phạm Quốc Huy", "Kinh tế chính trị",
             "production", "15/QĐ-MĐ", None),
            ("Hỏi đáp về bảo vệ dữ liệu cá nhân", "Đỗ Thị Ngân", "Hỏi đáp pháp luật",
             "approved", "15/QĐ-MĐ", None),
            ("Người giữ lửa thư viện làng", "Vũ Hải Đăng", "Văn học", "proposed", "", None),
        ]  # fmt: skip
        for order, (title, authors, category, status, decision, book) in enumerate(rows):
            TopicPlanItem.objects.create(
                plan=plan,
                sort_order=order,
                proposed_title=title,
                authors=authors,
                category=categories[category],
                summary="",
                status=status,
                decision_number=decision,
                book=book,
            )
        created.append("kế hoạch đề tài 2026")
    del plans_page
    return created
