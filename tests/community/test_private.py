"""Wagtail's view restrictions hold for everything that shows an exchange's or the letters'
content, as they do for news and the library: the page, its listing, the JSON API, the poll
and the portal search (core.selectors' one visibility rule)."""

from django.core.cache import cache
from django.test import Client
from wagtail.models import PageViewRestriction

from moduong.community import services
from moduong.community.models import ExchangePage, LettersPage, Question
from moduong.search.services import search_index_rebuild

from .conftest import LIVE, soup

LOGIN = PageViewRestriction.LOGIN


def _answered(exchange: ExchangePage, capture) -> Question:  # type: ignore[no-untyped-def]
    question = services.question_create(
        exchange=exchange, user=None, name="A", place="", text="Xe thư viện lưu động đi đâu?"
    )
    services.question_pick(question=question, guest=exchange.guests.first())
    with capture(execute=True):
        services.answer_publish(question=question, answer="Xe thư viện đến từng bản mỗi tháng.")
    return question


def _restrict(page, capture) -> None:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type=LOGIN)


def test_a_login_only_exchange_shows_its_answers_nowhere(
    live_exchange, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    question = _answered(live_exchange, django_capture_on_commit_callbacks)
    api = f"/api/v1/exchanges/{live_exchange.pk}/answers"
    poll = f"/giao-luu/{live_exchange.pk}/moi/?sau=0"
    assert client.get(api).status_code == 200 and client.get(poll).status_code == 200
    _restrict(live_exchange, django_capture_on_commit_callbacks)
    services.local_versions.clear()  # other processes' one-second copies
    assert client.get(LIVE).status_code == 302  # Wagtail's own guard
    assert client.get(api).status_code == 404
    assert client.get(poll).status_code == 404
    listing = soup(client.get("/giao-luu-truc-tuyen/")).get_text()
    assert live_exchange.title not in listing
    found = soup(client.get("/tim-kiem/?q=xe+thu+vien+luu+dong"))
    links = [a["href"] for a in found.select(".search-result h2 a")]
    assert f"{LIVE}#cau-hoi-{question.pk}" not in links
    # An answer published while it is private reaches no poll either.
    later = services.question_create(
        exchange=live_exchange, user=None, name="B", place="", text="Sách mới có gì hay?"
    )
    services.question_pick(question=later, guest=live_exchange.guests.first())
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_publish(question=later, answer="Nhiều sách hay.")
    services.local_versions.clear()
    assert client.get(api).status_code == 404
    cache.clear()


def test_a_private_section_hides_the_exchanges_below_it_from_a_rebuilt_index(
    live_exchange, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    question = _answered(live_exchange, django_capture_on_commit_callbacks)
    _restrict(live_exchange.get_parent(), django_capture_on_commit_callbacks)
    search_index_rebuild()
    found = soup(client.get("/tim-kiem/?q=xe+thu+vien+luu+dong"))
    links = [a["href"] for a in found.select(".search-result h2 a")]
    assert f"{LIVE}#cau-hoi-{question.pk}" not in links
    services.local_versions.clear()
    assert client.get(f"/giao-luu/{live_exchange.pk}/moi/?sau=0").status_code == 404
    cache.clear()


def test_login_only_letters_are_not_in_the_api_or_the_search(
    letters_page: LettersPage, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    letters = client.get("/api/v1/letters")
    assert letters.status_code == 200 and letters.json()
    subject = letters.json()[0]["subject"]
    _restrict(letters_page, django_capture_on_commit_callbacks)
    assert client.get(letters_page.url).status_code == 302
    assert client.get("/api/v1/letters").status_code == 404
    found = soup(client.get("/tim-kiem/", {"q": subject, "loai": "letter"}))
    assert not found.select(".search-result h2 a[href^='/ban-doc-va-nxb/']")
    cache.clear()


def test_a_login_only_exchange_is_not_in_the_sitemap(
    live_exchange, client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    assert LIVE in client.get("/sitemap.xml").content.decode()
    _restrict(live_exchange, django_capture_on_commit_callbacks)
    assert LIVE not in client.get("/sitemap.xml").content.decode()
    cache.clear()
