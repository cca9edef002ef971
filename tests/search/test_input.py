"""Whatever a reader or a client sends, search answers with results or a clear Vietnamese
message, never an error."""

import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moduong.search.selectors import search

pytestmark = pytest.mark.django_db

BAD = [
    ("", "Hãy nhập"),
    # Far longer than a query may be; an address longer still (MAX_URL_LENGTH) gets the 414 page.
    ("x" * 5_000, "quá dài"),
    ("!!! ... ,,, ???", "không có từ"),
    ("“ ” « »", "không có từ"),
    ('"', "không có từ"),
    ("\x00\x01\x02", "Hãy nhập"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_unsearchable_queries_get_a_message(client, site, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/tim-kiem/", {"q": query})
    assert page.status_code == 200
    assert message.lower() in page.content.decode().lower()
    api = client.get("/api/v1/search", {"q": query})
    assert api.status_code == 200
    assert message.lower() in api.json()["message"].lower() and api.json()["results"] == []


@pytest.mark.parametrize(
    "query",
    [
        'sách "hội',
        "sách*",
        "NEAR(sách báo, 2)",
        "title:sách",
        "-sách",
        "sách AND OR NOT báo",
        "sách\x00hay",
        "s\x07ách",
        "'; DROP TABLE search_searchentry; --",
        "\\' \\\\ ''",
        "^sách + {title}: (a OR b)",
    ],
)
def test_search_syntax_and_control_characters_are_plain_text(client, site, query: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/tim-kiem/", {"q": query})
    assert page.status_code == 200
    api = client.get("/api/v1/search", {"q": query})
    assert api.status_code == 200, api.content
    assert "results" in api.json()
    assert client.get("/tim-kiem/", {"q": "sách"}).status_code == 200  # the index survived


def test_nul_byte_is_dropped_not_an_error(client, site) -> None:  # type: ignore[no-untyped-def]
    found = client.get("/api/v1/search", {"q": "h\x00ội sách"}).json()
    assert found["query"] == "hội sách"
    assert found["total"] >= 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "sách", "tu_ngay": "31/02/2025"}, "ngày"),
        ({"q": "sách", "tu_ngay": "02/03/2025", "den_ngay": "01/03/2025"}, "ngày bắt đầu"),
        ({"q": "sách", "loai": "khong-co"}, "không"),
        ({"q": "sách", "trang": "-1"}, "1"),
        ({"q": "sách", "trang": "abc"}, "số nguyên"),
    ],
)
def test_bad_filters_get_a_message(client, site, params: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/tim-kiem/", params)
    assert page.status_code == 200
    assert message in page.content.decode().lower()
    api = client.get("/api/v1/search", params)
    if api.status_code == 422:  # a value the schema itself excludes: a choice, a whole number
        assert set(params) & {"loai", "trang", "tu_ngay", "den_ngay"}
        assert api.json()["message"] == "Tham số không hợp lệ."
    else:
        assert api.status_code == 400
        assert message in api.json()["message"].lower()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=250))
def test_any_text_is_answered(site, query: str) -> None:  # type: ignore[no-untyped-def]
    page = search(text=query)
    assert page.message or page.total >= 0


def test_command_prints_the_api_json(site, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("search", "hoi", "sach", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["total"] >= 1
    assert "<mark>Hội</mark> <mark>sách</mark>" in data["results"][0]["title_html"]
    call_command("search", "")
    assert "Hãy nhập" in capsys.readouterr().out


def test_very_long_runs_of_letters_do_not_break_indexing(index) -> None:  # type: ignore[no-untyped-def]
    index(["mã " + "A" * 5000 + " hội sách", "x" * 70_000])
    assert search(text="hội sách").total == 1
