"""SimHash of folded text: the same story reprinted with another headline and a few sentences
changed keeps most of its word triples, so its 64-bit fingerprint differs in few bits."""

from __future__ import annotations

import hashlib

from moduong.core import vntext

BITS = 64
# Fingerprints at most this many bits apart are the same story.
NEAR = 12


def fingerprint(text: str) -> int:
    """Signed 64-bit (it is stored in a BigIntegerField)."""
    words = vntext.fold(text).split()
    words = ["".join(ch for ch in w if ch.isalnum()) for w in words]
    words = [w for w in words if w]
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    weights = [0] * BITS
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    result = sum(1 << bit for bit in range(BITS) if weights[bit] > 0)
    return result - (1 << BITS) if result >= 1 << (BITS - 1) else result


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
