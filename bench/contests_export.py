"""Organisers' work at a million attempts (issue 16): a closed round of --attempts attempts
(1,100,000 by default: past Excel's 1,048,576 rows) on PostgreSQL; the ranking job's time, and
each export (attempts in Excel and in CSV, the ranking in Excel) run as the task worker runs it,
each in a fresh process whose peak memory (max RSS) is the figure (goal: under 200 MB).

    python bench/contests_export.py [--attempts 1100000]
    python bench/contests_export.py --ranking-rounds 3 [--before main] [--keep-data]

`--ranking-rounds N` measures the ranking job only (no export, no dashboard): N interleaved
rounds of this tree's code against the code of the git ref `--before` (default main, taken with
`git archive` and put first on the path), each with its own schema of the ranking (migrated to
its latest contests migration before its turn), on the same data. `--keep-data` reuses the
database of an earlier run when it holds a round of exactly --attempts attempts (the fill takes
a minute or two).

Needs PostgreSQL (BENCH_CONTESTS_EXPORT_DATABASE_URL, default the contests bench's database
name with "_export", recreated) and Redis (BENCH_CONTESTS_REDIS_URL, as bench/contests.py).
Then the organiser's dashboard over the same round: its aggregates as the background task
computes them, and the page as staff get it (goal: under 300 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
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


def _filled(url: str, attempts: int) -> bool:
    """Whether the database holds the bench's round with exactly `attempts` attempts."""
    found = subprocess.run(
        ["psql", url, "-tAc", "SELECT count(*) FROM contests_attempt WHERE round_id = 1"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.returncode == 0 and found.stdout.strip() == str(attempts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=1_100_000)
    parser.add_argument(
        "--ranking-rounds",
        type=int,
        default=0,
        help="only the ranking: this many interleaved rounds of this tree's ranking job and"
        " --before's, then stop",
    )
    parser.add_argument("--before", default="main", help="the git ref of the 'before' code")
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("BENCH_CONTESTS_EXPORT_DATABASE_URL", DATABASE_URL + "_export")
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    keep = args.keep_data and _filled(url, args.attempts)
    if not keep:
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
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [BIN / "moduong", *command], env=env, check=True, stdout=subprocess.DEVNULL
            )
        started = time.perf_counter()
        if not keep:
            _shell(env, f"fill({args.attempts})")
        filled = time.perf_counter() - started
        print(f"filled in {filled:.0f} s" if not keep else "data kept", flush=True)
        out = data_dir / "out.json"
        if args.ranking_rounds:
            return _ranking_rounds(env, out, args, None if keep else filled)
        _shell(env, f"rank(1, {str(out)!r})")
        ranking = json.loads(out.read_text())
        print("ranking", ranking, flush=True)
        exports = {}
        for report, fmt in (("luot-thi", "xlsx"), ("luot-thi", "csv"), ("xep-hang", "xlsx")):
            _shell(env, f"export(1, {report!r}, {fmt!r}, {str(out)!r})")
            exports[(report, fmt)] = json.loads(out.read_text())
            print(report, fmt, exports[(report, fmt)], flush=True)
        _shell(env, f"dashboard(1, {str(out)!r})")
        board = json.loads(out.read_text())
        print("dashboard", board, flush=True)
        load = os.getloadavg()
    served = statistics.median(board["served"]) * 1000
    lines = [
        f"\n## {time.strftime('%Y-%m-%d')}: contests, the organiser's work at"
        f" {args.attempts:,} attempts\n",
        f"- Machine: {record.machine()}; PostgreSQL and Redis, bench (production) settings;"
        f" load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).",
        f"- Command: `python bench/contests_export.py --attempts {args.attempts}` (a closed round"
        f" of {args.attempts:,} attempts by {max(1, args.attempts // 4):,} people, filled by"
        f" PostgreSQL's generate_series in {filled:.0f} s). Ranking: the job as the worker runs"
        " it (the actual figure, then every person's best attempt ranked in one INSERT … SELECT)."
        " Each export is one run of the task worker's code in a fresh process; its peak memory"
        " is that process's max RSS (Python, Django and the models included).\n",
        "| work | seconds | rows | peak memory (MB) | goal |",
        "|---|---:|---:|---:|---|",
        f"| ranking (job) | {ranking['seconds']:.1f} | – | – | < 10 s |",
    ]
    for (report, fmt), figures in exports.items():
        count = figures.get("sheets", 0)
        sheets = f", {count} sheet{'s' if count > 1 else ''}" if count else ""
        lines.append(
            f"| export {report}.{fmt}{sheets} | {figures['seconds']:.1f} | {figures['rows']:,} |"
            f" {figures['peak_mb']:.0f} | < 200 MB |"
        )
    lines += [
        f"| dashboard aggregates (background task, median of 3) |"
        f" {statistics.median(board['computed']):.1f} | – | – | off the request |",
        f"| dashboard page as staff get it, {board['attempts']:,} attempts stored (median of"
        f" 20 GETs; slowest {max(board['served']) * 1000:.0f} ms) | {served / 1000:.3f} | – | – |"
        " < 300 ms |",
    ]
    record.append(lines)
    worst = max(f["peak_mb"] for f in exports.values())
    print(
        f"ranking {ranking['seconds']:.1f} s; worst export peak {worst:.0f} MB;"
        f" dashboard page {served:.0f} ms"
    )
    return 0 if worst < 200 else 1


def _latest_migration(src: Path, app: str) -> str:
    """The newest migration of `app` in the source tree `src`."""
    return max(p.stem for p in (src / "moduong" / app / "migrations").glob("[0-9]*.py"))


def _ranking_rounds(
    env: dict[str, str], out: Path, args: argparse.Namespace, filled: float | None
) -> int:
    """The ranking job of this tree against the job of `--before`'s code (its source from
    `git archive`, first on the path; its own schema of the ranking), in interleaved rounds on
    the same data. Migrations are applied by this tree's code, which knows both schemas."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.before],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    seconds: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as old:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "src"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        codes = {
            "before": (
                {**env, "PYTHONPATH": str(Path(old) / "src")},
                _latest_migration(Path(old) / "src", "contests"),
            ),
            "after": (env, _latest_migration(ROOT / "src", "contests")),
        }
        for _round in range(args.ranking_rounds):
            for name, (code_env, migration) in codes.items():
                subprocess.run(
                    [BIN / "moduong", "migrate", "contests", migration, "-v0"],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                _shell(code_env, f"rank(1, {str(out)!r})")
                seconds[name].append(json.loads(out.read_text())["seconds"])
                print(name, seconds[name][-1], os.getloadavg()[0], flush=True)
    load = os.getloadavg()
    before, after = (statistics.median(seconds[name]) for name in ("before", "after"))
    fill = f"filled in {filled:.0f} s" if filled is not None else "the data of an earlier run"
    record.append(
        [
            f"\n## {time.strftime('%Y-%m-%d')}: contests, ranking {args.attempts:,} attempts\n",
            f"- Machine: {record.machine()}; PostgreSQL, bench settings; load average at the"
            f" end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min).",
            f"- Command: `python bench/contests_export.py --attempts {args.attempts}"
            f" --ranking-rounds {args.ranking_rounds} --before {args.before}` ({fill}; each"
            f" round runs the ranking job of {args.before} ({commit}, its schema), then this"
            " tree's).\n",
            "| ranking job | seconds (median) | rounds | goal |",
            "|---|---:|---|---|",
            f"| before ({args.before}, {commit}) | {before:.1f} |"
            f" {', '.join(f'{s:.1f}' for s in seconds['before'])} | |",
            f"| after (this tree) | {after:.1f} |"
            f" {', '.join(f'{s:.1f}' for s in seconds['after'])} | < 10 s |",
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
