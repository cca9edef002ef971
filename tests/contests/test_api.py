"""The participant's flow through the JSON API, and every kind of bad input the issue lists:
each gets a clear Vietnamese message and changes nothing."""

import dataclasses
import datetime as dt
import json

import pytest
from captcha.models import CaptchaStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moduong.contests import paper
from moduong.contests.api import AttemptOut, OkOut, ResultOut
from moduong.contests.models import Attempt, ParticipantProfile
from moduong.contests.services import attempt_start
from moduong.contests.tickets import attempt_token
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


def post(client: Client, url: str, data: object, token: str = ""):  # type: ignore[no-untyped-def]
    headers = {"X-Attempt-Token": token} if token else {}
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def put(client: Client, url: str, data: object, token: str = ""):  # type: ignore[no-untyped-def]
    headers = {"X-Attempt-Token": token} if token else {}
    return client.put(url, json.dumps(data), content_type="application/json", headers=headers)


def answering(user, attempt, way: str) -> tuple[Client, str]:  # type: ignore[no-untyped-def]
    """How a participant answers: with the session, or with the attempt's token alone."""
    if way == "session":
        return client_for(user), ""
    return Client(), attempt_token(attempt)


WAYS = pytest.mark.parametrize("way", ["session", "token"])


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
    # Built by hand for speed: still the documented schema, and what ninja renders for the
    # same attempt (dates to the millisecond, the same token).
    AttemptOut.model_validate(body)
    rendered = client.get(f"{API}/attempts/{body['id']}").json()
    assert {**rendered, "seconds_left": 0} == {**body, "seconds_left": 0}
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


@WAYS
def test_an_answer_for_a_question_not_in_the_attempt_is_refused(started, way) -> None:  # type: ignore[no-untyped-def]
    rnd, user, attempt = started
    other = bank_add(rnd.contest, count=1, topic="Khác")[0]
    option = other.options.first()
    client, token = answering(user, attempt, way)
    before = snapshot(attempt.pk)
    response = put(
        client,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": other.pk, "option_id": option.pk},
        token=token,
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Câu hỏi này không có trong lượt thi của bạn."
    response = post(
        client,
        f"{API}/attempts/{attempt.pk}/submit",
        {"answers": [{"question_id": other.pk, "option_id": option.pk}]},
        token=token,
    )
    assert response.json()["message"] == "Câu hỏi này không có trong lượt thi của bạn."
    assert snapshot(attempt.pk) == before


@WAYS
@pytest.mark.parametrize("option_id", [0, -1, 10**30, "abc"])
def test_an_option_out_of_range_is_refused(started, option_id, way) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    qid = attempt.questions[0][0]
    client, token = answering(user, attempt, way)
    before = snapshot(attempt.pk)
    response = put(
        client,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": qid, "option_id": option_id},
        token=token,
    )
    assert response.status_code in (400, 422)
    message = response.json()["message"]
    assert message in ("Phương án này không thuộc câu hỏi.", "Tham số không hợp lệ.")
    # An option of another question of the same attempt is refused too.
    foreign = attempt.questions[1][1][0]
    response = put(
        client,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": qid, "option_id": foreign},
        token=token,
    )
    assert response.json()["message"] == "Phương án này không thuộc câu hỏi."
    assert snapshot(attempt.pk) == before


@WAYS
def test_duplicate_answers_are_refused(started, way) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    qid, order = attempt.questions[0]
    client, token = answering(user, attempt, way)
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
        token=token,
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
@WAYS
def test_a_bad_prediction_is_refused(started, prediction, message, way) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    client, token = answering(user, attempt, way)
    before = snapshot(attempt.pk)
    response = post(
        client, f"{API}/attempts/{attempt.pk}/submit", {"prediction": prediction}, token=token
    )
    assert response.status_code in (400, 422)
    assert response.json()["message"] in (message, "Tham số không hợp lệ.")
    assert snapshot(attempt.pk) == before


@WAYS
def test_a_one_megabyte_essay_is_refused(started, way) -> None:  # type: ignore[no-untyped-def]
    _rnd, user, attempt = started
    client, token = answering(user, attempt, way)
    before = snapshot(attempt.pk)
    response = post(
        client, f"{API}/attempts/{attempt.pk}/submit", {"essay": "chữ " * 250_000}, token=token
    )
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


def test_a_start_writes_one_row_and_reads_no_user_row(settings) -> None:  # type: ignore[no-untyped-def]
    """What the hot path's start costs once the round is warm: the one INSERT, which also
    checks the account (active, the session's password hash); no read of the user's row,
    nothing of the bank, the round or the contest."""
    settings.CONTESTS_START_RATE_PER_MINUTE = 6
    rnd = open_round(attempts_allowed=3)
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    first, client = client_for(participant(rnd.contest)), client_for(participant(rnd.contest))
    # The first start freezes the bank (a save of the round, which forgets its cached id);
    # after the second, the round's id and paper are cached, as all through a rush.
    assert [post(first, url, {}).status_code for _ in range(2)] == [201, 201]
    with CaptureQueriesContext(connection) as queries:
        assert post(client, url, {}).status_code == 201
    statements = [
        " ".join(q["sql"].split())[:40]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        and "django_session" not in q["sql"]  # the embedded default keeps sessions there
    ]
    assert len(statements) == 1
    # On PostgreSQL that INSERT runs inside the start's function (services.attempts).
    assert statements[0].startswith(
        ("INSERT INTO contests_attempt", "SELECT * FROM contests_attempt_start(")
    )


def _start_url(rnd) -> str:  # type: ignore[no-untyped-def]
    return f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"


@pytest.mark.parametrize("registered", [True, False])
def test_a_session_withdrawn_by_a_new_password_cannot_start(registered) -> None:  # type: ignore[no-untyped-def]
    """A new password ends the account's other sessions, as everywhere on the site: the
    start refuses it (and says nothing of the round, registered or not), leaves no attempt
    behind, and the session is over for the next request too."""
    rnd = open_round()
    user = participant(rnd.contest) if registered else UserFactory()
    stolen = client_for(user)
    user.set_password("Mot-mat-khau-moi-2026")
    user.save()
    refused = post(stolen, _start_url(rnd), {})
    assert refused.status_code == 401
    assert refused.json() == {"message": "Vui lòng đăng nhập trước."}
    assert not Attempt.objects.exists()
    assert stolen.get(f"{API}/attempts").status_code == 401
    # The owner's own login goes on.
    assert post(client_for(user), _start_url(rnd), {}).status_code == (201 if registered else 400)


@pytest.mark.parametrize("captcha", [True, False])
def test_a_withdrawn_session_does_not_use_up_its_owners_starts(settings, captcha) -> None:  # type: ignore[no-untyped-def]
    """A session that a new password withdrew is refused before anything is counted against
    the account: neither its start nor its guesses at the captcha (which leave the session
    open) take one of the owner's starts a minute."""
    settings.CONTESTS_START_CAPTCHA = captcha
    settings.CONTESTS_START_RATE_PER_MINUTE = 2
    rnd = open_round(attempts_allowed=5)
    user = participant(rnd.contest)
    stolen = client_for(user)
    user.set_password("Mot-mat-khau-moi-2026")
    user.save()
    guess = {"captcha_key": "x", "captcha_value": "1"} if captcha else {}
    refused = [post(stolen, _start_url(rnd), guess).status_code for _ in range(3)]
    assert refused == [401, 401, 401]
    assert not Attempt.objects.exists()
    owner = client_for(user)

    def answer() -> dict[str, str]:
        if not captcha:
            return {}
        key = owner.get(f"{API}/captcha").json()["key"]
        return {"captcha_key": key, "captcha_value": CaptchaStore.objects.get(hashkey=key).response}

    starts = [post(owner, _start_url(rnd), answer()).status_code for _ in range(3)]
    assert starts == [201, 201, 429]


def test_a_deactivated_account_cannot_start_with_its_open_session() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    client = client_for(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    refused = post(client, _start_url(rnd), {})
    assert refused.status_code == 401
    assert refused.json() == {"message": "Vui lòng đăng nhập trước."}
    assert not Attempt.objects.exists()


def test_a_start_without_the_csrf_token_is_refused() -> None:
    rnd = open_round()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(participant(rnd.contest))
    refused = post(browser, _start_url(rnd), {})
    assert refused.status_code == 403
    assert not Attempt.objects.exists()


def test_a_session_of_the_previous_secret_key_starts_and_is_renewed(settings) -> None:  # type: ignore[no-untyped-def]
    """A rotated SECRET_KEY (the old one in SECRET_KEY_FALLBACKS) logs nobody out, as Django's
    own login from the session: the start goes ahead and the session's hash is renewed."""
    rnd = open_round(attempts_allowed=2)
    user = participant(rnd.contest)
    client = client_for(user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert post(client, _start_url(rnd), {}).status_code == 201
    assert client.session["_auth_user_hash"] == user.get_session_auth_hash()
    settings.SECRET_KEY_FALLBACKS = []
    assert post(client, _start_url(rnd), {}).status_code == 201


def test_a_start_makes_two_redis_round_trips(settings, redis_round_trips) -> None:  # type: ignore[no-untyped-def]
    """The session, then the start limit with the round's id and the paper's version read in
    the same transaction (another process's save is still seen at the next request): two
    round trips (four before; allauth's limiter alone took four)."""
    settings.CONTESTS_START_RATE_PER_MINUTE = 6
    rnd = open_round(attempts_allowed=3)
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    first, client = client_for(participant(rnd.contest)), client_for(participant(rnd.contest))
    # The first start freezes the bank (a save of the round, which forgets its cached id);
    # after the second, the round's id and paper are cached, as all through a rush.
    assert [post(first, url, {}).status_code for _ in range(2)] == [201, 201]
    before = redis_round_trips()
    assert post(client, url, {}).status_code == 201
    assert redis_round_trips() - before == 2
    # A start at an address with no round is not counted against the person.
    missing = f"{API}/{rnd.contest.slug}/rounds/{rnd.number + 1}/attempts"
    assert [post(client, missing, {}).status_code for _ in range(6)] == [404] * 6
    assert post(client, url, {}).status_code == 201


def test_a_start_follows_another_process_save_of_the_round(settings) -> None:  # type: ignore[no-untyped-def]
    """The start reads the paper's version with its limit, for the round this process found
    last at that address: another process's save of the round is seen at the next start."""
    rnd = open_round(attempts_allowed=3, time_limit_seconds=600)
    client = client_for(participant(rnd.contest))
    first = post(client, _start_url(rnd), {}).json()
    assert 590 < first["seconds_left"] <= 600
    stale = paper._local_papers[rnd.pk]
    rnd.time_limit_seconds = 300
    rnd.save()
    # This process still holds the copy it loaded before the save (as another one would).
    paper._local_papers[rnd.pk] = stale
    second = post(client, _start_url(rnd), {}).json()
    assert 290 < second["seconds_left"] <= 300


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


def test_with_the_attempts_token_a_phone_answers_and_submits_without_its_session() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    started = post(client_for(user), f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts", {})
    assert started.status_code == 201
    token = started.json()["token"]
    assert token
    attempt = Attempt.objects.get(pk=started.json()["id"])
    right = correct_answers(attempt)
    app = Client()  # no cookie at all: the token alone
    for qid, oid in right[:2]:
        saved = put(
            app,
            f"{API}/attempts/{attempt.pk}/answers",
            {"question_id": qid, "option_id": oid},
            token,
        )
        assert saved.status_code == 200 and saved.json()["message"] == "Đã lưu"
        OkOut.model_validate(saved.json())
    assert Attempt.objects.get(pk=attempt.pk).answers.count("-") == 3
    wrong = [
        (q, next(o for o in order if o != r))
        for (q, order), (_, r) in zip(attempt.questions, right, strict=True)
    ]
    # Every question in the post: the posted choices count, two right and three wrong.
    answers = [{"question_id": q, "option_id": o} for q, o in right[:2] + wrong[2:]]
    result = post(
        app, f"{API}/attempts/{attempt.pk}/submit", {"answers": answers, "prediction": 7}, token
    )
    assert result.status_code == 200, result.content
    body = result.json()
    ResultOut.model_validate(body)  # built by hand for speed: still the documented schema
    assert (body["score"], body["total"], body["first_submission"], body["late"]) == (
        2,
        5,
        True,
        False,
    )
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.score, stored.prediction, stored.duration_ms) == (2, 7, body["duration_ms"])
    assert stored.answers.count("-") == 0
    # A retry returns the first result and changes nothing.
    again = post(
        app, f"{API}/attempts/{attempt.pk}/submit", {"answers": [], "prediction": 9}, token
    )
    assert (again.json()["score"], again.json()["first_submission"]) == (2, False)
    assert Attempt.objects.get(pk=attempt.pk).prediction == 7
    # Once submitted, the attempt no longer hands out a token, and the old one saves nothing.
    assert client_for(user).get(f"{API}/attempts/{attempt.pk}").json()["token"] == ""
    late_save = put(
        app,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": right[2][0], "option_id": right[2][1]},
        token,
    )
    assert late_save.status_code == 409
    assert late_save.json()["message"] == "Lượt thi này đã được nộp."
    assert Attempt.objects.get(pk=attempt.pk).answers == stored.answers


def test_a_submit_that_leaves_questions_out_keeps_what_was_saved_with_the_token() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    app = Client()
    for qid, oid in right[:3]:
        put(
            app,
            f"{API}/attempts/{attempt.pk}/answers",
            {"question_id": qid, "option_id": oid},
            token,
        )
    answers = [{"question_id": q, "option_id": o} for q, o in right[3:]]
    result = post(app, f"{API}/attempts/{attempt.pk}/submit", {"answers": answers}, token)
    assert result.status_code == 200
    assert result.json()["score"] == 5
    assert Attempt.objects.get(pk=attempt.pk).score == 5


def test_a_token_answers_for_its_own_attempt_only_and_a_forged_one_for_none() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    mine = attempt_start(user=user, round_id=rnd.pk)
    other = attempt_start(user=participant(rnd.contest), round_id=rnd.pk)
    token = attempt_token(mine)
    before = snapshot(other.pk)
    qid, order = other.questions[0]
    app = Client()
    response = put(
        app,
        f"{API}/attempts/{other.pk}/answers",
        {"question_id": qid, "option_id": order[0]},
        token,
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Lượt thi này không tồn tại hoặc không phải của bạn."
    response = post(app, f"{API}/attempts/{other.pk}/submit", {}, token)
    assert response.status_code == 404
    assert snapshot(other.pk) == before
    # A token changed by hand (here: made to name the other attempt) is no token at all.
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (forged, "abc", "x" * 5000):
        response = post(app, f"{API}/attempts/{mine.pk}/submit", {}, bad)
        assert response.status_code == 401
        assert response.json()["message"] == "Vui lòng đăng nhập trước."
    assert Attempt.objects.get(pk=mine.pk).submitted_at is None


def test_the_token_carries_the_draw_and_the_times_but_no_answer_key() -> None:
    from django.core import signing

    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    token = attempt_token(attempt)
    payload = signing.loads(token, salt="moduong.contests.attempt-ticket")
    assert payload[:5] == [attempt.pk, user.pk, rnd.pk, attempt.seq, attempt.questions]
    assert len(payload) == 7 and all(isinstance(t, int) for t in payload[5:])
    assert attempt.key not in json.dumps(payload[:4] + payload[5:])


@pytest.mark.parametrize(("policy", "status"), [("refuse", 409), ("cap", 200)])
def test_a_late_submit_with_the_token_is_refused_or_capped_by_the_servers_clock(
    policy, status
) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(late_policy=policy, grace_seconds=10)
    user = participant(rnd.contest)
    # Started 11 minutes ago with 10 to answer: the deadline and its grace are past.
    attempt = attempt_start(
        user=user, round_id=rnd.pk, now=timezone.now() - dt.timedelta(minutes=11)
    )
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    # Saved before the deadline: the first question, right.
    Attempt.objects.filter(pk=attempt.pk).update(answers=attempt.key[0] + "----")
    answers = [{"question_id": q, "option_id": o} for q, o in right]
    result = post(Client(), f"{API}/attempts/{attempt.pk}/submit", {"answers": answers}, token)
    assert result.status_code == status
    stored = Attempt.objects.get(pk=attempt.pk)
    if policy == "refuse":
        assert result.json()["message"] == "Đã hết giờ: không thể nộp lượt thi này nữa."
        assert stored.submitted_at is None
    else:
        # Only what was saved by the deadline counts, and the time taken is the limit.
        assert result.json()["late"] is True and stored.late
        assert (stored.answers, stored.score) == (attempt.key[0] + "----", 1)
        assert stored.duration_ms == 600_000


def _every_answer(right):  # type: ignore[no-untyped-def]
    return [{"question_id": q, "option_id": o} for q, o in right]


@pytest.mark.parametrize(
    "defect",
    ["duplicate", "foreign_option", "foreign_question", "essay", "prediction"],
)
def test_a_post_answering_every_question_with_one_defect_is_refused_with_the_token(
    started, defect
) -> None:  # type: ignore[no-untyped-def]
    """The token's own path sees every question answered and checks the post itself; each
    defect must still get the session's refusal, and change nothing."""
    rnd, _user, attempt = started
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    answers = _every_answer(right)
    body: dict[str, object] = {"answers": answers}
    if defect == "duplicate":  # the first question twice, the last one left out
        answers[-1] = dict(answers[0])
        message = "Một câu hỏi được trả lời hai lần."
    elif defect == "foreign_option":
        answers[0]["option_id"] = attempt.questions[1][1][0]
        message = "Phương án này không thuộc câu hỏi."
    elif defect == "foreign_question":
        other = bank_add(rnd.contest, count=1, topic="Khác")[0]
        answers[-1] = {"question_id": other.pk, "option_id": other.options.first().pk}
        message = "Câu hỏi này không có trong lượt thi của bạn."
    elif defect == "essay":
        body["essay"] = "a" * 1001
        message = "Bài tự luận dài tối đa 1.000 ký tự; bài của bạn có 1.001 ký tự."
    else:
        body["prediction"] = "abc"
        message = "Dự đoán phải là một số nguyên, ví dụ 125.000."
    before = snapshot(attempt.pk)
    response = post(Client(), f"{API}/attempts/{attempt.pk}/submit", body, token)
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert snapshot(attempt.pk) == before


def test_with_the_token_a_save_and_a_whole_submit_are_one_statement_each(
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)  # the paper is now in this process
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    app = Client()
    with django_assert_num_queries(1):
        saved = put(
            app,
            f"{API}/attempts/{attempt.pk}/answers",
            {"question_id": right[0][0], "option_id": right[0][1]},
            token,
        )
    assert saved.status_code == 200
    with django_assert_num_queries(1):
        result = post(
            app,
            f"{API}/attempts/{attempt.pk}/submit",
            {"answers": _every_answer(right)},
            token,
        )
    assert result.json()["score"] == 5


def test_a_token_stops_answering_once_its_owners_account_is_deactivated() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    user.is_active = False
    user.save(update_fields=["is_active"])
    before = snapshot(attempt.pk)
    app = Client()
    saved = put(
        app,
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": right[0][0], "option_id": right[0][1]},
        token,
    )
    submitted = post(
        app,
        f"{API}/attempts/{attempt.pk}/submit",
        {"answers": _every_answer(right)},
        token,
    )
    assert (saved.status_code, submitted.status_code) == (404, 404)
    assert snapshot(attempt.pk) == before


def test_a_late_save_with_the_token_is_refused() -> None:
    rnd = open_round(grace_seconds=10)
    user = participant(rnd.contest)
    attempt = attempt_start(
        user=user, round_id=rnd.pk, now=timezone.now() - dt.timedelta(minutes=11)
    )
    token = attempt_token(attempt)
    qid, order = attempt.questions[0]
    response = put(
        Client(),
        f"{API}/attempts/{attempt.pk}/answers",
        {"question_id": qid, "option_id": order[0]},
        token,
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Đã hết giờ: không thể thay đổi câu trả lời nữa."
    assert Attempt.objects.get(pk=attempt.pk).answers == "-----"


def test_a_stale_copy_of_the_paper_in_the_process_costs_a_read_not_a_wrong_score() -> None:
    """The token's path scores from this process's copy of the round's paper; a copy that is
    not the one the attempt was drawn from (here: one with no questions) must not decide."""
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    real = paper.round_paper_load(round_id=rnd.pk)
    empty = dataclasses.replace(real, questions={}, by_topic={})
    paper._local_papers[rnd.pk] = (paper.round_paper_version(round_id=rnd.pk), empty)
    try:
        result = post(
            Client(),
            f"{API}/attempts/{attempt.pk}/submit",
            {"answers": _every_answer(right)},
            token,
        )
    finally:
        paper.round_paper_forget(round_id=rnd.pk)
    assert result.status_code == 200, result.content
    assert result.json()["score"] == 5
    assert Attempt.objects.get(pk=attempt.pk).score == 5


def test_a_whole_submit_with_the_token_makes_no_redis_round_trip(redis_round_trips) -> None:  # type: ignore[no-untyped-def]
    """The process's copy of the paper is used without asking the cache for its version: the
    closing statement reads what a save could have changed from the round's row."""
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)  # the paper is now in this process
    token = attempt_token(attempt)
    before = redis_round_trips()
    result = post(
        Client(),
        f"{API}/attempts/{attempt.pk}/submit",
        {"answers": _every_answer(correct_answers(attempt))},
        token,
    )
    assert (result.status_code, redis_round_trips() - before) == (200, 0)
    assert Attempt.objects.get(pk=attempt.pk).score == 5


@pytest.mark.parametrize(
    ("change", "status"),
    [("grace_shorter", 409), ("grace_longer", 200), ("essay_shorter", 400), ("essay_longer", 200)],
)
def test_a_submit_with_the_token_follows_another_process_save_of_the_round(change, status) -> None:  # type: ignore[no-untyped-def]
    """This process still holds its copy of the paper from before another process saved the
    round (no cache round trip checks it at the submit): the submit decides by the round as
    saved, both ways."""
    grace, limit = {
        "grace_shorter": (10, 3000),
        "grace_longer": (0, 3000),
        "essay_shorter": (10, 3000),
        "essay_longer": (10, 100),
    }[change]
    rnd = open_round(
        late_policy="refuse", grace_seconds=grace, time_limit_seconds=60, essay_max_chars=limit
    )
    user = participant(rnd.contest)
    # Five seconds past its deadline: within a grace of 10, not of 0.
    attempt = attempt_start(
        user=user, round_id=rnd.pk, now=timezone.now() - dt.timedelta(seconds=65)
    )
    token = attempt_token(attempt)
    stale = paper._local_papers[rnd.pk]
    if change == "grace_shorter":
        rnd.grace_seconds = 0
    elif change == "grace_longer":
        rnd.grace_seconds = 10
    elif change == "essay_shorter":
        rnd.essay_max_chars = 100
    else:
        rnd.essay_max_chars = 3000
    rnd.save()
    paper._local_papers[rnd.pk] = stale  # as another process would still hold it
    body = {"answers": _every_answer(correct_answers(attempt)), "essay": "a" * 200}
    result = post(Client(), f"{API}/attempts/{attempt.pk}/submit", body, token)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert result.status_code == status, result.content
    # The next submits in this process use the round as saved: the stale copy was replaced.
    assert paper._local_papers[rnd.pk][0] == paper.round_paper_version(round_id=rnd.pk)
    if status == 200:
        assert (result.json()["score"], stored.score, stored.late) == (5, 5, False)
    else:
        assert stored.submitted_at is None
        assert (
            result.json()["message"]
            == {
                "grace_shorter": "Đã hết giờ: không thể nộp lượt thi này nữa.",
                "essay_shorter": "Bài tự luận dài tối đa 100 ký tự; bài của bạn có 200 ký tự.",
            }[change]
        )


def test_a_captcha_is_used_up_by_a_wrong_answer(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_CAPTCHA = True
    settings.CONTESTS_START_RATE_PER_MINUTE = 100
    rnd = open_round()
    client = client_for(participant(rnd.contest))
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    key = client.get(f"{API}/captcha").json()["key"]
    right = CaptchaStore.objects.get(hashkey=key).response
    wrong = "0" * len(right)
    assert post(client, url, {"captcha_key": key, "captcha_value": wrong}).status_code == 400
    # The right answer, after one wrong guess on the same challenge, is too late.
    response = post(client, url, {"captcha_key": key, "captcha_value": right})
    assert response.status_code == 400
    assert not Attempt.objects.exists()
    fresh = client.get(f"{API}/captcha").json()["key"]
    answer = CaptchaStore.objects.get(hashkey=fresh).response
    assert post(client, url, {"captcha_key": fresh, "captcha_value": answer}).status_code == 201


def test_captcha_guesses_count_against_the_start_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_CAPTCHA = True
    settings.CONTESTS_START_RATE_PER_MINUTE = 3
    rnd = open_round()
    client = client_for(participant(rnd.contest))
    url = f"{API}/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    codes = []
    for guess in range(5):
        key = client.get(f"{API}/captcha").json()["key"]
        codes.append(
            post(client, url, {"captcha_key": key, "captcha_value": f"{guess}"}).status_code
        )
    assert codes == [400, 400, 400, 429, 429]
    page = client.post(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/", {})
    assert page.status_code == 429
