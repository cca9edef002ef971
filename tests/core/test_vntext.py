import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moduong.core import vntext

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
TONES = "\u0300\u0301\u0303\u0309\u0323"
vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list(VIETNAMESE_LETTERS) + list(TONES) + [" ", "\u200b", "\u00ad", "Ð", "ð", "-", "1"]
    ),
    max_size=60,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("hòa", "hòa"),
        ("thuý", "thúy"),
        ("uỷ ban", "ủy ban"),
        ("khoẻ", "khỏe"),
        ("qủa", "quả"),
        ("quả", "quả"),
        ("Thành uỷ", "Thành ủy"),
        ("HOÀ BÌNH", "HÒA BÌNH"),
        ("hoàng", "hoàng"),  # a closed syllable keeps the mark on the last vowel
        ("người", "người"),
        ("khuỷu tay", "khuỷu tay"),
        ("tuỳ", "tùy"),
        ("gìn giữ", "gìn giữ"),
        ("Ðà Nẵng", "Đà Nẵng"),
        ("ðường", "đường"),
        ("Hà\u200b Nội", "Hà Nội"),
        ("xuất\u00adbản", "xuấtbản"),
        ("café", "café"),  # not Vietnamese: left alone
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert vntext.normalize(raw) == expected


def test_normalize_composes_nfd() -> None:
    nfd = unicodedata.normalize("NFD", "Nghị quyết")
    assert nfd != "Nghị quyết"
    assert vntext.normalize(nfd) == "Nghị quyết"


@pytest.mark.parametrize(
    ("raw", "folded"),
    [("Đà Nẵng", "da nang"), ("ĐÀ NẴNG", "da nang"), ("Nghị quyết", "nghi quyet"), ("Ð", "d")],
)
def test_fold(raw: str, folded: str) -> None:
    assert vntext.fold(raw) == folded


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đà Nẵng", "da-nang"),
        ("Ngành Tuyên giáo Thủ đô", "nganh-tuyen-giao-thu-do"),
        ("  Hỏi — đáp: Luật Đất đai 2024!  ", "hoi-dap-luat-dat-dai-2024"),
        ("", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert vntext.slugify(title) == slug


def test_slugify_cuts_at_a_word() -> None:
    slug = vntext.slugify("Cuộc thi tìm hiểu lịch sử Đảng bộ thành phố " * 5, max_length=40)
    assert len(slug) <= 40
    assert not slug.endswith("-")
    assert "cuoc-thi-tim-hieu" in slug


def test_format_datetime_in_vietnam_time() -> None:
    moment = dt.datetime(2023, 1, 30, 1, 3, tzinfo=dt.UTC)
    assert vntext.format_datetime(moment) == "Thứ hai, 30/01/2023 08:03"
    sunday = dt.datetime(2023, 2, 5, 10, 0, tzinfo=vntext.VN_TZ)
    assert vntext.format_datetime(sunday) == "Chủ nhật, 05/02/2023 10:00"


def test_format_datetime_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        vntext.format_datetime(dt.datetime(2023, 1, 30, 8, 3))


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (319156, "319.156"),
        (1949, "1.949"),
        (26000, "26.000"),
        (3.5, "3,5"),
        (0, "0"),
        (1070547, "1.070.547"),
        (-1200, "-1.200"),
    ],
)
def test_format_number(number: float, text: str) -> None:
    assert vntext.format_number(number) == text


def test_sort_key_orders_the_vietnamese_alphabet() -> None:
    words = ["đá", "e", "ăn", "da", "ê", "an", "ân", "dạ", "bê", "Bé", "dà", "dã", "đ", "y"]
    assert sorted(words, key=vntext.sort_key) == [
        "an",
        "ăn",
        "ân",
        "Bé",
        "bê",
        "da",
        "dà",
        "dã",
        "dạ",
        "đ",
        "đá",
        "e",
        "ê",
        "y",
    ]


def test_sort_key_ignores_unicode_form() -> None:
    assert vntext.sort_key(unicodedata.normalize("NFD", "Trường")) == vntext.sort_key("Trường")


def test_name_sort_key_orders_by_given_name() -> None:
    people = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Đức Anh", "Phạm Thị Ánh"]
    assert sorted(people, key=vntext.name_sort_key) == [
        "Trần Văn An",
        "Lê Đức Anh",
        "Phạm Thị Ánh",
        "Nguyễn Thị Bình",
    ]


@given(st.text(max_size=80))
def test_normalize_is_idempotent(text: str) -> None:
    once = vntext.normalize(text)
    assert vntext.normalize(once) == once


@given(vietnamese_text)
def test_normalize_is_idempotent_on_vietnamese(text: str) -> None:
    once = vntext.normalize(text)
    assert vntext.normalize(once) == once


@given(st.text(max_size=80) | vietnamese_text)
def test_fold_ignores_normalization(text: str) -> None:
    assert vntext.fold(vntext.normalize(text)) == vntext.fold(text)


@given(vietnamese_text)
def test_fold_leaves_no_marks_and_no_d_stroke(text: str) -> None:
    folded = vntext.fold(text)
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))
    assert "đ" not in folded and "Đ" not in folded


@given(st.text(max_size=120) | vietnamese_text)
def test_slugs_are_ascii_and_stable(text: str) -> None:
    slug = vntext.slugify(text)
    assert slug.isascii()
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert vntext.slugify(slug) == slug
    assert vntext.slugify(vntext.normalize(text)) == slug


def test_foreign_letters_sort_in_latin_order() -> None:
    assert sorted(["Zalo", "Yên Bái", "Facebook", "Đà Lạt", "Gia Lai"], key=vntext.sort_key) == [
        "Đà Lạt",
        "Facebook",
        "Gia Lai",
        "Yên Bái",
        "Zalo",
    ]


def test_clean_input_drops_control_characters() -> None:
    assert vntext.clean_input("Nghị\x00 quyết\x07") == "Nghị quyết"


def test_clean_line_makes_one_tidy_line() -> None:
    assert (
        vntext.clean_line("  Số 5\tngõ Trạm\n\x00phường  Hoàn Kiếm ")
        == "Số 5 ngõ Trạm phường Hoàn Kiếm"
    )
    assert vntext.has_control_characters("a\x07b") and not vntext.has_control_characters("a b")


@pytest.mark.parametrize(
    ("keys", "meant"),
    [
        ("nghij", "nghị"),
        ("quyeets", "quyết"),
        ("ddaf", "đà"),
        ("nawngx", "nẵng"),
        ("vieetj", "việt"),
        ("truwowngf", "trường"),
        ("nghi5", "nghị"),
        ("quye61t", "quyết"),
        ("d9a2", "đà"),
        ("na84ng", "nẵng"),
        ("ngu7o7i2", "người"),
    ],
)
def test_raw_telex_and_vni_keystrokes_decode_to_the_syllable(keys: str, meant: str) -> None:
    assert vntext.decode_keystrokes(keys) == meant


@pytest.mark.parametrize(
    "word",
    [
        "nghi",
        "an",
        "class",
        "windows",
        "office",
        "express",
        "near",
        "teams",
        "python",
        "hello",
        "good",
        "free",
        "2025",
        "Hà",
        "x",
    ],
)
def test_syllables_english_words_and_marked_words_are_not_decoded(word: str) -> None:
    assert vntext.decode_keystrokes(word) is None


def test_search_keys_fold_marks_and_unify_i_y() -> None:
    assert vntext.search_key("Đà") == vntext.search_key("ÐÀ") == "da"
    assert vntext.search_key("kỹ") == vntext.search_key("kĩ") == "ki"
    assert vntext.search_key("Mỹ") == vntext.search_key("mĩ")
    assert vntext.search_key("thúy") == "thuy" != vntext.search_key("thui")
    assert vntext.search_exact("Đảng") == "đảng" != vntext.search_exact("đang")
    assert vntext.search_exact("lý") == vntext.search_exact("lí") == "lí"
    assert vntext.search_exact("thuý") == vntext.search_exact("thúy")


def test_iso_dates_are_in_vietnam_time_to_the_second() -> None:
    import datetime as dt

    from moduong.core import vntext

    utc = dt.datetime(2023, 1, 30, 1, 3, 0, 635582, tzinfo=dt.UTC)
    assert vntext.format_iso(utc) == "2023-01-30T08:03:00+07:00"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt;Chào", "Chào"),
        ("&amp;lt;b&amp;gt;đậm&amp;lt;/b&amp;gt;", "đậm"),
        ("<<b>script>alert(1)", ""),
        ("<<b>b>x", "x"),
        ("<p>Xin <i>chào</i></p>", "Xin chào"),
        ("1 < 2 & 3 > 2", "1 < 2 & 3 > 2"),
        ("Sách &amp; báo", "Sách & báo"),
    ],
)
def test_plain_text_holds_no_tag_however_it_was_encoded(typed: str, stored: str) -> None:
    assert vntext.plain_text(typed) == stored


def test_a_flood_of_combining_marks_is_cut_to_what_a_letter_can_carry() -> None:
    flood = "á" + "\u0301" * 1000 + " và " + "o" + "\u0300\u0301\u0302\u0303" * 50 + "k"
    normalized = vntext.normalize(flood)
    assert len(normalized) < 20
    assert normalized.startswith("á") and normalized.endswith("k")
    for letter in re.findall(r"\w[\u0300-\u036f]*", normalized):
        assert len(letter) <= 1 + vntext.MAX_MARKS_PER_LETTER
    assert vntext.normalize(normalized) == normalized
    assert len(vntext.clean_line("Nguyễn" + "\u0323" * 500 + " Văn A")) <= len("Nguyễn Văn A") + 3


def test_marks_that_real_text_needs_are_kept() -> None:
    # Vietnamese in NFD (two marks on ệ) and a Yoruba letter that stays decomposed in NFC.
    assert vntext.normalize("Vie\u0323\u0302t Nam") == "Việt Nam"
    assert vntext.normalize("e\u0323\u0301") == unicodedata.normalize("NFC", "e\u0323\u0301")
