"""Bulletin benchmark: the QR short address `/q/<code>` (a 302 and one scan row) beside the
one-row-insert view, in the same run on the same gunicorn; then the print PDFs (A4 + A5) of a
24-page edition, median of 5 builds.

    .venv/bin/python bench/bulletins.py [--seconds 10] [--rounds 3] [--connections 8]

Needs PostgreSQL (BENCH_BULLETINS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/moduong_bulletins_bench, recreated from the demo) and Redis
(BENCH_BULLETINS_REDIS_URL, default redis://127.0.0.1:6379/11, emptied). The load comes from
this script's threads, one keep-alive connection each (wrk counts a 302 as an error); the
baseline is driven by the same client. Figures are medians of interleaved rounds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import record
import run

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get(
    "BENCH_BULLETINS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_bulletins_bench"
)
REDIS_URL = os.environ.get("BENCH_BULLETINS_REDIS_URL", "redis://127.0.0.1:6379/11")
INSERT = "/__bench__/insert"


def _shell(env: dict[str, str], code: str) -> str:
    found = subprocess.run(
        [BIN / "moduong", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip().splitlines()[-1]


def prepare(env: dict[str, str]) -> str:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)
    subprocess.run(
        [BIN / "moduong", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([BIN / "moduong", "collectstatic", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [
            "psql",
            DATABASE_URL,
            "-qc",
            "CREATE TABLE IF NOT EXISTS bench_baseline_row"
            " (id bigserial PRIMARY KEY, created timestamptz)",
        ],
        check=True,
    )
    return _shell(
        env,
        "from moduong.bulletins.models import QrCode;"
        " print(QrCode.objects.filter(edition=None).order_by('pk').first().code)",
    )


def load(path: str, expected: int, seconds: float, connections: int) -> tuple[float, list[str]]:
    """Requests per second with `connections` threads on keep-alive connections."""
    done = [0]
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=30)
        count = 0
        while time.perf_counter() < deadline:
            conn.request("GET", path, headers={"User-Agent": "Mozilla/5.0 Chrome/120 Mobile"})
            response = conn.getresponse()
            response.read()
            if response.status != expected:
                with lock:
                    errors.append(f"{path}: {response.status}")
            count += 1
        conn.close()
        with lock:
            done[0] += count

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - started), errors


PDF_BUILDS = """
import statistics, time
from moduong.bulletins import services
from moduong.bulletins.models import EditionPage, EditionPrint
edition = EditionPage.objects.live().order_by('-issue_date').first()
sentence = 'Chi bộ học tập nghị quyết, thảo luận cách làm phù hợp với địa bàn. '
text = '<p>' + sentence * 12 + '</p>'
original = [(block.block_type, block.value) for block in edition.body]
blocks = 10
while True:
    edition.body = [('text', text)] * blocks + original
    edition.save_revision().publish()
    printed = services.edition_print_build(edition_id=edition.pk)
    if printed.pages >= 24:
        break
    blocks += max(1, (24 - printed.pages) * blocks // max(printed.pages, 1))
times = []
for _ in range(5):
    started = time.perf_counter()
    printed = services.edition_print_build(edition_id=edition.pk)
    times.append(time.perf_counter() - started)
    assert printed.status == EditionPrint.Status.READY
print(f'{printed.pages} {statistics.median(times):.2f} {min(times):.2f} {max(times):.2f}')
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2))
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="moduong-bench-bulletins-"))
    env = {
        **run.base_env(data_dir),
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    run.DATABASE_URL = DATABASE_URL
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    code = prepare(env)
    target = f"/q/{code}"
    rates: dict[str, list[float]] = {target: [], INSERT: []}
    with run.server(env, args.workers):
        load(target, 302, 2, args.connections)  # warm: caches, connections
        load(INSERT, 200, 2, args.connections)
        for _ in range(args.rounds):
            for path, expected in ((target, 302), (INSERT, 200)):
                rate, errors = load(path, expected, args.seconds, args.connections)
                if errors:
                    print(f"errors: {errors[:5]} ({len(errors)})", file=sys.stderr)
                    return 1
                rates[path].append(rate)
                print(f"{path}: {rate:.0f}/s", flush=True)
    scans = _shell(env, "from moduong.bulletins.models import Scan; print(Scan.objects.count())")
    pages, median, low, high = _shell(env, PDF_BUILDS).split()
    qr = statistics.median(rates[target])
    insert = statistics.median(rates[INSERT])
    lines = [
        "",
        f"## Bulletins ({time.strftime('%Y-%m-%d')}, {record.machine()})",
        "",
        f"`.venv/bin/python bench/bulletins.py --seconds {args.seconds:g} --rounds {args.rounds}"
        f" --connections {args.connections}`, gunicorn {args.workers} workers, PostgreSQL +"
        " Redis, medians of interleaved rounds.",
        "",
        "| what | figure | baseline (one-row insert) | ratio |",
        "|---|---|---|---|",
        f"| `/q/<code>` 302 + scan row | {qr:.0f} req/s | {insert:.0f} req/s"
        f" | {qr / insert:.2f}× |",
        f"| print PDFs A4 + A5 of a {pages}-page edition | {median} s median of 5"
        f" (min {low}, max {high}) | | |",
        "",
        f"Scan rows written: {scans}.",
    ]
    record.append(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
