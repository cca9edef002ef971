"""Identifiers, masking, and the admin in Vietnamese for the office's staff."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client

from moduong.training.models import identifier_clean, identifier_mask
from tests.factories import UserFactory

from .helpers import learner, training_class


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("12.345.678", "12345678"),
        ("12345678", "12345678"),
        ("001 080 012 345", "001080012345"),
        ("０01080012345", None),  # fullwidth digit: not a number an office types
        ("999080012345", None),  # no province has code 999
        ("1234567", None),
        ("1234567890", None),
        ("AB123456", None),
        ("", None),
    ],
)
def test_identifiers_are_party_numbers_or_citizen_ids(typed: str, kept: str | None) -> None:
    if kept is None:
        with pytest.raises(ValidationError) as error:
            identifier_clean(typed)
        assert "8" in error.value.messages[0] and "12" in error.value.messages[0]
    else:
        assert identifier_clean(typed) == kept


def test_lists_show_only_the_last_four_digits() -> None:
    assert identifier_mask("001080012345") == "••••••••2345"


@pytest.fixture
def staff() -> Client:
    user = UserFactory(username="canbo-lop")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_see_classes_and_masked_learners_in_the_admin(staff: Client) -> None:
    cls = training_class("t-admin-1")
    learner("001080012345", "Trần Thị Bình")
    page = staff.get("/admin/snippets/training/learner/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trần Thị Bình" in text
    assert "••••••••2345" in text
    assert "001080012345" not in text
    listing = staff.get("/admin/snippets/training/trainingclass/")
    assert listing.status_code == 200 and cls.code in listing.content.decode()
    dashboard = staff.get("/admin/lop-boi-duong/")
    assert "Lớp bồi dưỡng lý luận chính trị: tổng hợp" in dashboard.content.decode()
    assert staff.get(f"/admin/lop-boi-duong/lop/{cls.pk}/").status_code == 200


@pytest.mark.django_db
def test_readers_cannot_reach_the_training_admin() -> None:
    client = Client()
    client.force_login(UserFactory(username="docgia-lop"))
    assert client.get("/admin/lop-boi-duong/").status_code in (302, 403)
