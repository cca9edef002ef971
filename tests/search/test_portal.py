"""Search as readers and API clients meet it, and the index following the editors' work."""

import datetime as dt

import pytest
from wagtail.models import PageViewRestriction

from moduong.bulletins.models import EditionPage
from moduong.news.models import ArticlePage, SectionPage, StandardPage
from moduong.search.backends import SearchFilters
from moduong.search.selectors import search

pytestmark = pytest.mark.django_db


def _titles(query: str) -> list[str]:
    return [result.title for result in search(text=query, page_size=100).results]


def _publish(page, captured) -> None:  # type: ignore[no-untyped-def]
    with captured(execute=True):
        page.save_revision().publish()


def test_the_index_follows_publishing_editing_unpublishing_and_deleting(
    site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    section = SectionPage.objects.get(slug="tin-tong-hop")
    article = ArticlePage(title="Lễ hội hoa ban Mường Phăng", lead="Mùa hoa ban nở trắng núi rừng.")
    section.add_child(instance=article)
    assert "Lễ hội hoa ban Mường Phăng" not in _titles("hoa ban")  # a draft is not searchable

    _publish(article, django_capture_on_commit_callbacks)
    assert "Lễ hội hoa ban Mường Phăng" in _titles("muong phang")

    article.title = "Ngày hội hoa ban Mường Phăng"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision()  # a draft edit: readers still see the published title
    assert _titles("muong phang") == ["Lễ hội hoa ban Mường Phăng"]
    _publish(article, django_capture_on_commit_callbacks)
    assert _titles("muong phang") == ["Ngày hội hoa ban Mường Phăng"]

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert _titles("muong phang") == []

    _publish(article, django_capture_on_commit_callbacks)
    assert _titles("muong phang") == ["Ngày hội hoa ban Mường Phăng"]
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert _titles("muong phang") == []


def test_private_and_coming_soon_pages_are_not_found(
    site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    section = SectionPage.objects.get(slug="tin-tong-hop")
    secret = ArticlePage(title="Tài liệu nội bộ Mường Phăng", lead="Chỉ cán bộ được xem.")
    section.add_child(instance=secret)
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    _publish(secret, django_capture_on_commit_callbacks)
    assert _titles("muong phang") == []

    home = section.get_parent()
    soon = StandardPage(title="Cuộc thi Mường Phăng", coming_soon=True)
    home.add_child(instance=soon)
    _publish(soon, django_capture_on_commit_callbacks)
    assert _titles("muong phang") == []


def test_page_shows_highlighted_escaped_results_with_filters(
    client, site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    section = SectionPage.objects.get(slug="tin-tong-hop")
    article = ArticlePage(
        title="Đà Nẵng <script>alert(1)</script> mở hội sách",
        lead="Hội sách <b>Đà Nẵng</b> mở cửa.",
        date=dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC),
    )
    section.add_child(instance=article)
    _publish(article, django_capture_on_commit_callbacks)

    html = client.get("/tim-kiem/", {"q": "da nang"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<mark>Đà</mark> <mark>Nẵng</mark> &lt;script&gt;" in html
    assert "Thứ hai, 20/05/2024 16:00" in html
    assert "Tin tổng hợp" in html
    assert "kết quả" in html

    def found(**params: str) -> bool:
        page = client.get("/tim-kiem/", {"q": "da nang", **params}).content.decode()
        return "mở hội sách" in page

    assert found(loai="article")
    assert not found(loai="page")
    assert found(chuyen_muc=str(section.pk))
    assert found(tu_ngay="2024-05-20", den_ngay="2024-05-20")
    assert not found(tu_ngay="2024-05-21")
    assert not found(den_ngay="19/05/2024")


def test_pagination_in_vietnamese(client, index) -> None:  # type: ignore[no-untyped-def]
    index([f"hội sách lần thứ {n}" for n in range(23)])
    first = client.get("/tim-kiem/", {"q": "hội sách"}).content.decode()
    assert "23 kết quả" in first and "Trang 1/3" in first and "Trang sau" in first
    third = client.get("/tim-kiem/", {"q": "hội sách", "trang": "3"}).content.decode()
    assert (
        "Trang 3/3" in third
        and "Trang trước" in third
        and third.count('class="search-result"') == 3
    )
    beyond = client.get("/api/v1/search", {"q": "hội sách", "trang": "9"}).json()
    assert beyond["results"] == [] and beyond["total"] == 23


def test_api_and_its_schema(client, site) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "loai", "tu_ngay", "trang"}
    found = client.get("/api/v1/search", {"q": "hội sách", "loai": "article"}).json()
    first = found["results"][0]
    assert first["title"].startswith("Hội sách")
    assert first["kind"] == "article" and first["url"].startswith("/tin-tuc/")
    # "Thứ hai, …" to "Thứ bảy, …", or "Chủ nhật, …" on a Sunday.
    assert first["date_display"].startswith(("Thứ", "Chủ nhật"))


def test_rebuild_command_fills_the_index_from_published_content(site, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from moduong.search.backends import get_backend

    get_backend().clear()
    assert _titles("hoi sach") == []
    call_command("rebuild-search-index")
    assert "Đã lập chỉ mục" in capsys.readouterr().out
    live = ArticlePage.objects.live().count() + EditionPage.objects.live().count()
    assert search(text="hội sách", page_size=100).total >= 1
    assert search(text="bài", page_size=100).total <= live + StandardPage.objects.count()


def test_making_a_section_private_or_moving_a_page_updates_the_index(
    site, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    section = SectionPage.objects.get(slug="tin-tong-hop")
    other = SectionPage.objects.get(slug="tin-du-an")
    article = ArticlePage(title="Hội thi Mường Phăng", lead="Thi kể chuyện.")
    section.add_child(instance=article)
    _publish(article, django_capture_on_commit_callbacks)
    assert search(text="muong phang").results[0].url.startswith("/tin-tuc/tin-tong-hop/")

    with django_capture_on_commit_callbacks(execute=True):
        article.move(other, pos="last-child")
    moved = search(text="muong phang").results[0]
    assert moved.url.startswith("/tin-tuc/tin-du-an/") and moved.section == other.title

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=other, restriction_type="login")
    assert _titles("muong phang") == []
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert _titles("muong phang") == ["Hội thi Mường Phăng"]


def test_one_address_cannot_flood_search(client, site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SEARCH_RATE_PER_MINUTE = 3
    for _ in range(2):
        assert client.get("/tim-kiem/", {"q": "sách"}).status_code == 200
    assert client.get("/api/v1/search", {"q": "sách"}).status_code == 200
    refused = client.get("/tim-kiem/", {"q": "sách"})
    assert refused.status_code == 429 and "Quá nhiều" in refused.content.decode()
    api = client.get("/api/v1/search", {"q": "sách"})
    assert api.status_code == 429 and "phút" in api.json()["message"]
    assert client.get("/tim-kiem/", {"q": "sách"}, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_search_results_are_not_kept_in_the_page_cache(client, site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get("/tim-kiem/", {"q": "sách"})
    assert "X-Page-Cache" not in first and "no-store" in first["Cache-Control"]


def test_a_very_common_word_counts_every_match_and_pages_through_the_newest(index) -> None:  # type: ignore[no-untyped-def]
    index([f"bản tin số {n}" for n in range(530)])
    first = search(text="bản tin")
    assert first.total == 530
    assert first.pages == 50  # ranked among the newest 500 (backends.base.CANDIDATES)
    assert first.results[0].title == "Mục 529"
    last = search(text="bản tin", page=50)
    assert [r.title for r in last.results][-1] == "Mục 30"


def test_a_word_in_more_than_a_thousand_entries_says_more_than_a_thousand(
    index, client, site
) -> None:  # type: ignore[no-untyped-def]
    index([f"thông báo số {n}" for n in range(1003)])
    page = search(text="thông báo")
    assert (page.total, page.more, page.pages) == (1000, True, 50)
    assert page.results[0].title == "Mục 1002"
    body = client.get("/tim-kiem/", {"q": "thong bao"}).content.decode()
    assert "Hơn 1.000 kết quả cho “thong bao”" in body
    data = client.get("/api/v1/search", {"q": "thông báo"}).json()
    assert (data["total"], data["more"]) == (1000, True)
    narrow = search(text="thông báo 1002")
    assert (narrow.total, narrow.more) == (1, False)


def test_filters_give_the_same_newest_results_and_totals_however_common_the_word(index) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL finds the candidates three ways, by how many of the newest 2,000 rows that pass
    # the filters match (backends/postgresql.py); each way must give the same answer.
    texts = [
        "hội nghị" + (" tổng kết" if n % 10 == 0 else "") + (" hiếm" if n % 700 == 0 else "")
        for n in range(2400)
    ]
    documents = index(texts)
    since = documents[200].date
    filters = SearchFilters(kind="article", date_from=since)
    cases = {"hội nghị": (n for n in range(2399, 199, -1)), "tổng kết": range(2390, 199, -10)}
    cases["hiếm"] = (n for n in (2100, 1400, 700))
    for text, numbers in cases.items():
        expected = list(numbers)
        page = search(text=text, filters=filters, page_size=5)
        assert [r.title for r in page.results] == [f"Mục {n}" for n in expected[:5]], text
        assert (page.total, page.more) == (min(len(expected), 1000), len(expected) > 1000), text


def test_marked_words_find_only_those_marks_on_the_demo_site(client, site) -> None:  # type: ignore[no-untyped-def]
    page = search(text="hoà giải", page_size=100)
    assert page.total >= 2 and not page.approximate
    for result in page.results:
        text = f"{result.title} {result.snippet_html}".lower()
        assert "hòa" in text and "giải" in text, result.title
    html = client.get("/tim-kiem/", {"q": "hoà giải"}).content.decode()
    for wrong in ("minh <mark>họa</mark>", "số <mark>hóa</mark>", "<mark>giai</mark> đoạn"):
        assert wrong not in html
    # Without marks, every mark.
    assert search(text="hoa giai", page_size=100).total > page.total


def test_marks_that_find_nothing_say_the_results_are_approximate(client, site) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/tim-kiem/", {"q": "hỏa giải"}).content.decode()
    assert "Không có kết quả đúng dấu; kết quả gần đúng:" in html
    assert "<mark>hòa</mark>" in html  # the matches without the marks
    assert client.get("/api/v1/search", {"q": "hỏa giải"}).json()["approximate"] is True
    assert "kết quả gần đúng" not in client.get("/tim-kiem/", {"q": "hòa giải"}).content.decode()


def test_snippets_say_each_field_once_and_the_section_filter_lists_sections(client, site) -> None:  # type: ignore[no-untyped-def]
    for result in search(text="nhà xuất bản", page_size=100).results:
        assert "Nhà xuất bản Nhà xuất bản" not in str(result.snippet_html), result.title
    for result in search(text="đề nghị tổ chức giao lưu", page_size=100).results:
        # A letter's subject is its title: the snippet goes on with the letter itself.
        assert not str(result.snippet_html).startswith(result.title[:20]), result.title
    from moduong.search.forms import SearchForm

    sections = dict(SearchForm().fields["chuyen_muc"].choices)
    assert "Tin tổng hợp" in sections.values() and "Giao lưu trực tuyến" in sections.values()
    # One exchange is content, not a section.
    assert "Đưa sách về với thiếu nhi vùng cao" not in sections.values()
