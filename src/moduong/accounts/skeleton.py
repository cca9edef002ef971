"""The confusable skeleton of a username: two names with the same skeleton look alike on a page
("аdmin" with a Cyrillic а, "AdmIn", "adm1n", "ad.min"), so the second is refused.

The look-alike data is Unicode's confusables list (UTS #39) as the confusable-homoglyphs package
ships it. Its groups are joined into classes (a → а, l → I → 1 …) so that the relation is
transitive, and each class is written as its smallest character.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

import confusable_homoglyphs

# Separators a reader does not notice, or reads past: "admin." and "ad_min" are "admin".
_SEPARATORS = str.maketrans("", "", "._-+@ ")
_MARKERS = "\u200e\u200f"  # the data wraps right-to-left letters in direction marks


@functools.cache
def _prototypes() -> dict[str, str]:
    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    groups: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        root = char
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(char, char) != root:  # path compression
            parent[char], char = root, parent[char]
        return root

    def union(first: str, second: str) -> None:
        a, b = find(first), find(second)
        if a != b:
            low, high = sorted((a, b))
            parent[high] = low

    for char, glyphs in groups.items():
        if len(char) != 1:
            continue
        for glyph in glyphs:
            other = glyph["c"].strip(_MARKERS)
            if len(other) == 1:
                union(char, other)
    return {char: find(char) for char in list(parent)}


def skeleton(text: str) -> str:
    """What `text` looks like: compatibility forms folded, case ignored, separators dropped,
    every character written as its class's prototype. Marks stay: hoà and hoa differ."""
    prototypes = _prototypes()
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_SEPARATORS)
    mapped = "".join(prototypes.get(char, char) for char in folded)
    # Mapping can turn a capital into a lower-case look-alike and back: a second pass settles.
    mapped = "".join(prototypes.get(char, char) for char in mapped.casefold())
    return unicodedata.normalize("NFD", mapped)
