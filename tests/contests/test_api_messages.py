"""No English from the API's framework reaches a person: ninja's own CSRF and body refusals,
answer in Vietnamese like the rest of the API."""

import pytest
from django.test import Client

from tests.factories import UserFactory

from .factories import open_round

pytestmark = pytest.mark.django_db

API = "/api/v1/contests"


def test_a_post_without_its_csrf_token_is_refused_in_vietnamese() -> None:
    rnd = open_round()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(
        f"{API}/{rnd.contest.slug}/registration", "{}", content_type="application/json"
    )
    assert response.status_code == 403
    message = response.json()["message"]
    assert "CSRF check Failed" not in message
    assert "Tải lại trang" in message


@pytest.mark.parametrize("body", ["{not json", "\xff\xfe", '{"full_name": '])
def test_a_body_that_is_not_json_is_refused_in_vietnamese(body: str) -> None:
    rnd = open_round()
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        f"{API}/{rnd.contest.slug}/registration", body, content_type="application/json"
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "Cannot parse" not in message
    assert "JSON" in message and "không đọc được" in message
