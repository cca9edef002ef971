"""A reader's query, understood the Vietnamese way, and compiled for a backend.

Both sides go through core.vntext: the index stores every word as `search_key` (folded, for
recall) and `search_exact` (marks kept, for ranking); the query's words get the same keys here.

Ranking is by tiers, then newest first; every tier is a plain word/phrase match, so SQLite and
PostgreSQL give the same order (no engine-specific term statistics):

    8  every word matched as typed, not only through Telex/VNI decoding ("never outranks")
    4  the unquoted words stand next to each other, in order (Hà Nội above Hà Nam … Nội Bài)
    2  the marks typed match too ("Đảng" above "đang", "bạn đọc" above "bán đọc")
    1  every word is in the title
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from moduong.core import vntext

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
QUOTES = '"“”„«»'


# A highlight key for a word that must match with its marks (Query.highlight_keys).
EXACT_PREFIX = "="


class QueryError(ValueError):
    """A query that cannot be searched; the message is for the reader."""


@dataclass(frozen=True)
class Word:
    folded: str
    exact: str
    decoded_folded: str | None = None
    decoded_exact: str | None = None

    @property
    def folded_alternatives(self) -> list[str]:
        return [self.folded] + ([self.decoded_folded] if self.decoded_folded else [])

    @property
    def exact_alternatives(self) -> list[str]:
        return [self.exact] + ([self.decoded_exact] if self.decoded_exact else [])


@dataclass(frozen=True)
class Phrase:
    folded: tuple[str, ...]
    exact: tuple[str, ...]


Term = Word | Phrase


@dataclass
class Query:
    text: str
    terms: list[Term] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [term for term in self.terms if isinstance(term, Word)]

    def highlight_keys(self, strict: bool = True) -> set[str]:
        """The keys of the words to highlight (snippets.py): folded keys, and for the words
        typed with marks in a strict search their exact keys, after EXACT_PREFIX."""
        keys: set[str] = set()
        for term in self.terms:
            if isinstance(term, Word):
                pairs = [(term.folded, term.exact)]
                if term.decoded_folded:
                    keys.add(term.decoded_folded)
            else:
                pairs = list(zip(term.folded, term.exact, strict=True))
            for folded, exact in pairs:
                keys.add(EXACT_PREFIX + exact if strict and exact != folded else folded)
        return keys


def _keys(word: str) -> tuple[str, str]:
    return vntext.search_key(word), vntext.search_exact(word)


def _words(text: str) -> list[str]:
    return [text[start:end] for start, end in vntext.word_spans(text)]


def parse(raw: str) -> Query:
    """Raise QueryError with a Vietnamese message for a query that cannot be searched."""
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(
            _("The search words are too long: please use at most %(count)s characters.")
            % {"count": MAX_QUERY_CHARS}
        )
    text = vntext.clean_line(raw)
    if not text:
        raise QueryError(_("Please type the words you are looking for."))
    for quote in QUOTES[1:]:
        text = text.replace(quote, '"')
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an unbalanced quote: the unmatched one is ignored
        parts[-2:] = [parts[-2] + " " + parts[-1]]
    query = Query(text=text)
    for index, part in enumerate(parts):
        words = _words(part)
        quoted = index % 2 == 1
        if quoted and len(words) > 1:
            keys = [_keys(word) for word in words]
            query.terms.append(Phrase(tuple(k[0] for k in keys), tuple(k[1] for k in keys)))
            continue
        for word in words:
            folded, exact = _keys(word)
            decoded = None if quoted else vntext.decode_keystrokes(word)
            if decoded and vntext.search_key(decoded) != folded:
                query.terms.append(Word(folded, exact, *_keys(decoded)))
            else:
                query.terms.append(Word(folded, exact))
    query.terms = query.terms[:MAX_TERMS]
    if not query.terms:
        raise QueryError(_("There is no word to search for: please type letters or digits."))
    return query


# --- an engine-neutral expression tree ---------------------------------------------------------
# ("and", [...]) ("or", [...]) ("phrase", [words]) ("word", word); compiled per backend.

Expr = tuple


def _or(words: list[str]) -> Expr:
    unique = list(dict.fromkeys(words))
    return ("word", unique[0]) if len(unique) == 1 else ("or", [("word", w) for w in unique])


def _phrase(words: tuple[str, ...] | list[str]) -> Expr:
    return ("phrase", list(words)) if len(words) > 1 else ("word", words[0])


@dataclass(frozen=True)
class Tier:
    weight: int
    column: str  # the text the expression is matched against: "folded", "exact" or "title"
    expr: Expr | None

    @property
    def constant(self) -> str:
        """The score of a tier without an expression: with no decoded alternative every match
        is direct (8); any other tier without one scores nothing."""
        return str(self.weight) if self.weight == 8 else "0"


@dataclass(frozen=True)
class Plan:
    """Recall expression (on the folded words) and the tier expressions."""

    recall: Expr
    direct: Expr | None  # None: no decoded alternative, every match is direct
    adjacent: Expr | None  # None: fewer than two unquoted words
    exact: Expr | None  # None: nothing typed with marks, nothing decoded
    title: Expr
    # The words typed with marks, matched with those marks (on the exact keys) besides the
    # recall: "hòa" finds hòa/hoà, never hoa, họa or hoá. None: no word typed with marks, or
    # the approximate search that follows a strict one that found nothing.
    strict: Expr | None = None

    def approximate(self) -> Plan:
        """The same search with the typed marks ignored."""
        return replace(self, strict=None)

    def tiers(self) -> list[Tier]:
        """The ranking tiers both backends compile, heaviest first."""
        return [
            Tier(8, "folded", self.direct),
            Tier(4, "folded", self.adjacent),
            Tier(2, "exact", self.exact),
            Tier(1, "title", self.title),
        ]


def plan(query: Query) -> Plan:
    recall = (
        "and",
        [
            _or(t.folded_alternatives) if isinstance(t, Word) else _phrase(t.folded)
            for t in query.terms
        ],
    )
    decoded = any(w.decoded_folded for w in query.words)
    direct = (
        (
            "and",
            [("word", t.folded) if isinstance(t, Word) else _phrase(t.folded) for t in query.terms],
        )
        if decoded
        else None
    )
    words = query.words
    adjacent: Expr | None = None
    if len(words) > 1:
        typed = _phrase([w.folded for w in words])
        meant = _phrase([w.decoded_folded or w.folded for w in words])
        adjacent = typed if typed == meant else ("or", [typed, meant])
    marked = decoded or any(t.exact != t.folded for t in query.terms)
    exact = (
        (
            "and",
            [
                _or(t.exact_alternatives) if isinstance(t, Word) else _phrase(t.exact)
                for t in query.terms
            ],
        )
        if marked
        else None
    )
    return Plan(
        recall=recall,
        direct=direct,
        adjacent=adjacent,
        exact=exact,
        title=recall,
        strict=_strict(query),
    )


def _strict(query: Query) -> Expr | None:
    """Words typed with marks must match with them. A quoted phrase typed wholly with marks
    matches with them in order; one with some words unmarked keeps its order through the
    recall, and its marked words must also be found with their marks."""
    parts: list[Expr] = []
    for term in query.terms:
        if isinstance(term, Word):
            if term.exact != term.folded:
                parts.append(("word", term.exact))
            continue
        marked = [e != f for e, f in zip(term.exact, term.folded, strict=True)]
        if all(marked):
            parts.append(_phrase(term.exact))
        else:
            parts.extend(("word", e) for e, m in zip(term.exact, marked, strict=True) if m)
    return ("and", parts) if parts else None


def to_fts5(expr: Expr) -> str:
    """FTS5 syntax; every word is a quoted string, so nothing a reader types is an operator."""
    kind, value = expr
    if kind == "word":
        return '"' + value.replace('"', '""') + '"'
    if kind == "phrase":
        return '"' + " ".join(w.replace('"', '""') for w in value) + '"'
    joiner = " AND " if kind == "and" else " OR "
    return "(" + joiner.join(to_fts5(item) for item in value) + ")"


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def pair(first: str, second: str) -> str:
    """The lexeme that PostgreSQL stores for two adjacent words (backends/postgresql.py)."""
    return f"{first} {second}"


def to_tsquery(expr: Expr, pairs: bool = False) -> str:
    """tsquery input syntax with quoted lexemes, cast with ::tsquery (no parser, no stop words).

    With `pairs`, a phrase is matched through the stored pairs of adjacent words, which the GIN
    index answers alone; a phrase of three words or more also keeps the positional check for the
    few rows that have every pair."""
    kind, value = expr
    if kind == "word":
        return _lexeme(value)
    if kind == "phrase":
        ordered = "(" + " <-> ".join(_lexeme(w) for w in value) + ")"
        if not pairs:
            return ordered
        both = " & ".join(_lexeme(pair(a, b)) for a, b in itertools.pairwise(value))
        return f"({both})" if len(value) == 2 else f"({both} & {ordered})"
    joiner = " & " if kind == "and" else " | "
    return "(" + joiner.join(to_tsquery(item, pairs) for item in value) + ")"
