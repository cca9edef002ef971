"""Organisers' work at a million attempts (issue 16): a closed round of --attempts attempts
(1,100,000 by default: past Excel's 1,048,576 rows) on PostgreSQL; the ranking job's time, and
each export (attempts in Excel and in CSV, the ranking in Excel) run as the task worker runs it,
each in a fresh process whose peak memory (max RSS) is the figure (goal: under 200 MB).

    python bench/contests_export.py [--attempts 1100000]
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import record
import run
from contests import BIN, DATABASE_URL, REDIS_URL, ROOT


def _shell(env: dict[str, str], call: str) -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r});"
        f" import contests_export_django as c; c.{call}"
    )
    subprocess.run(
        [BIN / "moduong", "shell", "-c", code], env=env, check=True, stdout=subprocess.DEVNULL
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=1_100_000)
    args = parser.parse_args()
    name = DATABASE_URL.rsplit("/", 1)[1] + "_export"
    url = DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-qc", sql], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {
            **run.base_env(data_dir),
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        subprocess.run(
            [BIN / "moduong", "migrate", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL
        )
        started = time.perf_counter()
        _shell(env, f"fill({args.attempts})")
        filled = time.perf_counter() - started
        out = data_dir / "out.json"
        _shell(env, f"rank(1, {str(out)!r})")
        ranking = json.loads(out.read_text())
        exports = {}
        for report, fmt in (("luot-thi", "xlsx"), ("luot-thi", "csv"), ("xep-hang", "xlsx")):
            _shell(env, f"export(1, {report!r}, {fmt!r}, {str(out)!r})")
            exports[(report, fmt)] = json.loads(out.read_text())
            print(report, fmt, exports[(report, fmt)], flush=True)
    lines = [
        f"\n## {time.strftime('%Y-%m-%d')}: contests, the organiser's work at"
        f" {args.attempts:,} attempts\n",
        f"- Machine: {record.machine()}; PostgreSQL, production settings.",
        f"- Command: `python bench/contests_export.py --attempts {args.attempts}` (filled in"
        f" {filled:.0f} s by SQL). Each export is one run of the task worker's code in a fresh"
        " process; peak memory is that process's max RSS (Django included).\n",
        "| work | seconds | rows | peak memory (MB) |",
        "|---|---:|---:|---:|",
        f"| ranking (job) | {ranking['seconds']:.1f} | – | – |",
    ]
    for (report, fmt), figures in exports.items():
        lines.append(
            f"| export {report}.{fmt} | {figures['seconds']:.1f} | {figures['rows']:,} |"
            f" {figures['peak_mb']:.0f} |"
        )
    record.append(lines)
    worst = max(f["peak_mb"] for f in exports.values())
    print(f"ranking {ranking['seconds']:.1f} s; worst export peak {worst:.0f} MB")
    return 0 if worst < 200 else 1


if __name__ == "__main__":
    sys.exit(main())
