"""The participant's pages: register once, start, answer (saved as chosen, or all at once
without JavaScript), submit, result, own attempts, certificate."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moduong.contests.models import Attempt, Option, ParticipantProfile
from moduong.contests.services import attempt_start, round_paper_load
from moduong.units.models import Commune, Province
from tests.factories import UserFactory

from .factories import ContestFactory, client_for, correct_answers, open_round, participant

pytestmark = pytest.mark.django_db


def test_registration_asks_province_then_its_communes_without_javascript(site) -> None:  # type: ignore[no-untyped-def]
    contest = ContestFactory(require_province=True)
    client = client_for(UserFactory())
    url = f"/cuoc-thi/{contest.slug}/dang-ky/"
    page = client.get(url).content.decode()
    assert page.count('<option value="') >= 34  # the provinces, no commune yet
    assert "Chọn tỉnh trước" in page
    unit = re.search(r'<select name="unit".*?</select>', page, re.S).group(0)
    assert "---------" not in unit and ">— Chọn đơn vị —</option>" in unit
    hue = Province.objects.get(name="Thành phố Huế")
    data = {
        "full_name": "Phạm Thị Hoa",
        "date_of_birth": "1990-05-01",
        "phone": "0912345678",
        "province": hue.pk,
        "consent": "on",
    }
    second = client.post(url, data)
    assert second.status_code == 200
    text = second.content.decode()
    assert "Vui lòng điền mục này." in text
    text = re.search(r'<select name="commune".*?</select>', text, re.S).group(0)
    commune = Commune.objects.filter(province=hue).first()
    assert f'value="{commune.pk}"' in text
    elsewhere = Commune.objects.exclude(province=hue).first()
    assert f'value="{elsewhere.pk}"' not in text
    refused = client.post(url, {**data, "commune": elsewhere.pk})
    assert "Vui lòng chọn xã, phường thuộc tỉnh đã chọn." in refused.content.decode()
    assert not ParticipantProfile.objects.exists()
    done = client.post(url, {**data, "commune": commune.pk})
    assert done.status_code == 302
    profile = ParticipantProfile.objects.get()
    assert (profile.province, profile.commune) == (hue, commune)


def test_a_whole_attempt_through_the_pages(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(prediction_question="Dự đoán có bao nhiêu người tham gia tuần này?")
    user = participant(rnd.contest)
    client = client_for(user)
    detail = client.get(f"/cuoc-thi/{rnd.contest.slug}/").content.decode()
    assert "Vào thi" in detail
    started = client.post(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/")
    assert started.status_code == 302
    attempt = Attempt.objects.get(user=user)
    assert started["Location"] == f"/cuoc-thi/bai-thi/{attempt.pk}/"

    round_paper_load(round_id=rnd.pk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(started["Location"])
    assert page.status_code == 200
    assert len(queries) <= 4, [q["sql"] for q in queries]  # session user, attempt (+ savepoints)
    html = page.content.decode()
    # Nothing in the page tells the right option from the others.
    assert "Đúng" in html  # the options' texts are shown…
    assert "is_correct" not in html and "correct" not in html.replace("is-correct", "")
    assert len(re.findall(r'type="radio"', html)) == 20
    assert 'role="timer"' in html

    right = correct_answers(attempt)
    # One answer saved as chosen, as the page's script does: to the API, with the token the
    # page carries and nothing else.
    form_tag = re.search(r'<form class="attempt-form"[^>]*>', html).group(0)
    url = re.search(r'data-answer-url="([^"]+)"', form_tag).group(1)
    token = re.search(r'data-token="([^"]+)"', form_tag).group(1)
    saved = Client().put(
        url,
        json.dumps({"question_id": right[0][0], "option_id": right[0][1]}),
        content_type="application/json",
        headers={"X-Attempt-Token": token},
    )
    assert saved.json() == {"message": "Đã lưu"}
    # …and the rest without JavaScript: the whole form with the "save" button.
    form = {f"q{q}": o for q, o in right[1:3]}
    saved_all = client.post(f"/cuoc-thi/bai-thi/{attempt.pk}/", {**form, "action": "save"})
    assert saved_all.status_code == 302
    again = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/").content.decode()
    assert again.count(" checked") == 3
    # A reload lost nothing; submit with one more answer and a prediction.
    submitted = client.post(
        f"/cuoc-thi/bai-thi/{attempt.pk}/",
        {f"q{right[3][0]}": right[3][1], "prediction": "2.500", "action": "submit"},
    )
    assert submitted.status_code == 302
    result = client.get(submitted["Location"]).content.decode()
    assert "Bạn trả lời đúng 4/5 câu." in result
    assert "Đáp án được công bố sau khi vòng thi kết thúc" in result
    assert "✔" not in result
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.score, stored.prediction) == (4, 2500)
    # Submitting again from a stale tab shows the first result.
    stale = client.post(
        f"/cuoc-thi/bai-thi/{attempt.pk}/", {**{f"q{q}": o for q, o in right}, "action": "submit"}
    )
    assert stale["Location"] == f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/"
    assert Attempt.objects.get(pk=attempt.pk).score == 4
    mine = client.get(f"/cuoc-thi/{rnd.contest.slug}/bai-thi-cua-toi/").content.decode()
    assert "Kết quả" in mine
    certificate = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/chung-nhan.pdf")
    assert certificate["Content-Type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")
    assert "private" in certificate["Cache-Control"]  # a name: never kept by a shared cache
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(certificate.content)).pages[0].extract_text()
    profile = attempt.round.contest.participants.get(user=attempt.user)
    assert profile.full_name in text and rnd.contest.title in text  # every Vietnamese letter


def test_results_show_the_answers_only_after_the_round_closes(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(reveal_answers=True)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    client = client_for(user)
    client.post(f"/cuoc-thi/bai-thi/{attempt.pk}/", {"action": "submit"})
    assert "✔" not in client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    # Closed, but within the grace seconds another attempt of the same person whose deadline
    # is the close may still be submitted: the key stays hidden until the grace is over.
    rnd.closes_at = timezone.now() - dt.timedelta(seconds=1)
    rnd.opens_at = timezone.now() - dt.timedelta(days=1)
    rnd.grace_seconds = 10
    rnd.save()
    hidden = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    assert "✔" not in hidden and "is-correct" not in hidden
    rnd.closes_at = timezone.now() - dt.timedelta(seconds=11)
    rnd.save()
    shown = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/").content.decode()
    assert shown.count("✔") == 5
    rnd.reveal_answers = False
    rnd.save()
    assert "✔" not in client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/").content.decode()


def test_the_prediction_is_saved_as_typed_and_kept_on_reload(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(prediction_question="Dự đoán có bao nhiêu người tham gia?")
    user = participant(rnd.contest)
    client = client_for(user)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    url = f"/cuoc-thi/bai-thi/{attempt.pk}/"
    form_tag = re.search(r'<form class="attempt-form"[^>]*>', client.get(url).content.decode())
    save_url = re.search(r'data-prediction-url="([^"]+)"', form_tag.group(0)).group(1)
    token = re.search(r'data-token="([^"]+)"', form_tag.group(0)).group(1)
    # As the page's script saves it: the API, with the attempt's token and nothing else.
    saved = Client().put(
        save_url,
        json.dumps({"prediction": "12.345"}),
        content_type="application/json",
        headers={"X-Attempt-Token": token},
    )
    assert saved.json() == {"message": "Đã lưu"}
    assert 'value="12.345"' in client.get(url).content.decode()
    refused = Client().put(
        save_url,
        json.dumps({"prediction": "nhiều"}),
        content_type="application/json",
        headers={"X-Attempt-Token": token},
    )
    assert refused.status_code == 400 and "số nguyên" in refused.json()["message"]
    assert Attempt.objects.get(pk=attempt.pk).prediction == 12345
    # Without JavaScript, "save my answers" keeps it too.
    client.post(url, {"prediction": "2.500", "action": "save"})
    assert 'value="2.500"' in client.get(url).content.decode()
    assert Attempt.objects.get(pk=attempt.pk).prediction == 2500
    # Another person's client cannot save into it.
    stranger = client_for(participant(rnd.contest))
    other = stranger.put(save_url, json.dumps({"prediction": 1}), content_type="application/json")
    assert other.status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).prediction == 2500


def test_the_start_captcha_switches_to_words_without_javascript(site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_CAPTCHA = True
    rnd = open_round()
    client = client_for(participant(rnd.contest))
    url = f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/"
    assert "<img" in client.get(url).content.decode()
    switched = client.post(url, {"captcha_0": "x", "captcha_1": "", "captcha_switch": "chu"})
    assert switched.status_code == 200
    html = switched.content.decode()
    assert "Gõ năm chữ số sau:" in html and "errorlist" not in html
    assert not Attempt.objects.exists()


def test_anonymous_readers_are_sent_to_log_in(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    client = Client()
    detail = client.get(f"/cuoc-thi/{rnd.contest.slug}/").content.decode()
    assert "Đăng nhập để dự thi" in detail
    start = client.post(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/")
    assert start.status_code == 302 and "/tai-khoan/login/" in start["Location"]
    assert client.get("/cuoc-thi/khong-co/").status_code == 404
    assert not Attempt.objects.exists()


def test_an_attempt_after_the_time_limit_shows_why(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(late_policy="refuse", time_limit_seconds=60)
    user = participant(rnd.contest)
    attempt = attempt_start(
        user=user, round_id=rnd.pk, now=timezone.now() - dt.timedelta(minutes=5)
    )
    right = correct_answers(attempt)
    client = client_for(user)
    response = client.post(
        f"/cuoc-thi/bai-thi/{attempt.pk}/", {f"q{right[0][0]}": right[0][1], "action": "submit"}
    )
    assert response.status_code == 400
    assert "Đã hết giờ: không thể nộp lượt thi này nữa." in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
    page = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/").content.decode()
    token = re.search(r'data-token="([^"]+)"', page).group(1)
    saved = Client().put(
        f"/api/v1/contests/attempts/{attempt.pk}/answers",
        json.dumps({"question_id": right[0][0], "option_id": right[0][1]}),
        content_type="application/json",
        headers={"X-Attempt-Token": token},
    )
    assert saved.status_code == 409
    assert saved.json()["message"] == "Đã hết giờ: không thể thay đổi câu trả lời nữa."
    assert Option.objects.exists()


def test_bad_ids_and_head_requests_get_a_page_not_an_error(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    owner = participant(rnd.contest)
    attempt = attempt_start(user=owner, round_id=rnd.pk)
    client = client_for(participant(rnd.contest))
    slug, huge = rnd.contest.slug, 2**64
    missing = [
        f"/cuoc-thi/bai-thi/{huge}/",
        f"/cuoc-thi/bai-thi/{huge}/ket-qua/",
        f"/cuoc-thi/bai-thi/{huge}/chung-nhan.pdf",
        f"/cuoc-thi/{slug}/vong-{huge}/bat-dau/",
        f"/cuoc-thi/{slug}/vong-{huge}/giai-thuong/",
        # someone else's attempt is not found either, whatever the method
        f"/cuoc-thi/bai-thi/{attempt.pk}/",
        f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/",
        f"/cuoc-thi/bai-thi/{attempt.pk}/chung-nhan.pdf",
    ]
    for url in missing:
        assert client.get(url).status_code == 404, url
        assert client.head(url).status_code == 404, url
    for url in (
        f"/cuoc-thi/{slug}/",
        f"/cuoc-thi/{slug}/?trang=x",
        f"/cuoc-thi/{slug}/bai-thi-cua-toi/?trang=x",
        f"/cuoc-thi/{slug}/vong-{rnd.number}/bat-dau/",
        f"/cuoc-thi/{slug}/dang-ky/",
    ):
        assert client.head(url).status_code in (200, 302), url
    assert client_for(owner).head(f"/cuoc-thi/bai-thi/{attempt.pk}/").status_code == 200
    refused = client.put(
        f"/api/v1/contests/attempts/{attempt.pk}/answers",
        json.dumps({"question_id": huge, "option_id": huge}),
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert refused.json()["message"] == "Lượt thi này không tồn tại hoặc không phải của bạn."
    assert Attempt.objects.get(pk=attempt.pk).answers == "-----"
