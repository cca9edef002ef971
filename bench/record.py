"""What every benchmark writes the same way: the machine it ran on, and its figures appended to
BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def machine() -> str:
    """ "2 cores, AMD EPYC; Python 3.11.7" """
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}"


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): others share these cores."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def append(lines: list[str]) -> None:
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text(
            "# Benchmarks\n\nFigures from `bench/`, newest last. Ratios to a baseline measured in "
            "the same run are what to compare; absolute figures depend on the shared machine.\n"
        )
    with BENCHMARKS.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
