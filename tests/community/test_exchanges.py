import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from moduong.community import services
from moduong.community.models import ExchangePage, Question

from .conftest import ARCHIVED, LIVE, errors_of, soup

pytestmark = pytest.mark.django_db

ASK = LIVE + "hoi/"


def _question_data(client: Client, **overrides: str) -> dict[str, str]:
    from .conftest import solved_captcha

    data = {"name": "Hà Linh", "place": "Xã Trung Giã", "text": "Sách nào hợp với trẻ lớp ba?"}
    data.update(solved_captcha(client, LIVE))
    data.update(overrides)
    return data


def _poll(client: Client, exchange: ExchangePage, after: int, **headers: str):  # type: ignore[no-untyped-def]
    return client.get(
        f"/giao-luu/{exchange.pk}/moi/?sau={after}", headers={"HX-Request": "true", **headers}
    )


def test_exchange_page_shows_time_guests_intro_answers_and_the_form(
    live_exchange, client: Client
) -> None:  # type: ignore[no-untyped-def]
    page = soup(client.get(LIVE))
    assert page.h1.get_text(strip=True) == live_exchange.title
    assert page.select_one(".exchange-state").get_text(strip=True) == "Đang trực tuyến"
    guests = [h.get_text(strip=True) for h in page.select(".guest h3")]
    assert guests == ["PGS.TS Nguyễn Thu Hà", "Nhà văn Đỗ Hoàng Long"]
    assert page.select_one(".guest img")["alt"] == "Ảnh của PGS.TS Nguyễn Thu Hà"
    assert len(page.select("#cac-cau-tra-loi .answer")) == 1
    poller = page.select_one("#tra-loi-moi")
    assert poller["data-hx-get"] == f"/giao-luu/{live_exchange.pk}/moi/?sau=1"
    assert poller["data-hx-trigger"] == "every 3s"
    assert page.find("script", src="/static/django_htmx/htmx-2.min.js")
    assert page.select_one("#dat-cau-hoi form textarea[name=text]")


def test_the_stream_link_falls_back_to_a_plain_link_when_its_host_is_unreachable(
    live_exchange, client: Client
) -> None:  # type: ignore[no-untyped-def]
    # This machine has no internet: Wagtail's embed finder cannot reach YouTube.
    page = soup(client.get(LIVE))
    link = page.select_one(".exchange-video a")
    assert link["href"] == live_exchange.video_url
    assert link.get_text(strip=True) == "Xem truyền hình trực tiếp"
    assert page.select_one(".exchange-video iframe") is None


def test_a_reader_question_waits_for_moderation(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(ASK, _question_data(client), follow=True)
    assert "câu hỏi đã được nhận" in response.content.decode()
    question = Question.objects.get(text="Sách nào hợp với trẻ lớp ba?")
    assert question.status == Question.Status.PENDING
    assert "Sách nào hợp với trẻ lớp ba?" not in client.get(LIVE).content.decode()


def test_a_100_kb_question_is_refused_with_its_length(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    before = Question.objects.count()
    response = client.post(ASK, _question_data(client, text="Sách?" * 20_000))
    assert response.status_code == 200
    assert "Câu hỏi chỉ được tối đa 1.000 ký tự; câu hỏi của bạn có 100.000 ký tự." in errors_of(
        response
    )
    assert Question.objects.count() == before


def test_html_and_scripts_in_a_question_are_removed(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    text = '<script>document.location="http://x"</script><b>Xin hỏi</b> về <a href="x">sách</a>?'
    client.post(ASK, _question_data(client, text=text, place="<i>Hà Nội</i>"))
    question = Question.objects.get(name="Hà Linh")
    assert question.text == "Xin hỏi về sách?"
    assert question.place == "Hà Nội"
    # A question of nothing but markup is no question.
    response = client.post(ASK, _question_data(client, text="<script>alert(1)</script>"))
    assert "Vui lòng nhập câu hỏi." in errors_of(response)


def test_an_archived_exchange_takes_no_question(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    archived = ExchangePage.objects.get(slug="xay-dung-tu-sach-gia-dinh")
    page = soup(client.get(ARCHIVED))
    assert page.select_one(".exchange-state").get_text(strip=True) == "Bản ghi lưu trữ"
    assert page.select_one("#dat-cau-hoi") is None and page.select_one("#tra-loi-moi") is None
    assert len(page.select(".answer")) == 3
    before = Question.objects.filter(exchange=archived).count()
    response = client.post(ARCHIVED + "hoi/", {"name": "A", "text": "Còn nhận câu hỏi không?"})
    assert "đã kết thúc" in response.content.decode()
    assert Question.objects.filter(exchange=archived).count() == before


def test_moderator_picks_assigns_and_publishes_and_readers_poll_it(
    live_exchange, client: Client, admin_client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.post(ASK, _question_data(client))
    question = Question.objects.get(text="Sách nào hợp với trẻ lớp ba?")
    guest = live_exchange.guests.last()
    url = f"/admin/cau-hoi-giao-luu/edit/{question.pk}/"
    assert admin_client.get(url).status_code == 200
    # Nothing new for a reader who has answer 1.
    assert _poll(client, live_exchange, 1).status_code == 204
    admin_client.post(url, {"action": "pick", "guest": guest.pk})
    question.refresh_from_db()
    assert (question.status, question.guest) == (Question.Status.PICKED, guest)
    assert _poll(client, live_exchange, 1).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url, {"action": "answer", "answer": "Truyện tranh lịch sử là lựa chọn tốt."}
        )
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED and question.sequence == 2
    response = _poll(client, live_exchange, 1)
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("#tra-loi-moi")["data-hx-get"].endswith("?sau=2")
    (new,) = fragment.select("[data-hx-swap-oob] .answer")
    assert "Truyện tranh lịch sử là lựa chọn tốt." in new.get_text()
    assert "Nhà văn Đỗ Hoàng Long" in new.get_text()
    # The same again: an unchanged answer is revalidated for free.
    again = _poll(client, live_exchange, 1, **{"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert _poll(client, live_exchange, 2).status_code == 204
    # The page itself now lists it.
    assert "Truyện tranh lịch sử là lựa chọn tốt." in client.get(LIVE).content.decode()


def test_polls_cost_no_query_once_cached(
    live_exchange, client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    services.answers_version_refresh(exchange_id=live_exchange.pk)
    _poll(client, live_exchange, 0)
    with django_assert_num_queries(0):
        assert _poll(client, live_exchange, 1).status_code == 204
        assert _poll(client, live_exchange, 0).status_code == 200


def test_polling_a_missing_exchange_or_junk_is_harmless(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/giao-luu/999999/moi/?sau=0").status_code == 404
    huge = "9" * 25  # past any integer column
    assert client.get(f"/giao-luu/{huge}/moi/?sau=0").status_code == 404
    assert client.get(f"/api/v1/exchanges/{huge}/answers").status_code in (404, 422)
    assert client.get(f"/ban-doc-va-nxb/thu/{huge}/").status_code == 404
    assert client.get(f"/giao-luu/{live_exchange.pk}/moi/?sau=abc").status_code == 200
    assert client.get(f"/giao-luu/{live_exchange.pk}/moi/?sau=99999").status_code == 204
    assert client.post(f"/giao-luu/{live_exchange.pk}/moi/").status_code == 405
    head = client.head(f"/giao-luu/{live_exchange.pk}/moi/?sau=0")
    assert (head.status_code, head.content) == (200, b"")
    assert client.get(f"/giao-luu/{live_exchange.pk}/moi/?sau=-5").status_code == 200
    assert client.get(f"/giao-luu/{live_exchange.pk}/moi/?sau=" + "9" * 5000).status_code == 200


def test_answer_numbers_follow_publishing_order(live_exchange) -> None:  # type: ignore[no-untyped-def]
    guest = live_exchange.guests.first()
    questions = [
        services.question_create(exchange=live_exchange, user=None, name="A", place="", text=t)
        for t in ("Câu hỏi thứ nhất?", "Câu hỏi thứ hai?")
    ]
    for question in reversed(questions):
        services.question_pick(question=question, guest=guest)
        services.answer_publish(question=question, answer="Trả lời.")
    numbers = [Question.objects.get(pk=q.pk).sequence for q in questions]
    assert numbers == [3, 2]
    with pytest.raises(services.Duplicate):
        services.question_create(
            exchange=live_exchange, user=None, name="B", place="", text="câu hỏi THỨ NHẤT?"
        )


def test_an_answered_question_is_found_in_the_portal_search(
    live_exchange, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    question = services.question_create(
        exchange=live_exchange,
        user=None,
        name="A",
        place="",
        text="Thư viện lưu động hoạt động ra sao?",
    )
    services.question_pick(question=question, guest=live_exchange.guests.first())
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_publish(
            question=question, answer="Xe thư viện lưu động đến từng bản mỗi tháng."
        )
    results = soup(client.get("/tim-kiem/?q=thu+vien+luu+dong"))
    links = [a["href"] for a in results.select(".search-result h2 a")]
    assert f"{LIVE}#cau-hoi-{question.pk}" in links


def test_exchange_index_groups_live_upcoming_and_archived(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    index = ExchangePage.objects.first().get_parent()
    upcoming = ExchangePage(
        title="Giao lưu sắp tới",
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
        intro="<p>Sắp diễn ra.</p>",
    )
    index.add_child(instance=upcoming)
    upcoming.save_revision().publish()
    page = soup(client.get("/giao-luu-truc-tuyen/"))
    headings = [h.get_text(strip=True) for h in page.select("h2.section-title")]
    assert headings == ["Đang diễn ra", "Sắp diễn ra", "Lưu trữ"]
    cache.clear()


def test_exchange_page_query_count(
    live_exchange, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get(LIVE)
    # The captcha of the question form is one INSERT; the rest are the page's own reads.
    with django_assert_max_num_queries(12):
        assert client.get(LIVE).status_code == 200


def test_the_json_api_gives_answers_after_a_number(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/exchanges/{live_exchange.pk}/answers"
    data = client.get(url).json()
    assert data["version"] == 1
    (answer,) = data["answers"]
    assert answer["guest"] == "Nhà văn Đỗ Hoàng Long" and answer["sequence"] == 1
    assert client.get(url + "?after=1").json() == {"version": 1, "answers": []}
    assert client.get("/api/v1/exchanges/999999/answers").status_code == 404
    assert client.get(url + "?after=abc").status_code == 422
    letters = client.get("/api/v1/letters").json()
    assert {letter["writer"] for letter in letters} >= {"T. T. H. Nhung"}
    assert all("@" not in str(letter) for letter in letters)
    # the schema says pages start at 1: page 0 is refused by the schema's own check
    assert client.get("/api/v1/letters?page=0").status_code == 422
    assert client.get("/api/v1/letters?page=1001").status_code == 422


def test_questions_are_rate_limited_per_address(live_exchange, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.QUESTIONS_RATE_PER_HOUR = 2
    before = Question.objects.count()
    codes = [
        client.post(ASK, _question_data(client, text=f"Câu hỏi số {n} về sách?")).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 429, 429]
    assert Question.objects.count() == before + 2


def test_a_reader_cannot_moderate_questions(live_exchange, client: Client) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    question = Question.objects.filter(exchange=live_exchange).first()
    client.force_login(UserFactory())
    response = client.post(f"/admin/cau-hoi-giao-luu/edit/{question.pk}/", {"action": "reject"})
    assert response.status_code in (302, 403)
    question.refresh_from_db()
    assert question.status == Question.Status.ANSWERED


@override_settings(PAGE_CACHE_SECONDS=300)
def test_pages_with_a_form_are_never_shared_through_the_page_cache(
    live_exchange, letters_page
) -> None:  # type: ignore[no-untyped-def]
    """Pages with the question or letter form must stay out of the anonymous page cache (Django
    renews the CSRF cookie on each of them, which keeps them out): shared, readers would get
    one another's CSRF token and captcha and their questions would be refused."""
    for url in (LIVE, "/ban-doc-va-nxb/gui-thu/"):
        first, second = Client(), Client()
        first.get(url)
        second.get(url)  # both now hold a CSRF cookie, as returning readers do
        keys = [
            soup(c.get(url)).find("input", attrs={"name": "captcha_0"})["value"]
            for c in (first, second)
        ]
        assert keys[0] != keys[1], url
    reader = Client(enforce_csrf_checks=True)
    reader.get(LIVE)
    page = soup(reader.get(LIVE))
    data = _question_data(reader, text="Xe sách có dừng ở điểm trường không?")
    assert reader.post(ASK, data).status_code == 403  # no CSRF token: refused
    data = _question_data(reader, text="Xe sách có dừng ở điểm trường không?")
    data["csrfmiddlewaretoken"] = page.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert reader.post(ASK, data).status_code == 302
    assert Question.objects.filter(text="Xe sách có dừng ở điểm trường không?").exists()


def test_a_rejected_question_cannot_be_published(
    live_exchange, client: Client, admin_client: Client
) -> None:  # type: ignore[no-untyped-def]
    question = services.question_create(
        exchange=live_exchange, user=None, name="A", place="", text="Câu hỏi bị từ chối?"
    )
    guest = live_exchange.guests.first()
    services.question_pick(question=question, guest=guest)
    services.question_reject(question=question)
    url = f"/admin/cau-hoi-giao-luu/edit/{question.pk}/"
    response = admin_client.post(
        url, {"action": "answer", "guest": guest.pk, "answer": "Không nên hiện."}, follow=True
    )
    assert "không áp dụng được cho câu hỏi" in response.content.decode()
    question.refresh_from_db()
    assert (question.status, question.sequence) == (Question.Status.REJECTED, None)
    assert "Không nên hiện." not in client.get(LIVE).content.decode()
    with pytest.raises(services.ModerationError):
        services.answer_publish(question=question, answer="Không nên hiện.")


@override_settings(PAGE_CACHE_SECONDS=300)
def test_an_answer_published_after_the_end_shows_at_once_on_the_cached_transcript(
    site, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    archived = ExchangePage.objects.get(slug="xay-dung-tu-sach-gia-dinh")
    question = Question.objects.create(
        exchange=archived, name="Mai", text="Tủ sách gia đình nên bắt đầu từ đâu?", text_key="x"
    )
    services.question_pick(question=question, guest=archived.guests.first())
    assert client.get(ARCHIVED).headers["X-Page-Cache"] == "miss"
    assert client.get(ARCHIVED).headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_publish(question=question, answer="Từ vài cuốn sách tranh cho bé.")
    assert "Từ vài cuốn sách tranh cho bé." in client.get(ARCHIVED).content.decode()


def test_a_wrong_captcha_or_a_filled_honeypot_stores_no_question(
    live_exchange, client: Client
) -> None:  # type: ignore[no-untyped-def]
    before = Question.objects.count()
    response = client.post(ASK, _question_data(client, captcha_1="00000"))
    assert response.status_code == 200
    assert "Mã xác nhận không đúng" in errors_of(response)
    # A robot is answered as if its question were taken, and learns nothing.
    robot = client.post(ASK, _question_data(client, website="http://spam.example"))
    assert robot.status_code == 302
    assert Question.objects.count() == before


def test_an_unpublished_exchange_stops_answering_polls_at_once(
    live_exchange, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.answers_version_refresh(exchange_id=live_exchange.pk)  # as after a publish
    assert _poll(client, live_exchange, 0).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        live_exchange.unpublish()
    assert _poll(client, live_exchange, 0).status_code == 404
    assert client.get(f"/api/v1/exchanges/{live_exchange.pk}/answers").status_code == 404
