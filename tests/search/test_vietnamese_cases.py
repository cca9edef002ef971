"""The project's Vietnamese test set: what a reader types, the texts, what must be found and in
which order. It runs on SQLite, and on PostgreSQL in the PostgreSQL run, with the same table:
both backends must give the same results.

`expected` lists the texts that must be found, best first; every other text must not be found.
Texts later in the list are newer, so an expected order that puts an earlier text first can only
come from the ranking rules. `unordered` cases check only what is found."""

from dataclasses import dataclass

import pytest

from moduong.search.selectors import search

NFD_HOA = "ho\u0300a bi\u0300nh"  # "hòa bình" in decomposed form


@dataclass(frozen=True)
class Case:
    rule: str
    query: str
    texts: tuple[str, ...]
    expected: tuple[int, ...]
    unordered: bool = False


CASES = [
    # Unicode forms and tone placement, in the text or in the query
    Case("old-style tone in query", "hoà bình", ("Hòa Bình mùa lúa chín", "hoa bìm bìm"), (0,)),
    Case("old-style tone in text", "hòa bình", ("giữ vững hoà bình", "hoa bình thường"), (0,)),
    Case("NFD query", NFD_HOA, ("vì hòa bình thế giới",), (0,)),
    Case("NFD text", "hòa bình", (NFD_HOA + " và hữu nghị",), (0,)),
    Case("thuý/thúy", "Thuý", ("cô Thúy kể chuyện", "cô Thủy kể chuyện"), (0,)),
    Case("uỷ/ủy", "uỷ ban nhân dân", ("Ủy ban nhân dân phường",), (0,)),
    Case("khoẻ/khỏe", "sức khoẻ", ("chăm sóc sức khỏe ban đầu",), (0,)),
    Case("misplaced tone", "qủa", ("hiệu quả công việc",), (0,)),
    # Without marks, đ, case, Ð pasted for Đ
    Case("no marks", "nghi quyet", ("Nghị quyết của Thành ủy", "nghỉ hưu"), (0,)),
    Case("đ without marks", "da nang", ("Đà Nẵng đón khách", "đa dạng"), (0,)),
    Case("capitals", "ĐÀ NẴNG", ("thành phố Đà Nẵng",), (0,)),
    Case("capitals in text", "đà nẵng", ("ĐÀ NẴNG VƯƠN MÌNH",), (0,)),
    Case("eth pasted for Đ", "Ðà Nẵng", ("về Đà Nẵng",), (0,)),
    Case("no marks, capitals", "DA NANG", ("về Đà Nẵng",), (0,)),
    # Raw Telex and VNI keystrokes
    Case("Telex", "nghij quyeets", ("Nghị quyết số 15", "nghỉ phép"), (0,)),
    Case("Telex đ and ngã", "ddaf nawngx", ("bãi biển Đà Nẵng",), (0,)),
    Case("VNI", "nghi5 quye61t", ("Nghị quyết số 15",), (0,)),
    Case("VNI đ", "d9a2 na84ng", ("bãi biển Đà Nẵng",), (0,)),
    Case("Telex vowel before final", "vieetj nam", ("đất nước Việt Nam",), (0,)),
    Case(
        "decoding never outranks a direct match",
        "test",
        ("phần mềm qua bài test", "gói bánh tét"),
        (0, 1),
    ),
    Case("English word kept", "windows", ("cài Windows mới", "cửa sổ"), (0,)),
    Case("English word kept", "class", ("một class học thử", "lớp học"), (0,)),
    # i/y spellings
    Case("kĩ/kỹ", "kĩ thuật", ("cán bộ kỹ thuật",), (0,)),
    Case("lí/lý", "lý luận", ("tạp chí lí luận chính trị",), (0,)),
    Case("Mĩ/Mỹ", "Mĩ", ("nước Mỹ",), (0,)),
    Case("uy is not ui", "thúy", ("áo thụng thui thủi",), ()),
    # Syllables, not substrings
    Case("hoa is not hoạch", "hoa", ("kế hoạch năm", "vườn hoa"), (1,)),
    Case("an is not Đảng", "an", ("Đảng bộ tỉnh", "an toàn"), (1,)),
    Case("hòa is not hoàng", "hòa", ("hoàng hôn", "hòa giải"), (1,)),
    Case("no marks finds every mark", "an", ("ăn cơm", "ân tình", "an cư"), (0, 1, 2), True),
    # Word order
    Case("quoted phrase keeps order", '"sinh học"', ("học sinh giỏi", "môn sinh học"), (1,)),
    Case("quoted phrase without marks", '"ha noi"', ("Hà Nam, Nội Bài", "Hà Nội"), (1,)),
    Case("quoted phrase, not across fields", '"sách mới"', ("sách\n\nmới in", "sách mới in"), (1,)),
    Case("adjacent first", "Hà Nội", ("Hà Nội mùa thu", "Hà Nam gần Nội Bài"), (0, 1)),
    Case("adjacent first", "sinh học", ("môn sinh học", "học sinh giỏi"), (0, 1)),
    Case("adjacent first, no marks", "ha noi", ("sân bay ở Hà Nội", "Hà Nam, Nội Bài"), (0, 1)),
    # Marks typed are information: a word typed with marks matches those marks only
    Case("Đảng is not đang", "Đảng", ("Đảng bộ phường", "đang làm việc"), (0,)),
    Case("bạn đọc is not bán đọc", "bạn đọc", ("thư bạn đọc", "bán đọc báo"), (0,)),
    Case("hòa is not hoa", "hòa", ("hòa thuận", "hoa đào"), (0,)),
    Case(
        "hoà giải is not minh họa, số hóa, giai đoạn",
        "hoà giải",
        ("minh họa giai đoạn", "số hóa và hòa nhập", "hòa giải ở cơ sở", "hoà giải viên"),
        (2, 3),
        unordered=True,
    ),
    Case("marks in NFD", "ho\u0300a gia\u0309i", ("hòa giải", "hoa giai"), (0,)),
    Case("kỹ marks either spelling", "kỹ", ("kĩ năng", "kỷ niệm", "kí sự"), (0,)),
    Case(
        "one word marked, one not",
        "hòa giai",
        ("hòa giải", "hòa giai điệu", "họa giải"),
        (0, 1),
        unordered=True,
    ),
    Case(
        "marked phrase keeps its marks",
        '"hòa giải"',
        ("giải hòa", "họa giải", "tổ hòa giải"),
        (2,),
    ),
    Case("no marks: no preference", "dang", ("Đảng bộ", "đang làm"), (0, 1), unordered=True),
    # No English stop words
    Case("an ninh", "an ninh", ("bảo đảm an ninh trật tự",), (0,)),
    Case("to lớn", "to lớn", ("thành tựu to lớn",), (0,)),
    Case("do", "do", ("do dân và vì dân",), (0,)),
    Case("a single stop word", "to", ("cái bàn to",), (0,)),
    # Query syntax of search engines is just text
    Case("star", "sách*", ("sách hay",), (0,)),
    Case("minus", "sách -hay", ("sách hay", "sách mới"), (0,)),
    Case("NEAR", "NEAR(sách)", ("sách near nhà", "sách hay"), (0,)),
    Case("unbalanced quote", '"hội sách', ("hội sách mùa thu", "sách hội họa"), (0, 1)),
    Case("AND/OR are words", "sách OR báo", ("sách hay", "báo or sách"), (1,)),
    Case("column syntax", "title:sách", ("title: sách mới", "sách mới"), (0,)),
    # Digits
    Case("numbers", "Covid-19", ("phòng COVID-19",), (0,)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}: {c.query}" for c in CASES])
def test_vietnamese_case(case: Case, index) -> None:  # type: ignore[no-untyped-def]
    index(list(case.texts))
    page = search(text=case.query, page_size=50)
    assert not page.message
    found = [int(result.url.strip("/").split("-")[1]) for result in page.results]
    if case.unordered:
        assert sorted(found) == sorted(case.expected)
    else:
        assert found == list(case.expected)
    assert page.total == len(case.expected)


def test_marks_that_find_nothing_give_the_matches_without_them_said_to_be_approximate(
    index,
) -> None:  # type: ignore[no-untyped-def]
    index(["hoa giai đoạn", "minh họa giải thích", "hoa"])
    page = search(text="hoà giải", page_size=50)
    assert page.approximate
    assert sorted(int(r.url.strip("/").split("-")[1]) for r in page.results) == [0, 1]
    exact = search(text="hoa giai", page_size=50)
    assert not exact.approximate and exact.total == 2
    assert search(text="xyzw", page_size=50).total == 0


def test_the_set_covers_every_rule() -> None:
    assert len(CASES) >= 40
