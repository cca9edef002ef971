"""The city's roll-up on a fixed set where people attend several classes: the distinct count
is stated, and is what the dashboard, the Excel report, the command and the API say."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from moduong.training.models import Enrolment, TrainingClass
from moduong.training.selectors import rollup, rollup_refresh
from moduong.training.services import (
    REPORT_RATE_PER_MINUTE,
    class_results_compute,
    enrolment_import,
)
from moduong.units.services import unit_create
from tests.factories import UserFactory

from .helpers import centre, learner, programme, training_class, xlsx

pytestmark = pytest.mark.django_db
FROM, TO = dt.date(2020, 1, 1), dt.date(2020, 12, 31)


@pytest.fixture
def fixed_set() -> None:
    """Two centres, two programmes, four classes in 2020 (one in 2019, outside the period);
    five people, 9 enrolments in 2020. An is in 3 classes, Bình in 2 (at both centres),
    Cường in 2, Dung and Em in 1: 5 distinct learners, not 9."""
    north = centre("Trung tâm Bắc (thử)", "Khu vực Bắc")
    south = centre("Trung tâm Nam (thử)", "Khu vực Nam")
    basic, resolution = programme(name="Sơ cấp (thử)"), programme(name="Nghị quyết (thử)")
    ward = unit_create(name="Phường Thử Nghiệm")
    c1 = training_class("r-1", at=north, of=basic, starts_on=dt.date(2020, 3, 2))
    c2 = training_class("r-2", at=north, of=resolution, starts_on=dt.date(2020, 3, 20))
    c3 = training_class("r-3", at=south, of=basic, starts_on=dt.date(2020, 4, 6))
    c4 = training_class("r-4", at=south, of=resolution, starts_on=dt.date(2020, 5, 11))
    old = training_class("r-0", at=south, of=basic, starts_on=dt.date(2019, 11, 4))
    an, binh, cuong, dung, em = (
        learner("10000001", "Nguyễn Văn An"),
        learner("10000002", "Trần Thị Bình"),
        learner("10000003", "Lê Văn Cường"),
        learner("10000004", "Phạm Thu Dung"),
        learner("10000005", "Vũ Văn Em"),
    )
    an.unit = binh.unit = ward
    an.save()
    binh.save()
    for cls, people in (
        (c1, [an, binh, cuong]),
        (c2, [an, dung]),
        (c3, [an, binh, em]),
        (c4, [cuong]),
        (old, [an, dung]),
    ):
        for person in people:
            Enrolment.objects.create(
                training_class=cls, learner=person, completed=person in (an, cuong)
            )


def test_the_roll_up_counts_people_once(fixed_set: None) -> None:
    report = rollup(date_from=FROM, date_to=TO)
    assert report["totals"] == {"classes": 4, "enrolments": 9, "learners": 5, "completions": 5}
    by_centre = {row["name"]: row for row in report["by_centre"]}
    assert by_centre["Trung tâm Bắc (thử)"]["learners"] == 4  # An, Bình, Cường, Dung
    assert by_centre["Trung tâm Nam (thử)"]["learners"] == 4  # An, Bình, Em, Cường
    assert by_centre["Trung tâm Nam (thử)"]["enrolments"] == 4
    by_programme = {row["name"]: row for row in report["by_programme"]}
    assert by_programme["Sơ cấp (thử)"] == {
        "name": "Sơ cấp (thử)",
        "classes": 2,
        "enrolments": 6,
        "learners": 4,
        "completions": 3,
    }
    by_unit = {row["name"]: row for row in report["by_unit"]}
    assert (
        by_unit["Phường Thử Nghiệm"]["learners"] == 2
        and by_unit["Phường Thử Nghiệm"]["enrolments"] == 5
    )
    by_month = {row["name"]: row for row in report["by_month"]}
    assert by_month["03/2020"]["classes"] == 2 and by_month["03/2020"]["learners"] == 4
    assert {row["name"] for row in report["by_area"]} >= {"Khu vực Bắc", "Khu vực Nam"}
    assert [row["code"] for row in report["classes"]] == ["r-1", "r-2", "r-3", "r-4"]
    # Without the period, the 2019 class joins: one more class, two more enrolments, no new person.
    everything = rollup(date_from=dt.date(2019, 1, 1), date_to=TO)["totals"]
    assert (everything["classes"], everything["enrolments"], everything["learners"]) == (5, 11, 5)


def test_the_command_prints_totals_and_a_row_per_class(fixed_set: None) -> None:
    out = io.StringIO()
    call_command(
        "training-report", "--from", "2020-01-01", "--to", "2020-12-31", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["totals"]["learners"] == 5 and data["totals"]["enrolments"] == 9
    assert [row["code"] for row in data["classes"]] == ["r-1", "r-2", "r-3", "r-4"]
    text = io.StringIO()
    call_command("training-report", "--from", "2020-01-01", "--to", "2020-12-31", stdout=text)
    assert "r-3" in text.getvalue() and ": 5;" in text.getvalue()


def test_the_api_gives_the_roll_up_and_declares_it(fixed_set: None) -> None:
    client = Client()
    response = client.get(
        "/api/v1/training/report", {"date_from": "2020-01-01", "date_to": "2020-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["totals"] == {
        "classes": 4,
        "enrolments": 9,
        "learners": 5,
        "completions": 5,
    }
    assert "/api/v1/training/report" in client.get("/api/v1/openapi.json").json()["paths"]
    bad = client.get(
        "/api/v1/training/report", {"date_from": "2020-12-31", "date_to": "2020-01-01"}
    )
    assert bad.status_code == 400 and "message" in bad.json()
    assert client.get("/api/v1/training/report", {"date_from": "31/12/2020"}).status_code == 422
    # A bare number is not a day (it once passed as a Unix time), nor is 30 February.
    for day in ("0", "1700000000", "2020-02-30"):
        refused = client.get("/api/v1/training/report", {"date_to": day})
        assert refused.status_code == 422 and refused.json()["errors"], day


def test_the_dashboard_and_its_excel_in_the_offices_shape(fixed_set: None) -> None:
    user = UserFactory(username="canbo-baocao")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    page = client.get("/admin/lop-boi-duong/", {"date_from": "2020-01-01", "date_to": "2020-12-31"})
    assert page.status_code == 200 and "r-4" in page.content.decode()
    data = client.get(
        "/admin/lop-boi-duong/bao-cao.xlsx", {"date_from": "2020-01-01", "date_to": "2020-12-31"}
    )
    book = load_workbook(io.BytesIO(data.content))
    sheet = book["Theo trung tâm"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["STT", "Trung tâm", "Số lớp"]
    # Each centre counts 4 people, yet the city's total is 5, not 8.
    assert rows[-1][1:] == ["Tổng cộng", 4, 9, 5, 5]
    assert [row[1] for row in book["Danh sách lớp"].iter_rows(min_row=2, values_only=True)] == [
        "r-1",
        "r-2",
        "r-3",
        "r-4",
    ]
    assert (
        client.get(
            "/admin/lop-boi-duong/", {"date_from": "2020-12-31", "date_to": "2020-01-01"}
        ).status_code
        == 400
    )


def test_the_api_roll_up_is_rate_limited_per_address(fixed_set: None) -> None:
    """The heaviest query of the app is public: one address cannot run it in a loop."""
    client = Client()
    for _attempt in range(REPORT_RATE_PER_MINUTE):
        assert client.get("/api/v1/training/report").status_code == 200
    refused = client.get("/api/v1/training/report")
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Quá nhiều yêu cầu")


def test_the_roll_up_is_read_from_the_cache_until_something_it_counts_changes(
    fixed_set: None, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = rollup(date_from=FROM, date_to=TO)
    with django_assert_num_queries(0):
        assert rollup(date_from=FROM, date_to=TO) == first
    # A sixth person in a class: the very next read says so.
    Enrolment.objects.create(
        training_class=TrainingClass.objects.get(code="r-4"), learner=learner("10000006", "Đỗ Gấm")
    )
    assert rollup(date_from=FROM, date_to=TO)["totals"]["learners"] == 6
    # Results entered in r-2 (An's and Dung's): Dung completes too, a completion more (a bulk
    # write: the service sends the app's own signal).
    r2 = TrainingClass.objects.get(code="r-2")
    r2.programme.min_attendance_percent = 0
    r2.programme.save()
    Enrolment.objects.filter(training_class=r2).update(exam_score=9)
    before = rollup(date_from=FROM, date_to=TO)["totals"]["completions"]
    class_results_compute(training_class=r2)
    assert rollup(date_from=FROM, date_to=TO)["totals"]["completions"] == before + 1


def test_after_a_change_the_task_computes_the_city_roll_up_and_readers_pay_nothing(
    fixed_set: None, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    before = rollup()["totals"]  # the city's: the demo's classes are there too
    with django_capture_on_commit_callbacks(execute=True) as queued:
        report = enrolment_import(
            training_class=TrainingClass.objects.get(code="r-4"),
            data=xlsx([["Đỗ Thị Gấm", "01/02/1990", "10000006", ""]]),
        )
    assert report.enrolled == 1 and queued  # the refresh ran (tasks run at once in tests)
    with django_assert_num_queries(0):
        totals = rollup()["totals"]
    # A new person in a class already counted: one enrolment and one learner more.
    assert (totals["classes"], totals["enrolments"], totals["learners"]) == (
        before["classes"],
        before["enrolments"] + 1,
        before["learners"] + 1,
    )
    assert not rollup_refresh()  # current already: a second queued refresh does nothing
