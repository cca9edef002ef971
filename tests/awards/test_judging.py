"""Judges: automatic recusal along the organisation tree and by declared authors, balanced
assignment, what a judge may open (404 otherwise), blind rounds, score sheets and their log."""

from collections import Counter

import pytest

from moduong.accounts.selectors import user_personal_data
from moduong.accounts.services import user_delete
from moduong.awards import selectors, services
from moduong.awards.models import Assignment, Score, ScoreLog
from moduong.units.models import Unit
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    root = Unit.objects.create(name="Ban Tuyên giáo", code="btg")
    child = Unit.objects.create(name="Phòng Báo chí", code="pbc", parent=root)
    other = Unit.objects.create(name="Báo Nhân Dân", code="bnd")
    return root, child, other


def test_assignment_balances_the_load_and_gives_every_entry_its_judges() -> None:
    award = f.award(author_max_entries=50, unit_max_per_category=50)
    rnd = f.round_(award, judges_per_entry=3)
    judges = [f.judge(award, rnd) for _ in range(5)]
    entries = [f.entry(award, authors=f"Tác giả {n}") for n in range(10)]
    report = services.round_assign(round=rnd)
    assert report.created == 30 and not report.short
    per_entry = Counter(a.entry_id for a in Assignment.objects.all())
    assert set(per_entry.values()) == {3} and len(per_entry) == len(entries)
    per_judge = Counter(a.judge_id for a in Assignment.objects.all())
    assert sorted(per_judge.values()) == [6, 6, 6, 6, 6]
    assert set(per_judge) == {j.pk for j in judges}
    # Running again adds nothing.
    assert services.round_assign(round=rnd).created == 0


def test_a_judge_never_gets_entries_of_their_unit_its_parent_or_children_or_declared_authors(
    tree,  # type: ignore[no-untyped-def]
) -> None:
    root, child, other = tree
    award = f.award(author_max_entries=50, unit_max_per_category=50)
    rnd = f.round_(award, judges_per_entry=1)
    insider = f.judge(award, rnd, unit=child, declared_authors="lê văn cường")
    from_root = f.entry(award, user=f.unit_account(root), authors="A")
    from_child = f.entry(award, user=f.unit_account(child), authors="B")
    by_declared = f.entry(award, user=f.unit_account(other), authors="Lê Văn Cường")
    free = f.entry(award, user=f.unit_account(other), authors="D")
    report = services.round_assign(round=rnd)
    assert list(Assignment.objects.values_list("entry", flat=True)) == [free.pk]
    assert sorted(report.short) == sorted(e.title for e in (from_root, from_child, by_declared))
    assert Assignment.objects.get().judge == insider


def test_a_judge_opens_only_their_own_assignments(client, tree) -> None:  # type: ignore[no-untyped-def]
    root, _child, other = tree
    award = f.award(author_max_entries=50, unit_max_per_category=50)
    rnd = f.round_(award, judges_per_entry=1)
    j1, j2 = f.judge(award, rnd, unit=root), f.judge(award, rnd)
    e1 = f.entry(award, user=f.unit_account(other), authors="Phạm Thu Hà")
    services.round_assign(round=rnd)
    a = Assignment.objects.get(entry=e1)
    owner, stranger = (j1, j2) if a.judge == j1 else (j2, j1)
    client.force_login(stranger.user)
    assert client.get(f"/giai-bao-chi/cham-diem/{a.pk}/").status_code == 404
    file_id = e1.files.get().pk
    assert client.get(f"/giai-bao-chi/tep/{file_id}/").status_code == 404
    client.force_login(owner.user)
    page = client.get(f"/giai-bao-chi/cham-diem/{a.pk}/")
    assert page.status_code == 200
    # Blind round: neither the author nor the unit reaches the judge.
    html = page.content.decode()
    assert "Phạm Thu Hà" not in html and "Báo Nhân Dân" not in html
    download = client.get(f"/giai-bao-chi/tep/{file_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_an_assignment_of_the_judges_own_unit_is_a_404_even_if_made_by_hand(client, tree) -> None:  # type: ignore[no-untyped-def]
    _root, child, _other = tree
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1)
    judge = f.judge(award, rnd, unit=child)
    entry = f.entry(award, user=f.unit_account(child))
    a = Assignment.objects.create(round=rnd, entry=entry, judge=judge)
    client.force_login(judge.user)
    assert client.get(f"/giai-bao-chi/cham-diem/{a.pk}/").status_code == 404


def test_a_blind_round_hides_the_links_that_name_the_outlet(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1)
    judge = f.judge(award, rnd)
    f.entry(
        award,
        link="https://baonhandan.vn/video/dang-vien-tre-123.html",
        published_url="https://nhandan.vn/dang-vien-tre-nguyen-van-an-456.html",
    )
    services.round_assign(round=rnd)
    client.force_login(judge.user)
    html = client.get(f"/giai-bao-chi/cham-diem/{Assignment.objects.get().pk}/").content.decode()
    assert "nhandan" not in html and "nguyen-van-an" not in html
    assert "chấm tác phẩm qua các tệp" in html


def test_an_open_round_shows_the_authors(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1, is_blind=False)
    judge = f.judge(award, rnd)
    f.entry(award, authors="Phạm Thu Hà", link="https://nhandan.vn/bai-123.html")
    services.round_assign(round=rnd)
    client.force_login(judge.user)
    html = client.get(f"/giai-bao-chi/cham-diem/{Assignment.objects.get().pk}/").content.decode()
    assert "Phạm Thu Hà" in html and "https://nhandan.vn/bai-123.html" in html


def _assigned(**round_kwargs):  # type: ignore[no-untyped-def]
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1, criteria=((2, 0, 10), (1, 0, 5)), **round_kwargs)
    judge = f.judge(award, rnd)
    f.entry(award)
    services.round_assign(round=rnd)
    return Assignment.objects.get(), judge


def test_scores_are_saved_as_typed_logged_and_locked_on_submit(client) -> None:  # type: ignore[no-untyped-def]
    a, judge = _assigned()
    c1, c2 = a.round.criteria.all()
    client.force_login(judge.user)
    # htmx: one score at a time, as typed
    r = client.post(f"/giai-bao-chi/cham-diem/{a.pk}/tieu-chi-{c1.pk}/", {f"c{c1.pk}": "7,5"})
    assert r.status_code == 200 and "Đã lưu" in r.content.decode()
    out = client.post(f"/giai-bao-chi/cham-diem/{a.pk}/tieu-chi-{c2.pk}/", {f"c{c2.pk}": "6"})
    assert out.status_code == 400 and "từ 0 đến 5" in out.content.decode()
    assert not Score.objects.filter(criterion=c2).exists()
    # the plain form: save then submit
    r = client.post(
        f"/giai-bao-chi/cham-diem/{a.pk}/",
        {f"c{c1.pk}": "8", f"c{c2.pk}": "4", "comment": "Bài viết tốt", "action": "submit"},
    )
    assert r.status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [4, 8]
    # the sheet is locked: neither way changes it
    again = client.post(f"/giai-bao-chi/cham-diem/{a.pk}/", {f"c{c1.pk}": "1"})
    assert again.status_code == 400 and "không thể sửa" in again.content.decode()
    with pytest.raises(services.AwardError):
        services.score_save(assignment=a, criterion_id=c1.pk, value="2", by=judge.user)
    assert Score.objects.get(criterion=c1).value == 8
    log = list(ScoreLog.objects.values_list("action", "value", "by"))
    assert log == [
        ("saved", 7.5, judge.user.pk),
        ("saved", 8, judge.user.pk),
        ("saved", 4, judge.user.pk),
        ("comment", None, judge.user.pk),
        ("submitted", None, judge.user.pk),
    ]


def test_recusal_after_scoring_sets_the_sheet_aside_and_reassigns(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1)
    j1 = f.judge(award, rnd)
    f.entry(award)
    services.round_assign(round=rnd)
    first = Assignment.objects.get()
    j2 = f.judge(award, rnd)
    assert first.judge == j1
    services.score_save(assignment=first, criterion_id=rnd.criteria.get().pk, value="9", by=j1.user)
    services.sheet_submit(assignment=first, by=j1.user)
    client.force_login(j1.user)
    r = client.post(f"/giai-bao-chi/cham-diem/{first.pk}/hoi-ti/", {"reason": "Người nhà"})
    assert r.status_code == 302
    first.refresh_from_db()
    first.sheet.refresh_from_db()
    assert first.status == Assignment.RECUSED and first.sheet.set_aside
    assert first.sheet.scores.get().value == 9  # kept, counted nowhere
    replacement = Assignment.objects.get(status=Assignment.ACTIVE)
    assert replacement.judge == j2
    assert client.get(f"/giai-bao-chi/cham-diem/{first.pk}/").status_code == 404
    assert ScoreLog.objects.filter(action="set_aside", by=j1.user).exists()


def test_a_declared_conflict_keeps_the_judge_off_the_entry_in_later_rounds() -> None:
    award = f.award()
    first = f.round_(award, judges_per_entry=1)
    final = f.round_(award, number=2, judges_per_entry=2)
    j1, j2, j3 = (f.judge(award, first) for _ in range(3))
    final.panel.add(j1, j2, j3)
    entry = f.entry(award)
    services.round_assign(round=first)
    judge = Assignment.objects.get().judge
    services.conflict_declare(judge=judge, entry=entry, reason="Bạn học cũ", by=judge.user)
    entry.__class__.objects.filter(pk=entry.pk).update(reached_round=2)
    services.round_assign(round=final)
    finalists = set(final.assignments.values_list("judge", flat=True))
    assert judge.pk not in finalists and len(finalists) == 2


def test_a_deleted_account_leaves_entries_and_marks_and_its_data_can_be_downloaded() -> None:
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1)
    judge = f.judge(award, rnd, declared_authors="Lê Văn Cường")
    sender = UserFactory()
    entry = f.entry(award, user=sender)
    services.round_assign(round=rnd)
    a = Assignment.objects.get()
    services.score_save(assignment=a, criterion_id=rnd.criteria.get().pk, value="8", by=judge.user)
    services.sheet_submit(assignment=a, by=judge.user)
    data = user_personal_data(user=sender)["giai_bao_chi"]
    assert data["tac_pham"][0]["ten_tac_pham"] == entry.title
    assert user_personal_data(user=judge.user)["giai_bao_chi"]["giam_khao"][0]["so_phieu_cham"] == 1
    user_delete(user=sender)
    user_delete(user=judge.user)
    entry.refresh_from_db()
    assert entry.submitted_by is None
    assert Score.objects.get().value == 8
    assert selectors.award_results(award=award).rankings["mean"][0].score == 8
