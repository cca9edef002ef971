"""The OpenAPI document tells the truth: every status the API answers is declared, and fields
that take only some values say which (a client generated from it works)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(site, client: Client) -> dict:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/openapi.json").json()


def _parameter(operation: dict, name: str) -> dict:
    return next(p for p in operation["parameters"] if p["name"] == name)["schema"]


def test_refusals_made_around_the_views_are_declared(schema: dict) -> None:
    paths = schema["paths"]
    mine = paths["/api/v1/contests/attempts"]["get"]["responses"]
    assert {"200", "401"} <= set(mine)
    start = paths["/api/v1/contests/{slug}/rounds/{number}/attempts"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "422", "429"} <= set(start)
    answers = paths["/api/v1/exchanges/{exchange_id}/answers"]["get"]["responses"]
    assert {"200", "404", "422"} <= set(answers)
    assert {"200", "404", "422"} <= set(paths["/api/v1/letters"]["get"]["responses"])
    assert {"200", "400", "422", "429"} <= set(paths["/api/v1/search"]["get"]["responses"])
    # and each says what its body is
    assert "message" in start["403"]["content"]["application/json"]["schema"]["properties"]


def test_fields_with_choices_list_them(schema: dict) -> None:
    search = schema["paths"]["/api/v1/search"]["get"]
    assert {"", "article"} <= set(_parameter(search, "loai")["enum"])
    assert _parameter(search, "trang")["anyOf"][0]["minimum"] == 1
    assert "pattern" in _parameter(search, "tu_ngay")
    letters = schema["paths"]["/api/v1/letters"]["get"]
    assert _parameter(letters, "page")["minimum"] == 1
    registration = schema["components"]["schemas"]["RegistrationIn"]["properties"]["gender"]
    assert set(registration["enum"]) == {"", "nam", "nu", "khac"}


def test_a_value_outside_the_choices_is_refused_as_the_schema_says(site, client: Client) -> None:
    response = client.get("/api/v1/search", {"q": "sách", "loai": "khong-co"})
    assert response.status_code == 422
    assert response.json()["message"] == "Tham số không hợp lệ."
