"""Checks `moduong check` (and every server's start) runs on the contests' settings, so that a
mistyped value is a message at deploy time, not a ranking that fails in the middle of a
round's results."""

from __future__ import annotations

import re
from typing import Any

from django.core import checks

from . import conf

# PostgreSQL's memory units (kB, MB, GB, TB; a bare number is kB) and its floor for work_mem.
_MEMORY = re.compile(r"^(\d+)\s*(kB|MB|GB|TB)?$")
_FACTORS = {None: 1, "kB": 1, "MB": 1024, "GB": 1024**2, "TB": 1024**3}
_FLOOR_KB, _CEILING_KB = 64, 2_147_483_647


@checks.register()
def ranking_work_mem_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = conf.ranking_work_mem()
    match = _MEMORY.match(value.strip())
    size = None if match is None else int(match[1]) * _FACTORS[match[2]]
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
