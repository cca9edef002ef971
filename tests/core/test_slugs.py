"""The admin's slug script and the server make one slug: vntext.slugify's."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moduong.core import vntext
from moduong.news.models import SectionPage, StandardPage

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
TEXT = st.text(
    alphabet=VIETNAMESE + VIETNAMESE.upper() + "0123456789 -_:;,.!?&/()'\"\u0301\u0323\u200bÐ",
    max_size=200,
)


def in_the_browser(text: str) -> str:
    """What Wagtail's slug script does with SLUG_FORMATTERS and then its own urlify."""
    for pattern, replacement in vntext.SLUG_FORMATTERS:
        text = re.sub(pattern, replacement.replace("$1", r"\1"), text)
    text = re.sub(r"[^-\w\s]", "", text.lower(), flags=re.ASCII)
    text = re.sub(r"[-\s]+", "-", text)[:255]
    return re.sub(r"-+$", "", text)


@given(TEXT)
def test_the_browser_and_the_server_make_the_same_slug(title: str) -> None:
    assert in_the_browser(title) == vntext.slugify(title)


def test_the_title_of_the_report() -> None:
    title = "Thành phố khai trương không gian đọc sách 24 giờ tại phường Hoàn Kiếm"
    slug = "thanh-pho-khai-truong-khong-gian-doc-sach-24-gio-tai-phuong-hoan-kiem"
    assert in_the_browser(title) == vntext.slugify(title) == slug


@pytest.mark.django_db
def test_a_slug_given_with_marks_is_cleaned_on_save(site) -> None:
    parent = SectionPage.objects.get(slug="tin-tong-hop").get_parent()
    page = StandardPage(title="Giới thiệu Đà Nẵng", slug="Đà Nẵng đẹp")
    parent.add_child(instance=page)
    page.full_clean()
    assert page.slug == "da-nang-dep"
