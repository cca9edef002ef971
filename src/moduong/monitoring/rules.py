"""Rules as officers write them, and matching thousands of them against an item at once.

A rule is words and "quoted phrases" joined by AND, OR, NOT and parentheses; two terms side by
side mean AND, and `a NOT b` means a AND NOT b. Matching is by whole syllables through
core.vntext: a term's syllable matches a text syllable whose folded key is the same, and, when
the rule wrote the syllable with marks, the text syllable must carry those very marks or none
at all (text typed without marks still matches; "Đảng" does not match "đang").

Rules are indexed, not run one by one: every distinct term goes into a dictionary keyed by the
folded key of its first syllable; an item is tokenised once, each of its syllables looks up the
terms that start there, and only the rules that use a term found in the item are evaluated.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from moduong.core import vntext

__all__ = ["Found", "Matcher", "RuleError", "parse", "syllables_of"]

# A syllable of a rule or a text: (folded recall key, exact key, or "" when it has no marks).
Syllable = tuple[str, str]
Node = tuple[Any, ...]

_WORD = re.compile(r"[^\W_]+")
_LEXEME = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')
_OPERATORS = {"AND", "OR", "NOT"}


class RuleError(ValueError):
    """A rule that cannot be read; the message is for the officer who wrote it."""


@functools.lru_cache(maxsize=500_000)
def _syllable(word: str) -> Syllable:
    key = vntext.search_key(word)
    exact = vntext.search_exact(word)
    return key, ("" if exact == key else exact)


def syllables_of(text: str) -> tuple[list[Syllable], list[tuple[int, int]]]:
    """The syllables of a text and where each one is in normalize(text)."""
    normal = vntext.normalize(text)
    spans = [m.span() for m in _WORD.finditer(normal)]
    return [_syllable(normal[a:b]) for a, b in spans], spans


def _term(text: str) -> tuple[Syllable, ...]:
    return tuple(_syllable(w) for w in _WORD.findall(vntext.normalize(text)))


def parse(expression: str) -> tuple[Node, list[tuple[Syllable, ...]]]:
    """The expression as a tree of ("term", i) / ("and", ...) / ("or", ...) / ("not", node)
    nodes, and its terms. RuleError (Vietnamese) when it cannot be read."""
    expression = vntext.clean_line(expression)
    lexemes: list[tuple[str, str]] = []
    position = 0
    while position < len(expression):
        m = _LEXEME.match(expression, position)
        if m is None or m.end() == position:
            break
        position = m.end()
        if m.group("quote") is not None:
            quoted = m.group("quote")
            if len(quoted) < 2 or not quoted.endswith('"'):
                raise RuleError(_("A quotation mark is not closed."))
            lexemes.append(("term", quoted[1:-1]))
        elif m.group("open"):
            lexemes.append(("(", "("))
        elif m.group("close"):
            lexemes.append((")", ")"))
        else:
            word = m.group("word")
            lexemes.append(("op", word) if word in _OPERATORS else ("term", word))
    if not lexemes:
        raise RuleError(_("The rule is empty."))
    terms: list[tuple[Syllable, ...]] = []
    index: dict[tuple[Syllable, ...], int] = {}
    at = 0

    def peek() -> tuple[str, str] | None:
        return lexemes[at] if at < len(lexemes) else None

    def take() -> tuple[str, str]:
        nonlocal at
        at += 1
        return lexemes[at - 1]

    def primary() -> Node:
        token = peek()
        if token is None:
            raise RuleError(_("The rule ends where a word was expected."))
        kind, value = take()
        if kind == "(":
            node = either()
            if peek() is None or peek() != (")", ")"):
                raise RuleError(_("Parentheses are not balanced: a “(” is not closed."))
            take()
            return node
        if kind == ")":
            raise RuleError(_("Parentheses are not balanced: a “)” has no “(”."))
        if kind == "op" and value == "NOT":
            return ("not", primary())
        if kind == "op":
            raise RuleError(_("“%(word)s” needs a word before and after it.") % {"word": value})
        term = _term(value)
        if not term:
            raise RuleError(_("“%(word)s” has no letter or digit to look for.") % {"word": value})
        if term not in index:
            index[term] = len(terms)
            terms.append(term)
        return ("term", index[term])

    def both() -> Node:
        parts = [primary()]
        while (token := peek()) is not None and token not in {(")", ")"), ("op", "OR")}:
            if token == ("op", "AND"):
                take()
            parts.append(primary())
        return parts[0] if len(parts) == 1 else ("and", *parts)

    def either() -> Node:
        parts = [both()]
        while peek() == ("op", "OR"):
            take()
            parts.append(both())
        return parts[0] if len(parts) == 1 else ("or", *parts)

    tree = either()
    if at < len(lexemes):
        raise RuleError(_("Parentheses are not balanced: a “)” has no “(”."))
    if _evaluate(tree, set()):
        raise RuleError(_("The rule must look for at least one word, not only exclude words."))
    return tree, terms


def _evaluate(node: Node, present: set[int] | frozenset[int]) -> bool:
    kind = node[0]
    if kind == "term":
        return node[1] in present
    if kind == "and":
        return all(_evaluate(child, present) for child in node[1:])
    if kind == "or":
        return any(_evaluate(child, present) for child in node[1:])
    return not _evaluate(node[1], present)


def _remap(node: Node, ids: list[int]) -> Node:
    if node[0] == "term":
        return ("term", ids[node[1]])
    return (node[0], *(_remap(child, ids) for child in node[1:]))


def _fits(rule: Syllable, text: Syllable) -> bool:
    return rule[0] == text[0] and (not rule[1] or not text[1] or rule[1] == text[1])


def _anchor(node: Node, terms: list[tuple[Syllable, ...]]) -> frozenset[int] | None:
    """Terms one of which must be in a text for the rule to hold there (None: the node can
    hold with none of its terms, as NOT does). A rule is looked at only when an item holds one
    of its anchor terms: for AND the anchor of one child (the fewest terms, the longest
    phrases), for OR the anchors of all."""
    kind = node[0]
    if kind == "term":
        return frozenset((node[1],))
    if kind == "not":
        return None
    children = [_anchor(child, terms) for child in node[1:]]
    if kind == "or":
        if any(child is None for child in children):
            return None
        return frozenset().union(*children)  # type: ignore[arg-type]
    chosen = [child for child in children if child is not None]
    if not chosen:
        return None
    return min(chosen, key=lambda a: (len(a), -min(len(terms[t]) for t in a)))


@dataclass
class Found:
    """A rule that matched, and the span (in the normalised text) of its first term found."""

    rule: Any
    start: int
    end: int


class _Item:
    """One text while it is matched: its syllables, and where each folded key occurs (built
    only when some rule's anchor is there)."""

    __slots__ = ("_positions", "_present", "normal", "syllables")

    def __init__(self, normal: str, syllables: list[Syllable]) -> None:
        self.normal = normal
        self.syllables = syllables
        self._positions: dict[str, list[int]] | None = None
        self._present: dict[int, int] = {}

    def at(self, term: tuple[Syllable, ...]) -> int:
        """Where the term first occurs (a syllable index), or -1."""
        if self._positions is None:
            positions: dict[str, list[int]] = {}
            for i, syllable in enumerate(self.syllables):
                positions.setdefault(syllable[0], []).append(i)
            self._positions = positions
        syllables = self.syllables
        size = len(term)
        for i in self._positions.get(term[0][0], ()):
            if i + size <= len(syllables) and all(
                _fits(term[j], syllables[i + j]) for j in range(size)
            ):
                return i
        return -1


@dataclass
class Matcher:
    """Rules compiled into one index; match() gives the rules an item satisfies."""

    _terms: list[tuple[Syllable, ...]] = field(default_factory=list)
    _term_ids: dict[tuple[Syllable, ...], int] = field(default_factory=dict)
    # folded key (one syllable) or first two folded keys (a phrase) -> anchor terms
    _anchors: dict[Any, list[int]] = field(default_factory=dict)
    _anchor_set: set[int] = field(default_factory=set)
    _rules_of_anchor: dict[int, list[int]] = field(default_factory=dict)
    _rules: list[tuple[Any, Node]] = field(default_factory=list)

    @classmethod
    def build(cls, rules: Iterable[tuple[Any, str]]) -> Matcher:
        """From (key, expression) pairs; an expression that cannot be read is left out."""
        matcher = cls()
        for key, expression in rules:
            try:
                tree, terms = parse(expression)
            except RuleError:
                continue
            matcher.add(key, tree, terms)
        return matcher

    def __len__(self) -> int:
        return len(self._rules)

    def add(self, key: Any, tree: Node, terms: list[tuple[Syllable, ...]]) -> None:
        ids = []
        for term in terms:
            term_id = self._term_ids.get(term)
            if term_id is None:
                term_id = self._term_ids[term] = len(self._terms)
                self._terms.append(term)
            ids.append(term_id)
        tree = _remap(tree, ids)
        anchor = _anchor(tree, self._terms)
        if anchor is None:  # parse() refuses such rules; a hand-made tree is left out
            return
        rule_id = len(self._rules)
        self._rules.append((key, tree))
        for term_id in anchor:
            if term_id not in self._anchor_set:
                self._anchor_set.add(term_id)
                term = self._terms[term_id]
                index_key = term[0][0] if len(term) == 1 else (term[0][0], term[1][0])
                self._anchors.setdefault(index_key, []).append(term_id)
            self._rules_of_anchor.setdefault(term_id, []).append(rule_id)

    def match(self, text: str) -> list[Found]:
        normal = vntext.normalize(text)
        syllables = [_syllable(word) for word in _WORD.findall(normal)]
        anchors = self._anchors
        terms = self._terms
        found: dict[int, int] = {}
        previous = ""
        # One pass: single-syllable anchors by their key, longer ones by their first two keys.
        for i, (key, _exact) in enumerate(syllables):
            for candidates, start in ((anchors.get(key), i), (anchors.get((previous, key)), i - 1)):
                if candidates is None:
                    continue
                for term_id in candidates:
                    if term_id in found:
                        continue
                    term = terms[term_id]
                    size = len(term)
                    if start + size <= len(syllables) and all(
                        _fits(term[j], syllables[start + j]) for j in range(size)
                    ):
                        found[term_id] = start
            previous = key
        if not found:
            return []
        item = _Item(normal, syllables)
        item._present.update(found)
        rule_ids: set[int] = set()
        for term_id in found:
            rule_ids.update(self._rules_of_anchor[term_id])
        if not rule_ids:
            return []
        results = []
        spans: list[tuple[int, int]] | None = None
        for rule_id in sorted(rule_ids):
            key, tree = self._rules[rule_id]
            if self._holds(tree, item):
                if spans is None:
                    spans = [m.span() for m in _WORD.finditer(normal)]
                start, end = self._first_span(tree, item, spans)
                results.append(Found(rule=key, start=start, end=end))
        return results

    def _present(self, term_id: int, item: _Item) -> bool:
        found = item._present.get(term_id)
        if found is None:
            found = item._present[term_id] = item.at(self._terms[term_id])
        return found >= 0

    def _holds(self, node: Node, item: _Item) -> bool:
        kind = node[0]
        if kind == "term":
            return self._present(node[1], item)
        if kind == "and":
            return all(self._holds(child, item) for child in node[1:])
        if kind == "or":
            return any(self._holds(child, item) for child in node[1:])
        return not self._holds(node[1], item)

    def _first_span(self, tree: Node, item: _Item, spans: list[tuple[int, int]]) -> tuple[int, int]:
        best: tuple[int, int] | None = None
        for term_id in _positive_terms(tree):
            if self._present(term_id, item):
                i = item._present[term_id]
                span = (spans[i][0], spans[i + len(self._terms[term_id]) - 1][1])
                best = span if best is None or span < best else best
        return best or (0, 0)


def _positive_terms(node: Node) -> list[int]:
    if node[0] == "term":
        return [node[1]]
    if node[0] == "not":
        return []
    return [t for child in node[1:] for t in _positive_terms(child)]
