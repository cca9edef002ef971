import json
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images.models import Image

from moduong.news.importing import articles_import
from moduong.news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pictures(tmp_path: Path) -> list[Path]:
    paths = []
    for n, colour in enumerate([(150, 30, 30), (30, 30, 150)], start=1):
        path = tmp_path / f"anh-{n}.jpg"
        PILImage.new("RGB", (640, 360), colour).save(path)
        paths.append(path)
    return paths


def row(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "external_id": "cong-cu-101",
        "section": "tin-tuc/tin-tong-hop",
        "title": "Ngành xuất bản thủ đô tổng kết năm",
        "lead": "Một năm nhiều đổi mới trong công tác xuất bản.",
        "body_html": "<p>Đoạn mở đầu.</p><h2>Kết quả</h2><p>Đoạn thứ hai.</p>",
        "published_at": "2023-01-30T08:03:00+07:00",
        "authors": ["Nguyễn An", "Lê Bình"],
        "source_author": "Thu Hà",
        "source_outlet": "Báo Mẫu",
        "source_url": "https://example.vn/bai-goc",
        "images": [],
        "topics": ["Xuất bản", "Đà Nẵng"],
    }
    data.update(overrides)
    return data


def run(*rows: object) -> object:
    return articles_import(
        [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    )


def test_an_article_is_imported_whole(site, client, pictures) -> None:  # type: ignore[no-untyped-def]
    images = [
        {"path": str(pictures[0]), "caption": "Ảnh một"},
        {"path": str(pictures[1]), "caption": "Ảnh hai"},
    ]
    report = run(row(images=images))
    assert (report.created, report.updated, report.failures) == (1, 0, [])
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    assert article.live and article.get_parent().slug == "tin-tong-hop"
    assert article.slug == "nganh-xuat-ban-thu-do-tong-ket-nam"
    assert article.date.isoformat() == "2023-01-30T01:03:00+00:00"
    assert [b.block_type for b in article.body] == ["paragraph", "heading", "paragraph", "image"]
    assert article.image.title == "Ảnh một"
    assert sorted(article.topics.slugs()) == ["da-nang", "xuat-ban"]
    page = client.get(article.url).content.decode()
    assert "Thứ hai, 30/01/2023 08:03" in page
    assert "(Theo Thu Hà/Báo Mẫu)" in page
    assert "Nguyễn An, Lê Bình" in page


def test_a_second_run_updates_and_never_duplicates(site, pictures) -> None:  # type: ignore[no-untyped-def]
    image = [{"path": str(pictures[0]), "caption": "Ảnh một"}]
    run(row(images=image))
    report = run(row(title="Ngành xuất bản thủ đô: tổng kết năm 2022", images=image))
    assert (report.created, report.updated) == (0, 1)
    assert ArticlePage.objects.filter(external_id="cong-cu-101").count() == 1
    assert ArticlePage.objects.get(external_id="cong-cu-101").title.endswith("năm 2022")
    assert Image.objects.filter(title="Ảnh một").count() == 1


def test_html_is_sanitised_and_text_normalised(site) -> None:
    body = (
        "<p onclick='steal()'>Thành uỷ <b>chỉ đạo</b><script>alert(1)</script>"
        "<a href='javascript:alert(1)'>xem</a><iframe src='https://evil.example'></iframe>"
        "<form><input name=x></form><style>p{}</style><p>Không đóng thẻ <i>nghiêng"
    )
    report = run(row(body_html=body, title="Hoà bình"))
    assert report.failures == []
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    html = "".join(str(b.value.source) for b in article.body if b.block_type == "paragraph")
    for bad in (
        "onclick",
        "<script",
        "alert",
        "javascript:",
        "<iframe",
        "<form",
        "<input",
        "<style",
    ):
        assert bad not in html
    assert "Thành ủy" in html and "<b>chỉ đạo</b>" in html
    assert article.title == "Hòa bình"


def test_tables_become_table_blocks(site) -> None:
    table_html = (
        "<table><tr><th>Năm</th><th>Số đầu sách</th></tr><tr><td>2022</td><td>319</td></tr></table>"
    )
    run(row(body_html=table_html))
    body = ArticlePage.objects.get(external_id="cong-cu-101").body
    table = next(b for b in body if b.block_type == "table")
    assert table.value["data"] == [["Năm", "Số đầu sách"], ["2022", "319"]]
    assert table.value["first_row_is_table_header"] is True


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row(title=""), "thiếu tiêu đề (title)"),
        (row(published_at="2023-01-30T08:03:00"), "published_at thiếu múi giờ"),
        (row(published_at="hôm qua"), "published_at không đúng dạng ISO 8601"),
        (row(section="khong-co"), "không có chuyên mục khong-co"),
        (row(body_html="<p>" + "chữ " * 1_300_000 + "</p>"), "body_html lớn quá 1 MB"),
        (row(images=["/khong/co/anh.jpg"]), "không tìm thấy tệp ảnh /khong/co/anh.jpg"),
        (row(source_url="javascript:alert(1)"), "source_url không phải địa chỉ http(s) hợp lệ"),
        ("{không phải json", "không phải JSON hợp lệ"),
        (row(topics=[1, 2]), "trường topics phải là danh sách tên"),
        ("[1, 2]", "mỗi dòng phải là một đối tượng JSON"),
    ],
)
def test_bad_rows_are_reported_and_change_nothing(site, bad: object, reason: str) -> None:
    before = ArticlePage.objects.count()
    report = run(row(external_id="tot-1"), bad)
    assert report.created == 1
    assert len(report.failures) == 1
    line, message = report.failures[0]
    assert line == 2 and reason in message
    assert ArticlePage.objects.count() == before + 1


def test_the_same_external_id_twice_in_one_file(site) -> None:
    report = run(row(), row(title="Bản thứ hai"))
    assert report.created == 1
    assert report.failures == [(2, "external_id cong-cu-101 đã có ở dòng 1 của tệp")]
    assert ArticlePage.objects.get(external_id="cong-cu-101").title == row()["title"]


def test_a_file_that_is_not_an_image_leaves_no_half_article(site, tmp_path: Path) -> None:
    fake = tmp_path / "anh.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is a program, not a picture")
    report = run(row(images=[{"path": str(fake), "caption": "giả"}]))
    assert report.failures == [(1, "tệp anh.jpg không phải ảnh hợp lệ")]
    assert not ArticlePage.objects.filter(external_id="cong-cu-101").exists()
    assert not Image.objects.filter(title="giả").exists()


def test_the_command_reports_lines_and_writes_a_report(site, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "bai.jsonl"
    source.write_text(
        "\n".join(
            [json.dumps(row(), ensure_ascii=False), json.dumps(row(external_id="x", title=""))]
        ),
        encoding="utf-8",
    )
    report_file = tmp_path / "bao-cao.json"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-articles", str(source), report=report_file)
    assert exit_info.value.code == 1
    out = capsys.readouterr()
    assert "Đã tạo 1 bài, cập nhật 0 bài, 1 dòng lỗi." in out.out
    assert "dòng 2: thiếu tiêu đề (title)" in out.err
    assert json.loads(report_file.read_text())["loi"] == [
        {"dong": 2, "ly_do": "thiếu tiêu đề (title)"}
    ]


def test_an_article_moved_to_another_section_in_the_file_moves(site) -> None:
    run(row())
    run(row(section="cac-bai-viet", title="Đã chuyển chuyên mục"))
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    assert article.get_parent().slug == "cac-bai-viet"
    assert article.title == "Đã chuyển chuyên mục"
    assert article.url.startswith("/cac-bai-viet/")


def test_a_row_without_lead_takes_it_from_the_body(site) -> None:
    data = row(body_html="<p>Câu mở đầu của bài viết.</p><p>Câu sau.</p>")
    del data["lead"]
    report = run(data)
    assert report.failures == []
    assert ArticlePage.objects.get(external_id="cong-cu-101").lead.startswith("Câu mở đầu")


def test_a_bad_row_in_the_middle_does_not_stop_the_import(site) -> None:
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    no_text = row(external_id="rong", body_html="", lead="")
    report = run(row(external_id="dau"), deep, no_text, "42", "null", row(external_id="cuoi"))
    assert report.created == 2
    assert [line for line, _ in report.failures] == [2, 3, 4, 5]


def test_bom_crlf_and_bad_encoding_in_the_file(site, tmp_path: Path) -> None:
    first = json.dumps(row(external_id="mot"), ensure_ascii=False).encode()
    second = json.dumps(row(external_id="hai"), ensure_ascii=False).encode()
    source = tmp_path / "bai.jsonl"
    source.write_bytes(
        b"\xef\xbb\xbf" + first + b"\r\n" + b"\xff\xfe not utf-8\r\n" + second + b"\r\n"
    )
    with pytest.raises(SystemExit):
        call_command("import-articles", str(source))
    assert set(
        ArticlePage.objects.filter(external_id__in=["mot", "hai"]).values_list(
            "external_id", flat=True
        )
    ) == {"mot", "hai"}


def test_reimport_leaves_an_article_the_editors_unpublished(site) -> None:
    run(row())
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    article.unpublish()
    report = run(row(title="Bản từ cổng cũ"))
    assert report.failures and "bỏ qua để không ghi đè" in report.failures[0][1]
    article.refresh_from_db()
    assert not article.live and article.title != "Bản từ cổng cũ"


def test_moving_into_a_section_with_the_same_slug_gets_a_new_slug(site) -> None:
    run(row(external_id="a", section="tin-tuc/tin-tong-hop", title="Trùng tên"))
    run(row(external_id="b", section="cac-bai-viet", title="Trùng tên"))
    report = run(row(external_id="a", section="cac-bai-viet", title="Trùng tên"))
    assert report.failures == []
    slugs = sorted(
        ArticlePage.objects.filter(external_id__in=["a", "b"]).values_list("slug", flat=True)
    )
    assert slugs == ["trung-ten", "trung-ten-2"]


def test_a_copy_of_an_imported_article_is_a_new_article(site) -> None:
    run(row())
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    copy = article.copy(update_attrs={"slug": "ban-sao", "title": "Bản sao"})
    assert copy.external_id is None and copy.read_count == 0


def test_many_articles_with_one_long_title_get_numbered_slugs(site) -> None:
    title = (
        "Hội nghị trực tuyến quán triệt nghị quyết về phát triển văn hóa đọc"
        " trong cộng đồng dân cư toàn thành phố"
    )
    run(*[row(external_id=f"dai-{n}", title=title) for n in range(4)])
    slugs = sorted(
        ArticlePage.objects.filter(external_id__startswith="dai-").values_list("slug", flat=True)
    )
    base = slugs[0]
    assert slugs == [base, f"{base}-2", f"{base}-3", f"{base}-4"]
    assert base.startswith("hoi-nghi-truc-tuyen") and len(base) <= 120


@pytest.mark.parametrize(
    "section",
    ["Tin tổng hợp", "tin tong hop", "TIN TỔNG HỢP", "tin-tong-hop", "tin-tuc/tin-tong-hop"],
)
def test_a_section_is_named_by_title_slug_or_path(site, section: str) -> None:
    report = run(row(section=section))
    assert (report.created, report.failures) == (1, [])
    article = ArticlePage.objects.get(external_id="cong-cu-101")
    assert article.get_parent().title == "Tin tổng hợp"


def test_an_unknown_section_lists_the_sections_that_exist(site) -> None:
    report = run(row(section="Tin thể thao"))
    [(_line, reason)] = report.failures
    assert reason.startswith("không có chuyên mục Tin thể thao; các chuyên mục hiện có:")
    assert "Tin tổng hợp (tin-tuc/tin-tong-hop)" in reason
    assert "Tin dự án" in reason
