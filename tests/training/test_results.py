"""Completion from the programme's rules, numbered certificates with a code anyone can check,
a learner's own record and their data."""

import datetime as dt
import json
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.contrib.auth.models import Group
from django.test import Client

from moduong.training.models import Attendance, Certificate, Enrolment
from moduong.training.services import (
    VERIFY_RATE_PER_MINUTE,
    certificates_issue,
    class_results_compute,
)
from tests.factories import UserFactory

from .helpers import VN, learner, programme, session, training_class

pytestmark = pytest.mark.django_db
START = dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN)


def _class_with(assignment: bool):  # type: ignore[no-untyped-def]
    cls = training_class(of=programme(min_attendance_percent=75, assignment_required=assignment))
    sessions = [session(cls, START + dt.timedelta(days=i)) for i in range(4)]
    return cls, sessions


def _enrol(cls, identifier, name, attended, sessions, exam, assignment=None):  # type: ignore[no-untyped-def]
    e = Enrolment.objects.create(
        training_class=cls,
        learner=learner(identifier, name),
        exam_score=exam,
        assignment_mark=assignment,
    )
    for i, s in enumerate(sessions):
        status = ["present", "late", "present", "present"][i] if i < attended else "absent"
        Attendance.objects.create(
            session=s, enrolment=e, status=status, method="teacher", marked_at=s.starts_at
        )
    return e


def test_completion_follows_the_programmes_rules() -> None:
    cls, sessions = _class_with(assignment=True)
    ok = _enrol(cls, "10000001", "Nguyễn Văn An", 3, sessions, Decimal("5"), Decimal("7"))
    too_few = _enrol(cls, "10000002", "Trần Thị Bình", 2, sessions, Decimal("9"), Decimal("9"))
    failed = _enrol(cls, "10000003", "Lê Văn Cường", 4, sessions, Decimal("4.99"), Decimal("9"))
    no_essay = _enrol(cls, "10000004", "Phạm Thu Dung", 4, sessions, Decimal("8"), None)
    assert class_results_compute(training_class=cls) == 1
    for e, share, done in (
        (ok, 75, True),
        (too_few, 50, False),
        (failed, 100, False),
        (no_essay, 100, False),
    ):
        e.refresh_from_db()
        assert (e.attendance_percent, e.completed) == (share, done)


def test_certificates_are_numbered_and_verified_publicly() -> None:
    cls, sessions = _class_with(assignment=False)
    account = UserFactory(username="hv-chungnhan")
    e = _enrol(cls, "10000001", "Nguyễn Văn An", 4, sessions, Decimal("8"))
    e.learner.account = account
    e.learner.save()
    _enrol(cls, "10000002", "Trần Thị Bình", 4, sessions, Decimal("7"))
    _enrol(cls, "10000003", "Lê Văn Cường", 1, sessions, Decimal("9"))
    before = Certificate.objects.count()
    assert certificates_issue(training_class=cls) == 2
    assert certificates_issue(training_class=cls) == 0  # issued once
    numbers = sorted(
        Certificate.objects.filter(enrolment__training_class=cls).values_list("number", flat=True)
    )
    assert (
        len(numbers) == 2
        and numbers[1] == numbers[0] + 1
        and Certificate.objects.count() == before + 2
    )
    certificate = Certificate.objects.get(enrolment=e)
    page = Client().get("/lop-boi-duong/xac-minh/", {"ma": certificate.code.lower()})
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "Nguyễn Văn An" in text and f"{certificate.number:06d}" in text and "10000001" not in text
    )
    assert Client().get("/lop-boi-duong/xac-minh/", {"ma": "KHONGCO"}).status_code == 404
    owner = Client()
    owner.force_login(account)
    pdf = owner.get(f"/lop-boi-duong/chung-nhan/{certificate.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Like the contests' certificate: one page, its date line, and a QR code a phone reads
    # and follows to the verification page with the code filled in.
    document = pypdfium2.PdfDocument(pdf.content)
    assert len(document) == 1
    text = document[0].get_textpage().get_text_range()
    assert "GIÁM ĐỐC" in text and f"Mã xác minh: {certificate.code}" in text
    found = [b.text for b in zxingcpp.read_barcodes(document[0].render(scale=3).to_pil())]
    assert len(found) == 1 and found[0].endswith(f"/lop-boi-duong/xac-minh/?ma={certificate.code}")
    followed = Client().get(found[0].split("testserver", 1)[1])
    assert followed.status_code == 200 and "Nguyễn Văn An" in followed.content.decode()
    other = Client()
    other.force_login(UserFactory(username="hv-khac"))
    assert other.get(f"/lop-boi-duong/chung-nhan/{certificate.number}.pdf").status_code == 404
    record = owner.get("/lop-boi-duong/ho-so-cua-toi/")
    assert record.status_code == 200
    text = record.content.decode()
    assert cls.code in text and "4/4" in text and f"{certificate.number:06d}" in text
    assert "••••0001" in text


def test_a_learners_data_is_in_their_download_and_survives_their_account() -> None:
    cls, sessions = _class_with(assignment=False)
    account = UserFactory(username="hv-dulieu")
    e = _enrol(cls, "10000009", "Đặng Thị Giang", 2, sessions, Decimal("8"))
    e.learner.account = account
    e.learner.save()
    client = Client()
    client.force_login(account)
    data = json.loads(client.get("/tai-khoan/ho-so/du-lieu.json").content)
    mine = data["lop_boi_duong"]
    assert mine["so_dinh_danh"] == "10000009" and mine["lop_hoc"][0]["ma_lop"] == cls.code
    account.delete()
    e.learner.refresh_from_db()
    assert e.learner.account is None  # the centre's record stays, unlinked


def test_guessing_verification_codes_is_slowed_per_address() -> None:
    """Each answer of the public page names a person: an address that keeps guessing is
    refused, in Vietnamese, before the lookup."""
    client = Client()
    for attempt in range(VERIFY_RATE_PER_MINUTE):
        assert client.get("/lop-boi-duong/xac-minh/", {"ma": f"DOAN{attempt}"}).status_code == 404
    refused = client.get("/lop-boi-duong/xac-minh/", {"ma": "DOANNUA"})
    assert refused.status_code == 429
    assert "Traceback" not in refused.content.decode()
    # The empty form is no lookup: it still opens.
    assert client.get("/lop-boi-duong/xac-minh/").status_code == 200


def test_a_score_typed_in_the_admin_recomputes_completion() -> None:
    """The roll-up counts completions from the stored flag: a score entered on the
    enrolment's admin page must settle it at once, not at the next "compute" click."""
    cls, sessions = _class_with(assignment=False)
    e = _enrol(cls, "001080012345", "Nguyễn Văn An", 4, sessions, exam=None)
    class_results_compute(training_class=cls)
    e.refresh_from_db()
    assert not e.completed
    staff = UserFactory(username="canbo-diem")
    staff.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(staff)
    url = f"/admin/snippets/training/enrolment/edit/{e.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"exam_score": "7.5", "assignment_mark": ""})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.exam_score == Decimal("7.5") and e.attendance_percent == 100 and e.completed
