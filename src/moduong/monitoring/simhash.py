"""The same story in two outlets: a 64-bit SimHash of folded word triples finds candidates
cheaply (a reprint with another headline and a few sentences changed stays within NEAR bits),
then the word pairs the two texts share (Jaccard similarity) decide."""

from __future__ import annotations

import functools
import hashlib

from moduong.core import vntext

BITS = 64
# Fingerprints at most this many bits apart are candidates; unrelated texts differ in ~32.
NEAR = 20
# Candidates sharing at least this share of their word pairs are the same story.
SAME_STORY = 0.3


@functools.lru_cache(maxsize=2048)
def _words(text: str) -> tuple[str, ...]:
    """Kept for the texts seen lately: a new item's text is folded once for its fingerprint and
    all the comparisons that find its cluster, and a story many outlets run is folded once."""
    words = ("".join(ch for ch in w if ch.isalnum()) for w in vntext.fold(text).split())
    return tuple(w for w in words if w)


def shingles(text: str, size: int = 2) -> set[str]:
    words = _words(text)
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def fingerprint(text: str) -> int:
    """Signed 64-bit (it is stored in a BigIntegerField). Each bit is set when more of the
    text's word triples have it set in their hash than not: the triples' hashes are written as
    64 binary digits and each column's ones counted at once (not bit by bit in Python)."""
    digits = [
        format(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big"), "064b")
        for s in shingles(text, 3)
    ]
    half = len(digits)
    result = 0
    for column in zip(*digits, strict=True):  # the highest bit first
        result = result << 1 | (column.count("1") * 2 > half)
    return result - (1 << BITS) if result >= 1 << (BITS - 1) else result


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' folded word pairs."""
    first, second = shingles(a), shingles(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0
