"""Checks `moduong check` (and `migrate`, and the development server) runs on the contests'
settings, so that a mistyped value is a message at deploy time, not a ranking that fails in
the middle of a round's results. Run on every database: a value set for PostgreSQL is checked
before the site moves to it."""

from __future__ import annotations

import re
from typing import Any

from django.core import checks

from . import conf

# PostgreSQL's memory units, case as it writes them (B, kB, MB, GB, TB; a bare number is kB),
# a fraction allowed, ASCII digits only; and its floor and ceiling for work_mem.
_MEMORY = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(B|kB|MB|GB|TB)?", re.ASCII)
_FACTORS = {None: 1, "B": 1 / 1024, "kB": 1, "MB": 1024, "GB": 1024**2, "TB": 1024**3}
_FLOOR_KB, _CEILING_KB = 64, 2_147_483_647


@checks.register()
def ranking_work_mem_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = conf.ranking_work_mem()
    match = _MEMORY.fullmatch(value.strip())
    size = None if match is None else float(match[1]) * _FACTORS[match[2]]
    if size is None or not _FLOOR_KB <= size <= _CEILING_KB:
        return [
            checks.Error(
                f"CONTESTS_RANKING_WORK_MEM = {value!r} không phải là dung lượng PostgreSQL nhận"
                " cho work_mem.",
                hint="Ghi một số kèm đơn vị kB, MB hoặc GB, từ 64kB trở lên; ví dụ 64MB.",
                id="contests.E001",
            )
        ]
    return []
