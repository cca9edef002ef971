"""Live exchange: 1,000 readers keeping the page open, each polling for new answers.

    .venv/bin/python bench/exchange.py [--seconds 10] [--rounds 3] [--connections 1000]

The site under gunicorn with production settings on PostgreSQL and Redis, as bench/run.py
starts it (the same helpers), with the demo content (its live exchange). wrk keeps
`--connections` connections busy, each sending its next request as soon as the last is
answered: far harsher than 1,000 readers who poll every 3 seconds (333 requests a second). Every
scenario is measured in interleaved rounds with the minimal Django view at the same
concurrency, and the medians, the ratio to that baseline and the 99th-percentile latency are
appended to BENCHMARKS.md.

Scenarios:
- poll, nothing new (204): what almost every poll is during an exchange;
- poll, one answer behind (200 with the answer, its HTML cached until the next answer);
- the whole exchange page, for comparison: what readers pressing "reload" would cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# This benchmark's own database and Redis database, so it never disturbs bench/run.py's.
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_exchange_bench"
)
os.environ.setdefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

import record
import run

LIVE_SLUG = "dua-sach-ve-voi-thieu-nhi-vung-cao"
LIVE_PAGE = f"/giao-luu-truc-tuyen/{LIVE_SLUG}/"
EXCHANGE_ID = (
    "SELECT id FROM wagtailcore_page WHERE slug = 'dua-sach-ve-voi-thieu-nhi-vung-cao' AND live"
)
LATEST_ANSWER = (
    "SELECT coalesce(max(q.sequence), 0) FROM community_question q"
    " JOIN wagtailcore_page p ON p.id = q.exchange_id"
    " WHERE p.slug = 'dua-sach-ve-voi-thieu-nhi-vung-cao' AND p.live"
)


def _sql(query: str) -> str:
    found = subprocess.run(
        ["psql", run.DATABASE_URL, "-tAc", query], capture_output=True, text=True, check=True
    )
    return found.stdout.strip()


def wrk(path: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """Requests a second, 99th-percentile latency in ms, and socket errors (timeouts)."""
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-H",
            "HX-Request: true",
            f"http://127.0.0.1:{run.PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"{path} answered errors under load:\n{result.stdout}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", result.stdout)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", result.stdout
    )
    return rate, latency, sum(int(n) for n in errors.groups()) if errors else 0


def drain(seconds: float = 60) -> None:
    """Wait until the server has worked off the requests still queued from the last
    measurement (a saturated page leaves hundreds), so the next one starts from an idle
    server."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{run.PORT}{run.BASELINE}", timeout=5)
        except OSError:
            continue
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("Cần cài wrk: apt-get install wrk", file=sys.stderr)
        return 2

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = run.base_env(Path(tmp))
        run.prepare(env, 0)
        exchange_id = int(_sql(EXCHANGE_ID))
        latest = int(_sql(LATEST_ANSWER))
        if latest < 1:  # "one answer behind" would then poll as "nothing new" and measure that
            print("Buổi giao lưu mẫu chưa có câu trả lời nào đã đăng.", file=sys.stderr)
            return 2
        poll = f"/giao-luu/{exchange_id}/moi/?sau="
        scenarios = [
            ("Hỏi câu trả lời mới, không có gì mới (204)", f"{poll}{latest}"),
            ("Hỏi câu trả lời mới, chậm một câu (200)", f"{poll}{latest - 1}"),
            ("Cả trang giao lưu (tải lại trang)", LIVE_PAGE),
        ]
        server_env = {**env, "PAGE_CACHE_SECONDS": "0", "REDIS_URL": run.REDIS_URL}
        for name, path in scenarios:
            subprocess.run(
                ["redis-cli", "-u", run.REDIS_URL, "flushdb"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            with run.server(server_env, args.workers):
                print(f"{name}: {run.status_and_cache(path)}", flush=True)
                wrk(path, 2, args.connections)  # warm up caches and connections
                wrk(run.BASELINE, 2, args.connections)
                measured = []
                for _ in range(args.rounds):
                    drain()
                    page = wrk(path, args.seconds, args.connections)
                    drain()
                    baseline = wrk(run.BASELINE, args.seconds, args.connections)
                    measured.append((page, baseline))
            rates = [m[0][0] for m in measured]
            baselines = [m[1][0] for m in measured]
            row = (
                name,
                path,
                statistics.median(rates),
                statistics.median(baselines),
                statistics.median(p / max(b, 1) for p, b in zip(rates, baselines, strict=True)),
                statistics.median(m[0][1] for m in measured),
                statistics.median(m[1][1] for m in measured),
                sum(m[0][2] for m in measured),
            )
            rows.append(row)
            print(f"  {row[2]:.0f} req/s vs baseline {row[3]:.0f} req/s, p99 {row[5]:.0f} ms")

    command = "python bench/exchange.py " + " ".join(sys.argv[1:])
    needed = args.connections / 3
    lines = [
        f"\n## {dt.date.today().isoformat()}: live exchange, {args.connections} readers polling\n",
        f"- Machine: {record.machine()}; "
        f"PostgreSQL and Redis, gunicorn {args.workers} sync workers, production settings.",
        f"- Command: `{command.strip()}` (wrk -t2 -c{args.connections}, {args.seconds} s a "
        f"measurement, {args.rounds} interleaved rounds, medians).",
        f"- Baseline: `{run.BASELINE}`, a Django view returning a short text, same server, same"
        f" {args.connections} connections.",
        f"- Needed: {args.connections} readers polling every 3 s send {needed:.0f} requests a"
        " second; wrk sends each connection's next request as soon as the last is answered.\n",
        "| request | req/s (median) | baseline req/s | ratio to baseline | p99 ms | baseline"
        " p99 ms | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {name} (`{path}`) | {rate:.0f} | {base:.0f} | {ratio:.1%} | {p99:.0f} |"
        f" {base_p99:.0f} | {errors} |"
        for name, path, rate, base, ratio, p99, base_p99, errors in rows
    ]
    record.append(lines)
    print("\n".join(lines))
    # The claim is about the polls: the whole page is there for comparison only.
    short = [row[0] for row in rows[:2] if row[2] < needed]
    if short:
        print(f"Không đủ cho {args.connections} bạn đọc: {', '.join(short)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
