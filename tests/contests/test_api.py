"""The participant's flow through the JSON API, and every kind of bad input the issue lists:
each gets a clear Vietnamese message and changes nothing."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from moduong.contests.models import Attempt, ParticipantProfile
from moduong.contests.services import attempt_start
from tests.factories import UserFactory

from .factories import (
    ContestFactory,
    RoundFactory,
    bank_add,
    client_for,
    correct_answers,
    open_round,
    participant,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/contests"


def post(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json")


def put(client: Client, url: str, data: object):  # type: ignore[no-untyped-def]
    return client.put(url, json.dumps(data), content_type="application/json")


def snapshot(attempt_id: int) -> tuple:
    a = Attempt.objects.get(pk=attempt_id)
    return (a.answers, a.submitted_at, a.score, a.prediction, a.essay)


def test_the_whole_flow_through_the_api_never_shows_an_answer_before_closing() -> None:
    rnd = open_round(reveal_answers=True, prediction_question="Dự đoán có bao nhiêu người dự thi?")
    user = UserFactory()
    client = client_for(user)
    registered = post(
        client,
        f"{API}/{rnd.contest.slug}/registration",
        {
            "full_name": "Trần Thị Bình",
            "date_of_birth": "30/01/1995",
            "phone": "0912 345 678",
            "consent": True,
        },
    )
    assert registered.status_code == 200, registered.content
    profile = ParticipantProfile.objects.get(user=user)
    assert (profile.full_name, profile.phone) == ("Trần Thị Bình", "0912345678")

    started = post(client, f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts", {})
    assert started.status_code == 201, started.content
    body = started.json()
    assert len(body["questions"]) == 5
    assert body["seconds_left"] > 590
    assert all(o["correct"] is None for q in body["questions"] for o in q["options"])
    assert "is_correct" not in started.content.decode()
    attempt = Attempt.objects.get(pk=body["id"])
    right = correct_answers(attempt)
    for qid, oid in right[:4]:
        saved = put(
            client, f"{API}/attempts/{attempt.pk}/answers", {"question_id": qid, "option_id": oid}
        )
        assert saved.status_code == 200 and saved.json()["message"] == "Đã lưu"
    again = client.get(f"{API}/attempts/{attempt.pk}").json()
    assert sum(o["chosen"] for q in again["questions"] for o in q["options"]) == 4
    assert all(o["correct"] is None for q in again["questions"] for o in q["options"])

    result = post(client, f"{API}/attempts/{attempt.pk}/submit", {"prediction": "12.500"})
    assert result.status_code == 200
    assert (result.json()["score"], result.json()["first_submission"]) == (4, True)
    # Submitted, but the round is still open: still no correct answer anywhere.
    after = client.get(f"{API}/attempts/{attempt.pk}")
    assert after.json()["answers_shown"] is False
    assert all(o["correct"] is None for q in after.json()["questions"] for o in q["options"])
    mine = client.get(f"{API}/attempts").json()
    assert [(a["id"], a["score"]) for a in mine] == [(attempt.pk, 4)]

    # After the round closes the answers are shown.
    rnd.opens_at = timezone.now() - dt.timedelta(days=3)
    rnd.closes_at = timezone.now() - dt.timedelta(minutes=1)
    rnd.save()
    closed = client.get(f"{API}/attempts/{attempt.pk}").json()
    assert closed["answers_shown"] is True
    assert sum(o["correct"] is True for q in closed["questions"] for o in q["options"]) == 5


def test_the_api_is_in_the_openapi_schema() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert "/api/v1/contests/{slug}/rounds/{number}/attempts" in paths
    assert "/api/v1/contests/attempts/{attempt_id}/submit" in paths
    assert "/api/v1/contests/attempts/{attempt_id}/answers" in paths


@pytest.fixture
def started():  # type: ignore[no-untyped-def]
    rnd = open_round(essay_prompt="Viết cảm nghĩ của bạn.", essay_max_chars=1000)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    return rnd, user, attempt


def test_an_answer_for_a_question_not_in_the_attempt_is_refused(started) -> None:  # type: ignore[no-untyped-def]
    rnd, user, attempt = started
    other = bank_add(rnd.contest, count=1, topic="Khác")[0]
    option = other.options.first()
    client = client_for(user)
    before = snapshot(attempt.pk)
    response = put(
        client,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": other.pk, "option_id": option.pk},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Câu hỏi này không có trong lượt thi của bạn."
    response = post(
        client,
        f"{API}/attempts/{attempt.pk}/submit",
        {"answers": [{"question_id": other.pk, "option_id": option.pk}]},
    )
    assert response.json()["message"] == "Câu hỏi này không có trong lượt thi của bạn."
    assert snapshot(attempt.pk) == before


@pytest.mark.parametrize("option_id", [0, -1, 10**30, "abc"])
def test_an_option_out_of_range_is_refused(started, option_id) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    qid = attempt.questions[0][0]
    client = client_for(user)
    before = snapshot(attempt.pk)
    response = put(
        client, f"{API}/attempts/{attempt.pk}/answers", {"question_id": qid, "option_id": option_id}
    )
    assert response.status_code in (400, 422)
    message = response.json()["message"]
    assert message in ("Phương án này không thuộc câu hỏi.", "Tham số không hợp lệ.")
    # An option of another question of the same attempt is refused too.
    foreign = attempt.questions[1][1][0]
    response = put(
        client, f"{API}/attempts/{attempt.pk}/answers", {"question_id": qid, "option_id": foreign}
    )
    assert response.json()["message"] == "Phương án này không thuộc câu hỏi."
    assert snapshot(attempt.pk) == before


def test_duplicate_answers_are_refused(started) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    qid, order = attempt.questions[0]
    client = client_for(user)
    before = snapshot(attempt.pk)
    response = post(
        client,
        f"{API}/attempts/{attempt.pk}/submit",
        {
            "answers": [
                {"question_id": qid, "option_id": order[0]},
                {"question_id": qid, "option_id": order[1]},
            ]
        },
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Một câu hỏi được trả lời hai lần."
    assert snapshot(attempt.pk) == before


@pytest.mark.parametrize(
    ("prediction", "message"),
    [
        (-1, "Dự đoán phải từ 0 đến 1.000.000.000.000."),
        (10**30, "Dự đoán phải từ 0 đến 1.000.000.000.000."),
        ("1000000000000000000000000000000", "Dự đoán phải từ 0 đến 1.000.000.000.000."),
        ("abc", "Dự đoán phải là một số nguyên, ví dụ 125.000."),
        ("-1", "Dự đoán phải là một số nguyên, ví dụ 125.000."),
        ("1e5", "Dự đoán phải là một số nguyên, ví dụ 125.000."),
        ("١٢٣", "Dự đoán phải là một số nguyên, ví dụ 125.000."),
    ],
)
def test_a_bad_prediction_is_refused(started, prediction, message) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    client = client_for(user)
    before = snapshot(attempt.pk)
    response = post(client, f"{API}/attempts/{attempt.pk}/submit", {"prediction": prediction})
    assert response.status_code in (400, 422)
    assert response.json()["message"] in (message, "Tham số không hợp lệ.")
    assert snapshot(attempt.pk) == before


def test_a_one_megabyte_essay_is_refused(started) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    client = client_for(user)
    before = snapshot(attempt.pk)
    response = post(client, f"{API}/attempts/{attempt.pk}/submit", {"essay": "chữ " * 250_000})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Bài tự luận dài tối đa 1.000 ký tự; bài của bạn có 999.999 ký tự."
    )
    assert snapshot(attempt.pk) == before
    # Through the page too.
    page = client_for(user).post(
        f"/cuoc-thi/bai-thi/{attempt.pk}/", {"action": "submit", "essay": "a" * 1_000_000}
    )
    assert page.status_code == 400
    assert "Vui lòng kiểm tra lại dự đoán và bài tự luận." in page.content.decode()
    assert snapshot(attempt.pk) == before


def test_someone_elses_attempt_cannot_be_seen_saved_or_submitted(started) -> None:  # type: ignore[no-untyped-def]
    rnd, _user, attempt = started
    intruder = client_for(participant(rnd.contest))
    before = snapshot(attempt.pk)
    qid, order = attempt.questions[0]
    assert intruder.get(f"{API}/attempts/{attempt.pk}").status_code == 404
    response = put(
        intruder,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": qid, "option_id": order[0]},
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Lượt thi này không tồn tại hoặc không phải của bạn."
    response = post(intruder, f"{API}/attempts/{attempt.pk}/submit", {})
    assert response.status_code == 404
    assert intruder.get(f"/cuoc-thi/bai-thi/{attempt.pk}/").status_code == 404
    assert (
        intruder.post(f"/cuoc-thi/bai-thi/{attempt.pk}/", {"action": "submit"}).status_code == 404
    )
    assert (
        intruder.post(
            f"/cuoc-thi/bai-thi/{attempt.pk}/tra-loi/", {"question": qid, "option": order[0]}
        ).status_code
        == 404
    )
    assert snapshot(attempt.pk) == before


def test_starts_before_opening_and_after_closing_are_refused() -> None:
    contest = ContestFactory()
    early = RoundFactory(contest=contest, opens_at=timezone.now() + dt.timedelta(hours=2))
    late = RoundFactory(
        contest=contest,
        opens_at=timezone.now() - dt.timedelta(days=2),
        closes_at=timezone.now() - dt.timedelta(seconds=1),
    )
    bank_add(contest)
    client = client_for(participant(contest))
    response = post(client, f"{API}/{contest.slug}/rounds/{early.number}/attempts", {})
    assert response.status_code == 400
    assert response.json()["message"].startswith("Vòng thi này mở lúc ")
    response = post(client, f"{API}/{contest.slug}/rounds/{late.number}/attempts", {})
    assert response.json()["message"] == "Vòng thi này đã kết thúc."
    page = client.post(f"/cuoc-thi/{contest.slug}/vong-{late.number}/bat-dau/")
    assert "Vòng thi này đã kết thúc." in page.content.decode()
    assert not Attempt.objects.exists()


def test_the_captcha_is_required_to_start(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_CAPTCHA = True
    rnd = open_round()
    client = client_for(participant(rnd.contest))
    response = post(
        client,
        f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts",
        {"captcha_key": "x", "captcha_value": "1"},
    )
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "Mã xác nhận không đúng hoặc đã hết hạn. Vui lòng nhập mã mới."
    )
    page = client.post(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/", {})
    assert "Vui lòng nhập mã xác nhận." in page.content.decode()
    assert not Attempt.objects.exists()


def test_starts_are_rate_limited(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_RATE_PER_MINUTE = 2
    rnd = open_round(attempts_allowed=5)
    client = client_for(participant(rnd.contest))
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    assert [post(client, url, {}).status_code for _ in range(3)] == [201, 201, 429]
    assert Attempt.objects.count() == 2


def test_registration_checks_its_fields() -> None:
    contest = ContestFactory(ask_id_number=True, min_age=16)
    client = client_for(UserFactory())
    url = f"{API}/{contest.slug}/registration"
    cases = [
        (
            {"full_name": "An", "phone": "0912345678", "date_of_birth": "01/01/1990"},
            "Để dự thi, vui lòng đồng ý cho xử lý dữ liệu cá nhân của bạn.",
        ),
        (
            {"full_name": "An", "phone": "12", "date_of_birth": "01/01/1990", "consent": True},
            "Số điện thoại: Vui lòng nhập số điện thoại Việt Nam, ví dụ 0912 345 678.",
        ),
        (
            {
                "full_name": "An",
                "phone": "0912345678",
                "date_of_birth": "31/02/1990",
                "consent": True,
            },
            "Ngày sinh: Vui lòng nhập ngày theo dạng 30/01/1990.",
        ),
        (
            {
                "full_name": "An",
                "phone": "0912345678",
                "date_of_birth": "01/01/1990",
                "id_number": "12345",
                "consent": True,
            },
            "Số CCCD/CMND (không bắt buộc): Số định danh gồm 12 chữ số (căn cước công dân)"
            " hoặc 9 chữ số (chứng minh nhân dân cũ).",
        ),
        (
            {
                "full_name": "An",
                "phone": "0912345678",
                "date_of_birth": timezone.localdate()
                .replace(year=timezone.localdate().year - 10)
                .strftime("%d/%m/%Y"),
                "consent": True,
            },
            "Cuộc thi dành cho người từ 16 tuổi trở lên.",
        ),
    ]
    for data, message in cases:
        response = post(client, url, data)
        assert response.status_code == 400, data
        assert response.json()["message"] == message
    assert not ParticipantProfile.objects.exists()
    ok = post(
        client,
        url,
        {
            "full_name": "Lê An",
            "phone": "0912345678",
            "date_of_birth": "01/01/1990",
            "id_number": "001090012345",
            "consent": True,
        },
    )
    assert ok.status_code == 200
    assert ParticipantProfile.objects.get().id_number == "001090012345"


def test_communes_of_a_province_are_listed() -> None:
    from moduong.units.models import Commune, Province

    hue = Province.objects.get(name="Thành phố Huế")
    listed = Client().get(f"{API}/communes", {"province": hue.pk}).json()
    assert len(listed) == Commune.objects.filter(province=hue).count() > 10
    assert Client().get(f"{API}/communes", {"province": 10**9}).status_code == 404
    assert Client().get(f"{API}/communes", {"province": "abc"}).status_code == 422


def test_an_unpublished_contest_cannot_be_started_even_after_being_looked_up() -> None:
    rnd = open_round()
    client = client_for(participant(rnd.contest))
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    assert post(client, url, {}).status_code == 201
    rnd.contest.is_published = False
    rnd.contest.save()
    response = post(client, url, {})
    assert response.status_code == 404
    assert response.json()["message"] == "Vòng thi này không tồn tại."
    assert post(client, f"{API}/{rnd.contest.slug}/rounds/99/attempts", {}).status_code == 404
    assert Attempt.objects.filter(round=rnd).count() == 1
