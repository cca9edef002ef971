import re

import pytest
from django.core import mail
from django.test import Client

from moduong.bulletins import services, views
from moduong.bulletins.models import Delivery, Subscriber

from .conftest import SERIES

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/ban-tin/xac-nhan/[^/\s]+/)")


def _subscribe(client: Client, email: str, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"{SERIES}dang-ky/", {"email": email, "website": ""}, follow=True)


def _confirm_path() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_double_opt_in(series, client: Client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    response = _subscribe(client, "Ban.Doc@Example.vn", django_capture_on_commit_callbacks)
    assert "thư xác nhận" in response.content.decode()
    subscriber = Subscriber.objects.get(series=series, email="ban.doc@example.vn")
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ban.doc@example.vn"]
    response = client.get(_confirm_path())
    assert response.status_code == 200 and "đã được xác nhận" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_subscribing_twice_makes_one_subscriber_and_no_mail_once_active(  # type: ignore[no-untyped-def]
    series, client: Client, django_capture_on_commit_callbacks
) -> None:
    _subscribe(client, "hai@example.vn", django_capture_on_commit_callbacks)
    _subscribe(client, "hai@example.vn", django_capture_on_commit_callbacks)
    assert Subscriber.objects.filter(email="hai@example.vn").count() == 1
    assert len(mail.outbox) == 2  # the link again, while pending
    client.get(_confirm_path())
    response = _subscribe(client, "hai@example.vn", django_capture_on_commit_callbacks)
    assert "thư xác nhận" in response.content.decode()  # the same answer: nothing revealed
    assert len(mail.outbox) == 2
    assert Subscriber.objects.get(email="hai@example.vn").status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    "forged",
    ["abc", "eyJzIjoxfQ:1tXyZ:bad-signature", "x" * 300, "..%2f..%2fadmin"],
)
def test_forged_confirmation_link_changes_nothing(  # type: ignore[no-untyped-def]
    series, client: Client, django_capture_on_commit_callbacks, forged: str
) -> None:
    _subscribe(client, "ba@example.vn", django_capture_on_commit_callbacks)
    response = client.get(f"/ban-tin/xac-nhan/{forged}/")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "không hợp lệ" in response.content.decode()
    assert Subscriber.objects.get(email="ba@example.vn").status == Subscriber.Status.PENDING


def test_confirmation_link_of_another_subscriber_cannot_be_edited(  # type: ignore[no-untyped-def]
    series, client: Client, django_capture_on_commit_callbacks
) -> None:
    _subscribe(client, "bon@example.vn", django_capture_on_commit_callbacks)
    path = _confirm_path()
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.get(tampered).status_code == 400
    assert Subscriber.objects.get(email="bon@example.vn").status == Subscriber.Status.PENDING


def test_new_edition_is_sent_in_batches_with_one_click_unsubscribe(  # type: ignore[no-untyped-def]
    series, latest, client: Client
) -> None:
    for n in range(5):
        Subscriber.objects.create(
            series=series, email=f"doc{n}@example.vn", token=f"t{n}" * 10, status="active"
        )
    Subscriber.objects.create(
        series=series, email="roi@example.vn", token="r" * 20, status="unsubscribed"
    )
    Subscriber.objects.create(
        series=series, email="cho@example.vn", token="c" * 20, status="pending"
    )
    sent = services.edition_mail_send(edition_id=latest.pk, batch_size=2)
    assert sent == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"doc{n}@example.vn" for n in range(5)]
    message = mail.outbox[0]
    token = Subscriber.objects.get(email=message.to[0]).token
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://127.0.0.1:8000/ban-tin/huy-dang-ky/{token}/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert latest.url in message.body
    # Sent once: the task run again sends nothing
    assert services.edition_mail_send(edition_id=latest.pk, batch_size=2) == 0
    assert Delivery.objects.filter(edition=latest).count() == 5
    # RFC 8058: the mail client POSTs without a CSRF token, and that is enough
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(f"/ban-tin/huy-dang-ky/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get(token=token).status == Subscriber.Status.UNSUBSCRIBED


def test_unsubscribe_link_opened_only_asks(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    Subscriber.objects.create(
        series=series, email="nam@example.vn", token="n" * 20, status="active"
    )
    response = client.get(f"/ban-tin/huy-dang-ky/{'n' * 20}/")
    assert response.status_code == 200 and "<form" in response.content.decode()
    assert Subscriber.objects.get(email="nam@example.vn").status == Subscriber.Status.ACTIVE
    assert client.post(f"/ban-tin/huy-dang-ky/{'z' * 20}/").status_code == 404


def test_subscriber_who_left_comes_back_through_a_new_confirmation(  # type: ignore[no-untyped-def]
    series, client: Client, django_capture_on_commit_callbacks
) -> None:
    _subscribe(client, "sau@example.vn", django_capture_on_commit_callbacks)
    old_link = _confirm_path()
    client.get(old_link)
    subscriber = Subscriber.objects.get(email="sau@example.vn")
    old_token = subscriber.token
    client.post(f"/ban-tin/huy-dang-ky/{old_token}/")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # An old confirmation link does not bring the address back
    assert client.get(old_link).status_code == 400
    assert Subscriber.objects.get(pk=subscriber.pk).status == Subscriber.Status.UNSUBSCRIBED
    _subscribe(client, "sau@example.vn", django_capture_on_commit_callbacks)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.token != old_token
    client.get(_confirm_path())
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert Subscriber.objects.filter(email="sau@example.vn").count() == 1


def test_bad_email_gets_a_message_and_changes_nothing(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"{SERIES}dang-ky/", {"email": "khong-phai-email", "website": ""})
    assert response.status_code == 200
    assert "hợp lệ" in response.content.decode()
    assert not Subscriber.objects.filter(email="khong-phai-email").exists()
    assert len(mail.outbox) == 0


@pytest.mark.parametrize("email", ["", "không phải email", "a@b", "x" * 250 + "@example.vn"])
def test_the_service_itself_refuses_an_address_no_mail_server_takes(series, email) -> None:  # type: ignore[no-untyped-def]
    before = Subscriber.objects.count()
    with pytest.raises(services.BulletinError, match="không hợp lệ"):
        services.subscriber_subscribe(series=series, email=email)
    assert Subscriber.objects.count() == before
    assert mail.outbox == []


def test_the_form_cannot_fill_an_inbox_with_confirmations(  # type: ignore[no-untyped-def]
    series, client: Client, django_capture_on_commit_callbacks
) -> None:
    for _ in range(views.SUBSCRIBE_PER_HOUR):
        _subscribe(client, "nan-nhan@example.vn", django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    assert sent == views.SUBSCRIBE_PER_HOUR
    response = _subscribe(client, "nan-nhan@example.vn", django_capture_on_commit_callbacks)
    assert response.status_code == 429
    assert "quá nhiều yêu cầu" in response.content.decode()
    assert len(mail.outbox) == sent
