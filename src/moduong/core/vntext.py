"""The one place where Vietnamese text is normalised, folded, slugged, formatted and sorted.

Every other module calls these functions: text is normalised once on the way in, and search,
matching, de-duplication and sorting all use the same folding, so they always agree.

Tone placement follows the classic style used by the press and by administrative documents
("hòa", "thúy", "ủy", "khỏe"); a misplaced mark ("qủa") is moved to where it belongs ("quả").
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

import nh3

__all__ = [
    "clean_input",
    "clean_line",
    "decode_keystrokes",
    "fold",
    "format_date",
    "format_datetime",
    "format_number",
    "has_control_characters",
    "name_sort_key",
    "normalize",
    "search_exact",
    "search_key",
    "slugify",
    "sort_key",
    "word_spans",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Characters that look like nothing but break matching: zero-width space/joiners, word joiner,
# byte-order mark, soft hyphen, and the bidi marks that copy-paste from office suites leaves.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"),
    None,
)
# Look-alikes of Đ/đ pasted from other scripts (Icelandic eth, African D).
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110"})

_NEEDS_TRANSLATE = re.compile(
    "[" + "".join(map(chr, _INVISIBLE)) + "".join(map(chr, _LOOKALIKES)) + "]"
)

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_VOWELS = set("aăâeêioôơuưy")
_INITIALS = sorted(
    ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *tuple("bcdđghklmnprstvx")),
    key=len,
    reverse=True,
)
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
# Combining marks a letter may carry once composed (NFC): none in Vietnamese, one or two in the
# few languages a name or a quotation may bring (Yoruba ẹ́). Beyond that it is a "zalgo" flood
# ("á" + 1,000 U+0301) that stretches lines across the page and bloats what is stored.
MAX_MARKS_PER_LETTER = 2
_MARK_CLASS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0e31\u0e34-\u0e3a"
    "\u0e47-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_MARK_FLOOD = re.compile(f"([{_MARK_CLASS}]{{{MAX_MARKS_PER_LETTER}}})[{_MARK_CLASS}]+")


def _letters(token: str) -> tuple[list[str], list[int]] | None:
    """Split a token into letters without tone, and the letter indexes that carry a tone."""
    letters: list[str] = []
    toned: list[int] = []
    for ch in unicodedata.normalize("NFD", token):
        if ch in _TONES:
            if not letters:
                return None
            toned.append(len(letters) - 1)
        elif unicodedata.combining(ch):
            if not letters:
                return None
            letters[-1] += ch
        else:
            letters.append(ch)
    return [unicodedata.normalize("NFC", letter) for letter in letters], toned


def _tone_index(lower: list[str]) -> int | None:
    """Where the classic style puts the tone in a syllable, or None if it is not Vietnamese."""
    word = "".join(lower)
    start = 0
    for initial in _INITIALS:
        if word.startswith(initial):
            start = len(initial)
            break
    # "gi" and "qu" own their vowel only when another vowel follows (gìn, quả vs. gì).
    if word[:2] in {"gi", "qu"} and start == 2 and not any(c in _VOWELS for c in word[2:]):
        start = 1
    end = start
    while end < len(word) and word[end] in _VOWELS:
        end += 1
    cluster = list(range(start, end))
    final = word[end:]
    if not cluster or len(cluster) > 3 or final not in _FINALS:
        return None
    shaped = [i for i in cluster if lower[i] in "ăâêôơư"]
    if shaped:
        return shaped[-1]
    if final:
        return cluster[-1]
    if len(cluster) == 3:
        return cluster[1]
    return cluster[0]


def _place_tone(match: re.Match[str]) -> str:
    return _placed(match.group(0))


# A language has few distinct words: caching them makes normalising a long text cheap.
@functools.lru_cache(maxsize=200_000)
def _placed(token: str) -> str:
    split = _letters(token)
    if split is None:
        return token
    letters, toned = split
    if len(toned) != 1:
        return token
    lower = [letter.lower() for letter in letters]
    if any(len(letter) != 1 for letter in lower):
        return token
    target = _tone_index(lower)
    if target is None or target == toned[0]:
        return token
    tone = next(ch for ch in unicodedata.normalize("NFD", token) if ch in _TONES)
    letters[target] = unicodedata.normalize("NFC", letters[target] + tone)
    return "".join(letters)


def normalize(text: str) -> str:
    """NFC, Đ look-alikes mapped, invisible characters removed, one tone-placement style, at
    most MAX_MARKS_PER_LETTER combining marks on a letter."""
    if not text:
        return ""
    # translate() walks every character; most text has nothing to translate, which one regex
    # search finds out much faster on long articles.
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_LOOKALIKES)
    text = _MARK_FLOOD.sub(r"\1", text)
    return unicodedata.normalize("NFC", _TOKEN.sub(_place_tone, text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_input(text: str) -> str:
    """Typed or pasted input: normalised, control characters (NUL included) removed."""
    return normalize(_CONTROL.sub("", text))


# What a browser would take for the start of a tag, a comment or a declaration.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z!/?])")
_PLAIN_ROUNDS = 5


def plain_text(text: str) -> str:
    """What a person typed into a plain-text field, as plain text: entities decoded, then tags
    removed (a script or a style with its content), then normalised (clean_input).

    Decoding comes first and the two steps repeat until nothing changes, so "&lt;script&gt;",
    "&amp;lt;b&amp;gt;" or "<<b>script>" cannot come out of the cleaning as a tag. Whatever
    still looks like the start of a tag after that gets a space, which no browser reads as
    one. Pages escape the result again; the API hands it out as it is."""
    for _ in range(_PLAIN_ROUNDS):
        decoded = html.unescape(text)
        cleaned = html.unescape(
            nh3.clean(decoded, tags=set(), clean_content_tags={"script", "style"})
        )
        if cleaned == text:
            break
        text = cleaned
    return clean_input(_TAG_OPEN.sub("< ", text)).strip()


def clean_line(text: str) -> str:
    """A one-line field (a name, a title, an address): clean_input, runs of white space as one
    space, nothing at either end."""
    return " ".join(clean_input(text).split())


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def fold(text: str) -> str:
    """The matching key: normalised, lower case, every mark removed, đ → d."""
    decomposed = unicodedata.normalize("NFD", normalize(text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug the Vietnamese way: "Ngành Tuyên giáo Thủ đô" → "nganh-tuyen-giao-thu-do"."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def _slug_letters() -> list[tuple[str, str]]:
    """Each marked Latin letter that fold() turns into one ASCII letter, grouped by that letter
    (both cases): ắ, Ắ, ặ … → a; đ, Đ, Ð → d."""
    groups: dict[str, list[str]] = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            char = chr(code)
            folded = fold(char)
            plain = len(folded) == 1 and folded.isascii() and folded.isalpha()
            if plain and char.lower() != folded:
                groups.setdefault(folded, []).append(char)
    return [(f"[{''.join(chars)}]", letter) for letter, chars in sorted(groups.items())]


# slugify() as the ordered regular-expression replacements that the admin's slug script (Wagtail's
# SlugInput "formatters") runs before its own clean-up, so that a title typed in the browser gets
# the very slug the server would make. tests/core/test_slugs.py runs this list in Python against
# slugify(). "$1" is JavaScript's back-reference.
SLUG_FORMATTERS: list[tuple[str, str]] = [
    ("[" + "".join(map(chr, _INVISIBLE)) + "]", ""),
    ("[\u0300-\u036f]", ""),  # marks typed or pasted as separate characters (NFD)
    *_slug_letters(),
    ("[^A-Za-z0-9]+", "-"),
    ("^-+|-+$", ""),
    # Longer than 80: cut at the last hyphen within the first 80 characters, else at 80.
    ("^(?=[\\s\\S]{81})([\\s\\S]{0,79})-[\\s\\S]*$", "$1"),
    ("^([\\s\\S]{80})[\\s\\S]+$", "$1"),
]


# --- search keys ------------------------------------------------------------------------------
# Search compares words (syllables), never substrings: "hoa" must not find "hoạch". Text and
# queries go through the same three functions, at index and at query time, so they agree.

_WORD = re.compile(r"[^\W_]+")
# Where i and y are interchangeable (kĩ/kỹ, lí/lý, Mĩ/Mỹ, quí/quý): a consonant onset followed by
# the vowel alone. "uy" (thúy) and "y" on its own (ý) are left alone: there the letter matters.
_IY_ONSETS = frozenset({"b", "c", "d", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x"})
_IY_ONSETS |= {"ch", "kh", "ph", "th", "tr", "nh", "ng", "gh", "ngh", "qu"}
_Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where the words of already normalised text are: runs of letters and digits."""
    return [match.span() for match in _WORD.finditer(text)]


def _iy_unified(word: str, folded: str) -> str:
    if len(folded) >= 2 and folded[-1] == "y" and folded[:-1] in _IY_ONSETS:
        return word[:-1] + word[-1].translate(_Y_TO_I)
    return word


@functools.lru_cache(maxsize=200_000)
def search_key(word: str) -> str:
    """The recall key of one word: folded (no marks, đ → d, lower case), i/y unified."""
    folded = fold(word)
    return _iy_unified(folded, folded)


@functools.lru_cache(maxsize=200_000)
def search_exact(word: str) -> str:
    """The ranking key of one word: lower case with its marks kept, i/y unified, so a reader who
    typed the marks finds that exact word first ("Đảng" before "đang")."""
    exact = normalize(word).casefold()
    return _iy_unified(exact, fold(exact))


# Telex and VNI keystrokes left in the text when the input method was off: "nghij quyeets",
# "ddaf nawngx", "nghi5 quye61t". Decoding is a fallback for a word that is not Vietnamese as it
# stands and becomes a Vietnamese syllable once decoded; anything else is left alone, so English
# words typed on purpose are searched as they are.
_TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
_VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
_HAT = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư", "a": "ă"}
_PLAIN_VOWELS = set("aeiouy")


# Vowel groups that exist in Vietnamese; the tone-placement rule above accepts any group, which is
# right for placing marks but too loose to tell "nghij" (a syllable) from "near" (not one).
_NUCLEI = frozenset(
    [
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "i",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iê",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "ôi",
        "ơi",
        "oo",
        "ua",
        "uâ",
        "uê",
        "ui",
        "uô",
        "uơ",
        "uy",
        "ưa",
        "ưi",
        "ưu",
        "ươ",
        "yê",
        "iêu",
        "oai",
        "oao",
        "oay",
        "oeo",
        "uây",
        "uôi",
        "uya",
        "uyê",
        "uyu",
        "ươi",
        "ươu",
        "yêu",
    ]
)


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable: onset, a vowel group that exists, a legal final."""
    letters = list(unicodedata.normalize("NFC", word))
    if not letters or _tone_index(letters) is None:
        return False
    bare = fold("".join(letters)).replace("đ", "d")
    shaped = "".join(letters)
    onset = next((i for i in _INITIALS if shaped.startswith(i)), "")
    if onset in {"gi", "qu"} and any(c in _VOWELS for c in shaped[2:]):
        shaped = shaped[2:]
    else:
        shaped = shaped[len(onset) :]
    nucleus = "".join(c for c in shaped if c in _VOWELS)
    final = shaped[len(nucleus) :]
    if nucleus not in _NUCLEI or not bare:
        return False
    # ă and â never end a syllable, nor do iê/uô/ươ/yê; "oo" only before ng or c (xoong, moóc).
    if not final and (nucleus in {"ă", "â", "iê", "uô", "ươ", "yê", "oo"}):
        return False
    return not (nucleus == "oo" and final not in {"ng", "c"})


def _finish(letters: list[str], tone: str | None) -> str | None:
    word = "".join(letters)
    if not _is_syllable(word):
        return None
    if tone:
        first = next((i for i, ch in enumerate(letters) if ch in _VOWELS), None)
        if first is None:
            return None
        letters = list(letters)
        letters[first] = unicodedata.normalize("NFC", letters[first] + tone)
        word = normalize("".join(letters))  # moves the mark to where it belongs
    return word


def _decode_telex(word: str) -> str | None:
    letters: list[str] = []
    tone: str | None = None
    used = False
    for index, ch in enumerate(word):
        previous = letters[-1] if letters else ""
        if ch == "d" and previous == "d" and len(letters) == 1:
            letters[-1] = "đ"
            used = True
        elif ch in _TELEX_TONES and any(c in _VOWELS for c in letters) and index > 0:
            if tone is not None:
                return None
            tone = _TELEX_TONES[ch]
            used = True
        elif ch == "w":
            if previous == "o" and len(letters) >= 2 and letters[-2] == "u":
                letters[-2:] = ["ư", "ơ"]
            elif previous in _HORN:
                letters[-1] = _HORN[previous]
            elif not previous or previous not in _VOWELS:
                letters.append("ư")
            else:
                return None
            used = True
        elif ch in _HAT and previous == ch:
            letters[-1] = _HAT[ch]
            used = True
        elif ch in _HAT and previous in _VOWELS and len(letters) >= 2:
            # The hat typed after the final: "vieetj" is common, "vietej" is not; only the
            # doubled vowel counts, so English words like "does" keep their letters.
            letters.append(ch)
        else:
            letters.append(ch)
    return _finish(letters, tone) if used else None


def _decode_vni(word: str) -> str | None:
    letters: list[str] = []
    tone: str | None = None
    for ch in word:
        if ch in _VNI_TONES:
            if tone is not None:
                return None
            tone = _VNI_TONES[ch]
            continue
        if ch in "6789":
            targets = {"6": "aeo", "7": "ou", "8": "a", "9": "d"}[ch]
            for i in range(len(letters) - 1, -1, -1):
                if letters[i] in targets:
                    if ch == "6":
                        letters[i] = _HAT[letters[i]]
                    elif ch == "7":
                        letters[i] = _HORN[letters[i]]
                        if letters[i] == "ơ" and i > 0 and letters[i - 1] == "u":
                            letters[i - 1] = "ư"
                    elif ch == "8":
                        letters[i] = "ă"
                    else:
                        letters[i] = "đ"
                    break
            else:
                return None
            continue
        if ch.isdigit():
            return None
        letters.append(ch)
    return _finish(letters, tone) if letters else None


def decode_keystrokes(word: str) -> str | None:
    """The syllable meant by raw Telex or VNI keystrokes ("nghij", "ddaf", "quye61t"), or None
    when the word is already a Vietnamese syllable, has marks, or decodes to nothing valid."""
    lower = word.lower()
    if not (2 <= len(lower) <= 10) or not lower.isascii() or not lower.isalnum():
        return None
    if lower.isalpha() and _is_syllable(lower):
        return None
    if lower.isdigit() or not lower[0].isalpha():
        return None
    decoded = _decode_vni(lower) if any(c.isdigit() for c in lower) else _decode_telex(lower)
    return decoded if decoded and decoded != lower else None


# --- dates and numbers ------------------------------------------------------------------------

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return value.astimezone(VN_TZ)


def format_iso(value: dt.datetime) -> str:
    """ISO 8601 in Vietnam's time zone, to the second: "2023-01-30T08:03:00+07:00"."""
    return _local(value).isoformat(timespec="seconds")


def format_datetime(value: dt.datetime, weekday: bool = True) -> str:
    """ "Thứ hai, 30/01/2023 08:03" in Vietnam's time zone."""
    local = _local(value)
    text = local.strftime("%d/%m/%Y %H:%M")
    return f"{WEEKDAYS[local.weekday()]}, {text}" if weekday else text


def format_date(value: dt.date | dt.datetime, weekday: bool = False) -> str:
    """ "30/01/2023", or "Thứ hai, 30/01/2023"."""
    day = _local(value).date() if isinstance(value, dt.datetime) else value
    text = day.strftime("%d/%m/%Y")
    return f"{WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def format_date_words(value: dt.date | dt.datetime) -> str:
    """ "ngày 06 tháng 02 năm 2026": the date line of an official paper, the day below 10 and
    the months January and February written with a leading zero (Decree 30/2020/NĐ-CP)."""
    day = _local(value).date() if isinstance(value, dt.datetime) else value
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """Dots between thousands, a comma before decimals: 319.156 and 3,5."""
    if decimals is None:
        decimals = 0 if isinstance(value, int) or Decimal(str(value)) % 1 == 0 else 2
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


# --- sorting ----------------------------------------------------------------------------------

# The Vietnamese alphabet, with f, j, w and z (in foreign names) where the Latin one has them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_SORT_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def sort_key(text: str) -> SortKey:
    """Order the Vietnamese way: a < ă < â < b … d < đ < e < ê; tones (none, huyền, hỏi, ngã,
    sắc, nặng) break ties after the letters; upper case after lower case last of all."""
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in normalize(text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c not in _SORT_TONES)
        tone = next((_SORT_TONES[c] for c in decomposed if c in _SORT_TONES), 0)
        letter = unicodedata.normalize("NFC", base)
        lower = letter.lower()
        if lower in _RANK:
            primary.append(1000 + _RANK[lower])
        elif lower.isspace():
            primary.append(0)
        elif lower.isdigit():
            primary.append(100 + int(lower) if lower.isascii() else 200)
        else:
            primary.append(2000 + ord(lower))
        tones.append(tone)
        cases.append(0 if letter == lower else 1)
    return tuple(primary), tuple(tones), tuple(cases)


def name_sort_key(full_name: str) -> tuple[SortKey, ...]:
    """Offices list people by given name, then family name, then middle names:
    "Trần Văn An" sorts before "Nguyễn Thị Bình"."""
    words = normalize(full_name).split()
    if not words:
        return ()
    ordered: Iterable[str] = [words[-1], *words[:-1]]
    return tuple(sort_key(word) for word in ordered)
