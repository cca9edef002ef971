"""Rules: how officers write them, and Vietnamese-correct matching."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from moduong.monitoring import services
from moduong.monitoring.models import Rule
from moduong.monitoring.rules import Matcher, RuleError, parse


def _matches(expression: str, text: str) -> bool:
    return bool(Matcher.build([("r", expression)]).match(text))


@pytest.mark.parametrize(
    ("expression", "text", "expected"),
    [
        ("thư viện", "Khai trương thư viện mới", True),
        ('"thư viện"', "thư mời đến viện bảo tàng", False),
        ("thư viện", "thư mời đến viện bảo tàng", True),  # two words, AND
        ("hoa", "kế hoạch năm", False),  # whole syllables only
        ("Đảng", "Đại hội Đảng bộ", True),
        ("Đảng", "Dai hoi DANG bo", True),  # text without marks matches
        ("Đảng", "tôi đang đi làm", False),  # another word that folds the same
        ("dang", "tôi đang đi làm", True),  # a rule without marks recalls every form
        ("hòa bình", "Hoà Bình", True),  # either tone placement
        ("thủy lợi", unicodedata.normalize("NFD", "Công trình THUỶ LỢI"), True),
        ("kĩ thuật", "kỹ thuật số", True),
        ('"Hoàn Kiếm" AND (sách OR "thư viện") NOT "quảng cáo"', "Hoàn Kiếm có thư viện", True),
        (
            '"Hoàn Kiếm" AND (sách OR "thư viện") NOT "quảng cáo"',
            "Hoàn Kiếm: sách, quảng cáo",
            False,
        ),
        ('"Hoàn Kiếm" AND (sách OR "thư viện")', "Hoàn Kiếm có nhà hát", False),
        ("a OR b c", "chỉ có a", True),  # AND binds tighter than OR
        ("(a OR b) c", "chỉ có a", False),
        ("ngập NOT (mưa OR bão)", "Đường ngập sau mưa", False),
        ("ngập NOT (mưa OR bão)", "Đường ngập do vỡ ống", True),
    ],
)
def test_vietnamese_matching(expression: str, text: str, expected: bool) -> None:
    assert _matches(expression, text) is expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"Hoàn Kiếm" AND (sách OR "thư viện"', "ngoặc"),
        ("sách) OR (báo", "ngoặc"),
        ('"thư viện', "ngoặc kép"),
        ('NOT "quảng cáo"', "ít nhất một từ"),
        ("sách AND", "thiếu một từ"),
        ("   ", "trống"),
    ],
)
def test_unreadable_rules_get_a_vietnamese_message(expression: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse(expression)


@pytest.mark.django_db
def test_a_rule_with_unbalanced_parentheses_saves_nothing() -> None:
    with pytest.raises(ValidationError) as error:
        services.rule_add(name="Hỏng", expression="(sách OR báo")
    assert "ngoặc" in error.value.messages[0]
    assert not Rule.objects.filter(name="Hỏng").exists()


def test_many_rules_share_one_index() -> None:
    rules = [(n, f'"phường {n}" AND (ngập OR "cây đổ")') for n in range(2000)]
    rules.append(("đảng", "Đảng"))
    found = Matcher.build(rules).match("Mưa lớn làm cây đổ ở phường 17 và phường 1200; Đảng bộ họp")
    assert sorted(f.rule for f in found if f.rule != "đảng") == [17, 1200]
    assert "đảng" in {f.rule for f in found}


def test_the_match_span_points_at_the_words_found() -> None:
    text = "Sáng nay, Thư viện Hoàn Kiếm mở cửa"
    (found,) = Matcher.build([("r", '"thư viện"')]).match(text)
    assert text[found.start : found.end] == "Thư viện"
