"""The one place where Vietnamese text is normalised, folded, slugged, formatted and sorted.

Every other module calls these functions: text is normalised once on the way in, and search,
matching, de-duplication and sorting all use the same folding, so they always agree.

Tone placement follows the classic style used by the press and by administrative documents
("hòa", "thúy", "ủy", "khỏe"); a misplaced mark ("qủa") is moved to where it belongs ("quả").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

__all__ = [
    "clean_input",
    "clean_line",
    "fold",
    "format_date",
    "format_datetime",
    "format_number",
    "has_control_characters",
    "name_sort_key",
    "normalize",
    "slugify",
    "sort_key",
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

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_VOWELS = set("aăâeêioôơuưy")
_INITIALS = sorted(
    ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *tuple("bcdđghklmnprstvx")),
    key=len,
    reverse=True,
)
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")


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
    token = match.group(0)
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
    """NFC, Đ look-alikes mapped, invisible characters removed, one tone-placement style."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE)).translate(_LOOKALIKES)
    return unicodedata.normalize("NFC", _TOKEN.sub(_place_tone, text))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_input(text: str) -> str:
    """Typed or pasted input: normalised, control characters (NUL included) removed."""
    return normalize(_CONTROL.sub("", text))


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


# --- dates and numbers ------------------------------------------------------------------------

WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return value.astimezone(VN_TZ)


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
