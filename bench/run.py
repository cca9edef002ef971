"""Benchmark harness: the site under gunicorn with production settings on PostgreSQL, measured
side by side with a minimal Django view in the same run, on the same server.

    .venv/bin/python bench/run.py [--seconds 10] [--rounds 3] [--connections 16]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/moduong_bench,
reused when it already holds the articles), Redis (BENCH_REDIS_URL; its database is emptied
before each scenario) and `wrk`
(`apt-get install wrk`). Appends the figures to BENCHMARKS.md. Machines here are shared and
noisy, so each figure is the median of several rounds and the ratio to the baseline, measured
in interleaved rounds, is what to compare across runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import record

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_bench"
)
NEWS_ARTICLE = "/tin-tuc/tin-tong-hop/hoi-sach-mua-thu-don-hon-hai-muoi-nghin-luot-ban-doc-so-1/"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
BASELINE = "/__bench__/hello"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()


@dataclass
class Scenario:
    name: str
    path: str
    page_cache_seconds: int
    cache: str = "redis"


SECTION = "/tin-tuc/tin-tong-hop/"
SCENARIOS = [
    # Page cache off, Redis on: what a reader gets from any app process between publishes.
    Scenario("Trang chủ, không cache trang", "/", 0),
    Scenario("Chuyên mục (trang 1), không cache trang", SECTION, 0),
    Scenario("Bài viết, không cache trang", NEWS_ARTICLE, 0),
    # The content generation moved before every request: each view is the first after a publish.
    Scenario("Trang chủ, lần xem đầu sau khi xuất bản", "/", 0, "publish"),
    Scenario("Chuyên mục, lần xem đầu sau khi xuất bản", SECTION, 0, "publish"),
    Scenario("Bài viết, lần xem đầu sau khi xuất bản", NEWS_ARTICLE, 0, "publish"),
    Scenario("Trang chủ, cache trang cho khách", "/", 300),
    Scenario("Chuyên mục, cache trang cho khách", SECTION, 300),
    Scenario("Bài viết, cache trang cho khách", NEWS_ARTICLE, 300),
]


def base_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": DATABASE_URL,
        "MODUONG_DATA_DIR": str(data_dir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }


def _article_count() -> int:
    found = subprocess.run(
        ["psql", DATABASE_URL, "-tAc", "SELECT count(*) FROM news_articlepage"],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(found.stdout.strip()) if found.returncode == 0 else -1


def prepare(env: dict[str, str], articles: int) -> None:
    """The demo site plus `articles` imported articles; an existing database that already
    has them is reused (importing 20,000 articles through the real importer takes a while)."""
    run = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
    if _article_count() < articles:
        name = DATABASE_URL.rsplit("/", 1)[1]
        admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin_url, "-qc", sql], check=True)
        subprocess.run([BIN / "moduong", "demo", "--no-serve"], **run)
        if articles:
            data = Path(env["MODUONG_DATA_DIR"]) / "articles.jsonl"
            with data.open("w") as out:
                subprocess.run(
                    [BIN / "python", ROOT / "bench" / "news_data.py", str(articles)],
                    stdout=out,
                    check=True,
                    env=env,
                )
            started = time.perf_counter()
            subprocess.run([BIN / "moduong", "import-articles", str(data)], **run)
            print(f"Nhập {articles} bài: {time.perf_counter() - started:.0f} s", flush=True)
    subprocess.run([BIN / "moduong", "migrate", "-v0"], **run)
    # Planner statistics, as autovacuum would have them on a site that has been running: right
    # after a bulk import PostgreSQL guesses a section holds 3 articles, not 6,700.
    subprocess.run(["psql", DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    subprocess.run([BIN / "moduong", "collectstatic", "--noinput", "-v0"], **run)
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


@contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[None]:
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "moduong.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-control-socket",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{BASELINE}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        process.terminate()
        process.wait(60)  # a loaded shared machine can take longer than 10 s to stop it


def wrk(path: str, seconds: int, connections: int) -> float:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"{path} answered errors under load:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def status_and_cache(path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}") as response:
        return f"{response.status} {response.headers.get('X-Page-Cache', '-')}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2))
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("Cần cài wrk: apt-get install wrk", file=sys.stderr)
        return 2

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = base_env(Path(tmp))
        prepare(env, args.articles)
        if args.prepare_only:
            return 0
        for scenario in SCENARIOS:
            scenario_env = {
                **env,
                "PAGE_CACHE_SECONDS": str(scenario.page_cache_seconds),
                "REDIS_URL": REDIS_URL,
                "BENCH_CACHE": scenario.cache,
            }
            subprocess.run(
                ["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, stdout=subprocess.DEVNULL
            )
            with server(scenario_env, args.workers):
                print(f"{scenario.name}: {status_and_cache(scenario.path)}")
                wrk(scenario.path, 2, args.connections)  # warm up caches and connections
                wrk(BASELINE, 2, args.connections)
                pages, baselines, ratios = [], [], []
                for _ in range(args.rounds):
                    page = wrk(scenario.path, args.seconds, args.connections)
                    baseline = wrk(BASELINE, args.seconds, args.connections)
                    pages.append(page)
                    baselines.append(baseline)
                    ratios.append(page / baseline)
            rows.append(
                (
                    scenario,
                    statistics.median(pages),
                    statistics.median(baselines),
                    statistics.median(ratios),
                )
            )
            print(f"  {rows[-1][1]:.0f} req/s vs baseline {rows[-1][2]:.0f} req/s")

    command = "python bench/run.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## {dt.date.today().isoformat()}: portal pages with {args.articles} articles\n",
        f"- Machine: {record.machine()}; "
        f"PostgreSQL and Redis, gunicorn {args.workers} sync workers, production settings.",
        f"- Command: `{command.strip()}` (wrk -t2 -c{args.connections}, {args.seconds} s a "
        f"measurement, {args.rounds} interleaved rounds, medians).",
        f"- Baseline: `{BASELINE}`, a Django view returning a short text, same server.\n",
        "| page | req/s (median) | baseline req/s (median) | ratio to baseline |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {s.name} (`{s.path}`) | {p:.0f} | {b:.0f} | {r:.1%} |" for s, p, b, r in rows]
    record.append(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
