"""Fair winners: the disqualification log, the bank's freeze, the limit on prizes per person,
the suspicious-attempts report and the statistics (issue 16)."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from moduong.contests import paper, selectors
from moduong.contests.models import (
    Attempt,
    Disqualification,
    ParticipantProfile,
    PlaceHeadcount,
    Question,
    Round,
    Suspicion,
    TopicQuota,
)
from moduong.contests.services import (
    ContestError,
    attempt_start,
    attempt_submit,
    disqualification_lift,
    participant_disqualify,
    round_bank_freeze,
    round_paper_load,
    round_results_compute,
    suspicion_decide,
)
from moduong.units.models import Commune, Province
from tests.factories import UserFactory

from .factories import RoundFactory, bank_add, correct_answers, open_round, participant
from .test_ranking import add, closed_round, positions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():  # type: ignore[no-untyped-def]
    user = UserFactory(username="canbo")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    return user


@pytest.fixture
def staff(staff_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff_user)
    return client


# --- The disqualification log ----------------------------------------------------------------


def test_the_log_only_grows_and_the_winners_follow_each_entry(
    django_capture_on_commit_callbacks, staff_user
) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round(prize_count=1)
    a, b = participant(rnd.contest), participant(rnd.contest)
    a1 = add(rnd, a, 1, 5, 100, None, at=1)
    b1 = add(rnd, b, 1, 3, 100, None, at=2)
    round_results_compute(round_id=rnd.pk)
    assert [p for _, p in positions(rnd)] == [a1.pk, b1.pk]
    with django_capture_on_commit_callbacks(execute=True):  # the re-rank runs at once
        entry = participant_disqualify(round=rnd, user=a, reason="Thi hộ", decided_by=staff_user)
    assert [p for _, p in positions(rnd)] == [b1.pk]
    assert [w.score for w in selectors.winners(round=rnd)] == [3]
    with pytest.raises(ContestError, match="đã bị loại khỏi xếp hạng"):
        participant_disqualify(round=rnd, user=a, reason="Lần nữa", decided_by=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lift = disqualification_lift(
            disqualification_id=entry.pk, reason="Đã xác minh", decided_by=staff_user
        )
    assert [p for _, p in positions(rnd)] == [a1.pk, b1.pk]
    assert [w.score for w in selectors.winners(round=rnd)] == [5]
    with pytest.raises(ContestError, match="đã được khôi phục"):
        disqualification_lift(disqualification_id=entry.pk, reason="x", decided_by=staff_user)
    with pytest.raises(ContestError, match="lý do"):
        disqualification_lift(disqualification_id=entry.pk, reason=" ", decided_by=staff_user)
    log = list(Disqualification.objects.order_by("id").values_list("action", "reason"))
    assert log == [("disqualify", "Thi hộ"), ("lift", "Đã xác minh")]
    assert lift.case_key == entry.case_key and "(canbo)" in lift.decided_by_name
    # Never edited nor deleted.
    entry.reason = "Sửa lại"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        Disqualification.objects.filter(pk=entry.pk).update(reason="Sửa lại")
    with pytest.raises(TypeError):
        Disqualification.objects.all().delete()
    assert Disqualification.objects.get(pk=entry.pk).reason == "Thi hộ"


def test_the_log_outlives_the_account_without_naming_it(staff_user) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round()
    a = participant(rnd.contest)
    attempt = add(rnd, a, 1, 5, 100, None, at=1)
    entry = participant_disqualify(
        round=rnd, user=a, attempt=attempt, reason="Gian lận", decided_by=staff_user
    )
    disqualification_lift(disqualification_id=entry.pk, reason="Nhầm", decided_by=staff_user)
    key = entry.case_key
    a.delete()
    staff_user.delete()
    kept = list(Disqualification.objects.order_by("id"))
    assert [(e.user_id, e.case_key, e.attempt_ref) for e in kept] == [
        (None, key, attempt.pk),
        (None, key, attempt.pk),
    ]
    assert all("(canbo)" in e.decided_by_name for e in kept)
    assert str(a.pk) not in key and len(key) == 64


def test_the_fairness_page_disqualifies_one_attempt_in_vietnamese(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round()
    a = participant(rnd.contest)
    a1 = add(rnd, a, 1, 5, 100, None, at=1)
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/"
    page = staff.get(url).content.decode()
    assert "Không có ai bị loại khỏi xếp hạng trong vòng này." in page
    wrong = staff.post(
        url, {"action": "disqualify", "username": a.username, "attempt": 999999, "reason": "x"}
    )
    assert "Người này không có lượt thi này trong vòng." in wrong.content.decode()
    assert not Disqualification.objects.exists()
    staff.post(
        url, {"action": "disqualify", "username": a.username, "attempt": a1.pk, "reason": "Lỗi"}
    )
    page = staff.get(url).content.decode()
    assert f"#{a1.pk}" in page and "Lỗi" in page
    assert Client().get(url).status_code in (302, 403)


# --- Freezing the bank -------------------------------------------------------------------------


def test_a_round_opens_only_once_its_bank_is_frozen_and_quotas_can_be_met(staff_user) -> None:  # type: ignore[no-untyped-def]
    rnd = RoundFactory(questions_per_attempt=5)
    bank_add(rnd.contest, count=6, topic="Lịch sử")
    bank_add(rnd.contest, count=1, topic="Pháp luật")
    TopicQuota.objects.create(round=rnd, topic="Pháp luật", count=2)
    user = participant(rnd.contest)
    with pytest.raises(ContestError, match="chưa sẵn sàng"):
        attempt_start(user=user, round_id=rnd.pk)
    with pytest.raises(ContestError, match='Chủ đề "Pháp luật" cần 2 câu'):
        round_bank_freeze(round_id=rnd.pk, frozen_by=staff_user)
    assert Round.objects.get(pk=rnd.pk).bank_snapshot is None
    bank_add(rnd.contest, count=1, topic="Pháp luật")
    frozen = round_bank_freeze(round_id=rnd.pk, frozen_by=staff_user)
    assert frozen.bank_frozen_by == staff_user
    attempt = attempt_start(user=user, round_id=rnd.pk)
    topics = {Question.objects.get(pk=q).topic for q, _ in attempt.questions}
    assert "Pháp luật" in topics
    # A frozen bank does not move: not frozen again, not changed by the bank or the quotas.
    with pytest.raises(ContestError, match="đã được chốt"):
        round_bank_freeze(round_id=rnd.pk)
    Question.objects.filter(contest=rnd.contest).update(is_active=False)
    TopicQuota.objects.filter(round=rnd).update(count=3)
    round_paper_load(round_id=rnd.pk)
    loaded = round_paper_load(round_id=rnd.pk)
    assert len(loaded.questions) == 8 and loaded.quotas == (("Pháp luật", 2),)


def test_another_process_copy_of_the_paper_follows_a_save_at_the_next_request() -> None:
    rnd = open_round()
    before = round_paper_load(round_id=rnd.pk)
    stale = paper._local_papers[rnd.pk]
    rnd.time_limit_seconds = 999
    rnd.save()
    # Another process still holds the copy it loaded before the save, and its own cached
    # version: the next load reads the version the save left (shared cache or the row).
    paper._local_papers[rnd.pk] = stale
    assert round_paper_load(round_id=rnd.pk).time_limit_seconds == 999
    assert before.time_limit_seconds != 999
    cache.delete(paper._version_cache_key(rnd.pk))  # the shared cache lost it: the row says
    paper._local_papers[rnd.pk] = stale
    assert round_paper_load(round_id=rnd.pk).time_limit_seconds == 999


def test_the_freeze_action_in_the_admin(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    rnd = RoundFactory(questions_per_attempt=5)
    bank_add(rnd.contest, count=3)
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/"
    page = staff.get(url).content.decode()
    assert "Ngân hàng chưa được chốt" in page
    refused = staff.post(url, {"action": "freeze"}, follow=True).content.decode()
    assert "Mỗi lượt thi có 5 câu hỏi nhưng ngân hàng chỉ có 3 câu hỏi hoàn chỉnh." in refused
    bank_add(rnd.contest, count=3)
    done = staff.post(url, {"action": "freeze"}, follow=True).content.decode()
    assert "Ngân hàng câu hỏi của vòng này đã được chốt." in done
    assert Round.objects.get(pk=rnd.pk).bank_frozen_at is not None


# --- Prizes per person -------------------------------------------------------------------------


def test_a_person_wins_at_most_the_contest_limit_across_rounds() -> None:
    first = closed_round(prize_count=1, number=1)
    contest = first.contest
    contest.prizes_per_person = 1
    contest.save()
    second = closed_round(prize_count=2, number=2, contest=contest)
    a, b, c = (participant(contest) for _ in range(3))
    for rnd in (first, second):
        add(rnd, a, 1, 5, 100, None, at=1)
        add(rnd, b, 1, 4, 100, None, at=2)
        add(rnd, c, 1, 3, 100, None, at=3)
        round_results_compute(round_id=rnd.pk)
    assert [w.score for w in selectors.winners(round=first)] == [5]
    # a won the first round: the second's two prizes go to b and c.
    assert [w.score for w in selectors.winners(round=second)] == [4, 3]
    contest.prizes_per_person = None
    contest.save()
    assert [w.score for w in selectors.winners(round=second)] == [5, 4]


# --- The suspicious-attempts report ------------------------------------------------------------


def _submitted(rnd: Round, user, answers: str, seconds: int, at: int) -> Attempt:  # type: ignore[no-untyped-def]
    attempt = add(rnd, user, 1, 3, seconds, None, at=at)
    Attempt.objects.filter(pk=attempt.pk).update(answers=answers)
    return attempt


def test_the_report_flags_and_staff_decide(site, staff: Client, staff_user) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round(min_human_seconds=30)
    contest = rnd.contest
    contest.same_contact_limit = 3
    contest.burst_per_minute = 100
    contest.save()
    people = [participant(contest) for _ in range(4)]  # the factory's phone: one number
    fast = _submitted(rnd, people[0], "01230", 5, at=1)
    _submitted(rnd, people[1], "00000", 40, at=2)
    _submitted(rnd, people[2], "00000", 40, at=3)
    _submitted(rnd, people[3], "12301", 200, at=4)
    report = selectors.suspicion_report_compute(round=rnd)
    kinds = {}
    for flag in report["flags"]:
        kinds.setdefault(flag.kind, []).append(flag)
    assert [f.key for f in kinds["fast"]] == [f"fast:{fast.pk}"]
    assert {u for u, _ in kinds["twins"][0].accounts} == {people[1].username, people[2].username}
    assert kinds["phone"][0].count == 4 and "0912345678" not in kinds["phone"][0].detail
    assert "burst" not in kinds
    contest.burst_per_minute = 4
    contest.save()
    # The four registrations in one minute, whatever the clock reads as the test runs.
    ParticipantProfile.objects.filter(contest=contest).update(created_at=rnd.opens_at)
    assert "burst" in {f.kind for f in selectors.suspicion_report_compute(round=rnd)["flags"]}
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/"
    page = staff.get(url).content.decode()
    assert "Hoàn thành nhanh hơn khả năng của con người" in page
    assert "Câu trả lời và thời gian giống hệt nhau giữa các tài khoản" in page
    assert "Nhiều tài khoản dùng chung một số điện thoại" in page
    refused = staff.post(
        url, {"action": "decide", "flag": f"fast:{fast.pk}", "decision": "confirmed"}
    )
    assert "Vui lòng chọn quyết định và nêu lý do." in refused.content.decode()
    assert not Suspicion.objects.exists()
    staff.post(
        url,
        {
            "action": "decide",
            "flag": f"fast:{fast.pk}",
            "decision": "confirmed",
            "reason": "Nộp sau 5 giây",
        },
    )
    decision = Suspicion.objects.get()
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "confirmed",
        "Nộp sau 5 giây",
        staff_user,
    )
    assert "Nộp sau 5 giây" in staff.get(url).content.decode()
    with pytest.raises(ContestError, match="không thuộc báo cáo"):
        suspicion_decide(round=rnd, flag="bua:1", decision="confirmed", reason="x", decided_by=None)


def test_the_report_waits_for_the_close() -> None:
    rnd = open_round()
    assert selectors.suspicion_report(round=rnd) is None


def test_the_registration_keeps_only_a_hash_of_the_address(site) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    contest = rnd.contest
    user = UserFactory()
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(user)
    client.post(
        f"/cuoc-thi/{contest.slug}/dang-ky/",
        {
            "full_name": "Trần Thị Bình",
            "date_of_birth": "01/05/1990",
            "phone": "0912345678",
            "consent": "on",
        },
    )
    profile = ParticipantProfile.objects.get(user=user)
    assert profile.address_hash and "203.0.113.7" not in profile.address_hash


# --- Statistics --------------------------------------------------------------------------------


def test_statistics_by_place_against_headcounts_and_per_question(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    hue = Province.objects.get(name="Thành phố Huế")
    commune = Commune.objects.filter(province=hue).first()
    PlaceHeadcount.objects.create(contest=rnd.contest, province=hue, headcount=200)
    PlaceHeadcount.objects.create(contest=rnd.contest, province=hue, commune=commune, headcount=4)
    people = [participant(rnd.contest) for _ in range(2)]
    ParticipantProfile.objects.filter(user__in=people).update(province=hue, commune=commune)
    for user in people:
        attempt = attempt_start(user=user, round_id=rnd.pk)
        attempt_submit(user=user, attempt_id=attempt.pk, answers=correct_answers(attempt))
    figures = selectors.dashboard_refresh(round=rnd)
    assert figures["provinces"] == [("Thành phố Huế", 200, 2, 1.0)]
    assert figures["communes"][0][1:] == (4, 2, 50.0)
    assert all(share == 100.0 and seconds >= 0 for *_, share, seconds in figures["questions"])
    page = staff.get(f"/admin/cuoc-thi/vong/{rnd.pk}/").content.decode()
    assert "Tham gia theo xã, phường" in page and "50,0" in page
    response = staff.get(f"/admin/cuoc-thi/vong/{rnd.pk}/thong-ke.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo đơn vị", "Theo tỉnh", "Theo xã", "Theo câu hỏi"]
    assert list(book["Theo tỉnh"].values)[1][:4] == ("Thành phố Huế", 2, 200, 1.0)
    assert list(book["Theo câu hỏi"].values)[1][4] == 100.0
