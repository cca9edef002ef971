"""The secretariat's admin (screening, assignment, results, confirmation, Excel), the public
results page, certificates with their verification page, and the JSON API."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from moduong.awards import services
from moduong.awards.models import Assignment, Entry, Prize
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = UserFactory(username="thuky")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


def _judged_award():  # type: ignore[no-untyped-def]
    """Two entries, two judges who both mark both, everything submitted: E1 8 and 6 → 7,
    E2 5 and 5 → 5; one A prize in the category."""
    award = f.award()
    award.categories.update(prize_a=1, prize_b=0, prize_c=0, prize_kk=0)
    rnd = f.round_(award, judges_per_entry=2)
    judges = [f.judge(award, rnd) for _ in range(2)]
    e1 = f.entry(award, title="Người giữ lửa ở bản", authors="Hoàng Thị Mai")
    e2 = f.entry(award, title="Chi bộ trên đồi chè", authors="Đỗ Văn Nam")
    services.round_assign(round=rnd)
    criterion = rnd.criteria.get()
    for a in Assignment.objects.select_related("judge__user"):
        value = {e1.pk: 8 if a.judge == judges[0] else 6, e2.pk: 5}[a.entry_id]
        services.score_save(
            assignment=a, criterion_id=criterion.pk, value=str(value), by=a.judge.user
        )
        services.sheet_submit(assignment=a, by=a.judge.user)
    return award, e1, e2


def test_readers_cannot_reach_the_awards_admin(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    client.force_login(UserFactory())
    assert client.get(f"/admin/giai-bao-chi/{award.pk}/").status_code in (302, 403)


def test_staff_screen_an_entry_with_a_reason_and_assign(staff: Client) -> None:
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1)
    f.judge(award, rnd)
    entry = f.entry(award, status=Entry.SUBMITTED)
    page = staff.get(f"/admin/giai-bao-chi/{award.pk}/")
    assert page.status_code == 200 and entry.title in page.content.decode()
    refused = staff.post(
        f"/admin/giai-bao-chi/{award.pk}/",
        {"action": "screen", "entry": entry.pk, "status": "ineligible", "reason": ""},
        follow=True,
    )
    assert "Vui lòng ghi lý do" in refused.content.decode()
    staff.post(
        f"/admin/giai-bao-chi/{award.pk}/",
        {"action": "screen", "entry": entry.pk, "status": "eligible", "reason": ""},
    )
    entry.refresh_from_db()
    assert entry.status == Entry.ELIGIBLE
    staff.post(f"/admin/giai-bao-chi/{award.pk}/", {"action": "assign", "round": rnd.pk})
    assert Assignment.objects.filter(entry=entry).count() == 1


def test_staff_compare_methods_confirm_and_the_public_sees_the_results(staff: Client) -> None:
    award, e1, e2 = _judged_award()
    page = staff.get(f"/admin/giai-bao-chi/{award.pk}/ket-qua/")
    html = page.content.decode()
    assert page.status_code == 200 and "Độ ổn định" in html and e1.title in html
    # Not public before the council confirms.
    assert Client().get(f"/giai-bao-chi/{award.slug}/ket-qua/").status_code == 404
    staff.post(f"/admin/giai-bao-chi/{award.pk}/ket-qua/", {"action": "confirm", "method": "mean"})
    prize = Prize.objects.get()
    assert (prize.entry, prize.level, prize.number) == (e1, "A", 1)
    public = Client().get(f"/giai-bao-chi/{award.slug}/ket-qua/")
    assert public.status_code == 200
    assert e1.title in public.content.decode() and e2.title not in public.content.decode()


def test_certificate_pdf_and_its_verification_page() -> None:
    award, e1, _e2 = _judged_award()
    prize = services.award_results_confirm(award=award, method="mean", by=UserFactory())[0]
    client = Client()
    pdf = client.get(f"/giai-bao-chi/chung-nhan/{prize.code}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert prize.code in text and "Giải A" in text and "001" in text
    found = client.get("/giai-bao-chi/xac-minh/", {"ma": prize.code.lower()})
    assert found.status_code == 200 and e1.title in found.content.decode()
    forged = client.get("/giai-bao-chi/xac-minh/", {"ma": "ABCDEF0123"})
    assert forged.status_code == 404 and "Không có giấy chứng nhận" in forged.content.decode()
    assert client.get("/giai-bao-chi/chung-nhan/ABCDEF0123.pdf").status_code == 404


def test_excel_exports_of_entries_scores_and_results(staff: Client) -> None:
    award, e1, _e2 = _judged_award()
    books = {}
    for kind in ("tac-pham", "diem", "ket-qua"):
        r = staff.get(f"/admin/giai-bao-chi/{award.pk}/{kind}.xlsx")
        assert r.status_code == 200
        books[kind] = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert len(books["tac-pham"]) == 3 and books["tac-pham"][1][2] == e1.title
    assert len(books["diem"]) == 5  # a heading and four scores
    results = books["ket-qua"]
    assert results[1][2] == e1.title and results[1][3] == 7 and results[1][5] == "A"


def test_api_lists_awards_and_gives_results_by_method() -> None:
    award, e1, e2 = _judged_award()
    client = Client()
    listing = client.get("/api/v1/awards").json()
    assert [a["slug"] for a in listing] == [award.slug]
    assert client.get(f"/api/v1/awards/{award.slug}/results").status_code == 404
    services.award_results_confirm(award=award, method="zscore", by=UserFactory())
    for method in ("mean", "zscore", "trimmed"):
        body = client.get(f"/api/v1/awards/{award.slug}/results", {"method": method}).json()
        assert body["method"] == method and body["confirmed_method"] == "zscore"
        assert [r["entry_id"] for r in body["entries"]] == [e1.pk, e2.pk]
        assert body["entries"][0]["prize"] == "A"
    bad = client.get(f"/api/v1/awards/{award.slug}/results", {"method": "median"})
    assert bad.status_code == 422 and "tham số" in bad.json()["message"].lower()
    assert client.get("/api/v1/awards/khong-co/results").status_code == 404


def test_the_api_gives_only_the_confirmed_prizes_whatever_the_method() -> None:
    """Mean and z-score disagree on who is first (judge A is generous to E1 and harsh to the
    rest, judge B is not): the council confirmed the mean, so asked for the z-score order the API
    still says E1 won the A prize, and gives E2, first by z-score, no prize it never received."""
    award = f.award()
    award.categories.update(prize_a=1, prize_b=0, prize_c=0, prize_kk=0)
    rnd = f.round_(award, judges_per_entry=2)
    judge_a, judge_b = f.judge(award, rnd), f.judge(award, rnd)
    entries = [f.entry(award, title=f"Tác phẩm {n}", authors=f"Tác giả {n}") for n in (1, 2, 3)]
    services.round_assign(round=rnd)
    marks = {judge_a: (10, 2, 0), judge_b: (4, 6, 5)}  # mean 7, 4, 2.5; z-score E2 first
    criterion = rnd.criteria.get()
    for a in Assignment.objects.select_related("judge__user"):
        value = marks[a.judge][[e.pk for e in entries].index(a.entry_id)]
        services.score_save(
            assignment=a, criterion_id=criterion.pk, value=str(value), by=a.judge.user
        )
        services.sheet_submit(assignment=a, by=a.judge.user)
    services.award_results_confirm(award=award, method="mean", by=UserFactory())
    url = f"/api/v1/awards/{award.slug}/results"
    zscore = Client().get(url, {"method": "zscore"}).json()["entries"]
    assert [r["entry_id"] for r in zscore] == [entries[1].pk, entries[0].pk, entries[2].pk]
    assert [r["prize"] for r in zscore] == ["", "A", ""]
    assert zscore[1]["prize_label"] == "Giải A"
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    row = schema["components"]["schemas"]["ResultRowOut"]["properties"]
    assert "confirmed" in row["prize"]["description"]


def test_the_api_is_in_the_openapi_schema() -> None:
    schema = json.loads(Client().get("/api/v1/openapi.json").content)
    results = schema["paths"]["/api/v1/awards/{slug}/results"]["get"]
    assert set(results["responses"]) == {"200", "404", "422"}
    methods = next(p for p in results["parameters"] if p["name"] == "method")
    assert "zscore" in json.dumps(methods)
    assert "/api/v1/awards" in schema["paths"]
    # Each app's schemas keep their own names: another app's `CategoryOut` once replaced the
    # awards' one, and a client generated from the schema then rejected every award.
    award = schema["paths"]["/api/v1/awards/{slug}"]["get"]["responses"]["200"]
    component = award["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    categories = schema["components"]["schemas"][component]["properties"]["categories"]
    category = schema["components"]["schemas"][categories["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"prize_a", "prize_b", "prize_c", "prize_kk"} <= set(category["properties"])


def test_public_pages_and_the_entry_flow(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    assert award.title in client.get("/giai-bao-chi/").content.decode()
    detail = client.get(f"/giai-bao-chi/{award.slug}/").content.decode()
    assert "Báo điện tử" in detail and "Gửi tác phẩm dự thi" in detail
    user = UserFactory()
    client.force_login(user)
    assert client.get(f"/giai-bao-chi/{award.slug}/gui-tac-pham/").status_code == 200
    entry = f.entry(award, user=user, status=Entry.RETURNED)
    Entry.objects.filter(pk=entry.pk).update(screening_reason="Thiếu địa chỉ đăng")
    mine = client.get(f"/giai-bao-chi/{award.slug}/tac-pham-cua-toi/").content.decode()
    assert "Thiếu địa chỉ đăng" in mine and f"/giai-bao-chi/tac-pham/{entry.pk}/sua/" in mine
    assert client.get(f"/giai-bao-chi/tac-pham/{entry.pk}/sua/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/giai-bao-chi/tac-pham/{entry.pk}/sua/").status_code == 404


def test_forged_admin_values_are_a_404_not_an_error(staff: Client) -> None:
    award = f.award()
    url = f"/admin/giai-bao-chi/{award.pk}/"
    assert (
        staff.post(url, {"action": "screen", "entry": "abc", "status": "eligible"}).status_code
        == 404
    )
    assert staff.post(url, {"action": "assign", "round": "1 OR 1=1"}).status_code == 404
    assert staff.get(f"/admin/giai-bao-chi/{award.pk}/ket-qua/", {"vong": "x"}).status_code == 200


def test_the_award_results_command_prints_the_three_rankings() -> None:
    award, e1, _e2 = _judged_award()
    out = io.StringIO()
    call_command("award-results", award.slug, "--json", stdout=out)
    rows = json.loads(out.getvalue())["entries"]
    assert rows[0]["title"] == e1.title and rows[0]["mean"]["score"] == 7.0
    assert rows[0]["mean"]["prize"] == "Giải A" and rows[0]["changes"] is False
    text = io.StringIO()
    call_command("award-results", award.slug, stdout=text)
    assert "đổi giải giữa các cách tính: 0 tác phẩm" in text.getvalue()
    with pytest.raises(CommandError, match="Không có giải"):
        call_command("award-results", "khong-co")
