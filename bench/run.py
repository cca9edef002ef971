"""Benchmark harness: the site under gunicorn with production settings on PostgreSQL, measured
side by side with a minimal Django view in the same run, on the same server.

    .venv/bin/python bench/run.py [--seconds 10] [--rounds 3] [--connections 16]
    .venv/bin/python bench/run.py --newsroom [--articles 1000] [--seconds 30]

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
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    _originals_restore(Path(env["MODUONG_DATA_DIR"]) / "media")
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


def _originals_restore(media: Path) -> None:
    """A reused database outlives the data directory of the run that made it: its images'
    originals are drawn again (plain grey, of the recorded size) so renditions can be made."""
    from PIL import Image

    for row in _psql_lines("SELECT file || '|' || width || '|' || height FROM wagtailimages_image"):
        name, width, height = row.split("|")
        path = media / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (int(width), int(height)), (128, 128, 128)).save(path)


@contextmanager
def server(
    env: dict[str, str], workers: int, threads: int = 0
) -> Iterator[subprocess.Popen[bytes]]:
    """The site under gunicorn: `workers` sync workers (threads=0), or as `moduong serve` runs
    it in production (threads > 0): its threaded worker, `workers` processes of `threads`
    threads each, its access log (sent nowhere here)."""
    if threads:
        command = [BIN / "moduong", "serve", "--log-level", "warning"]
        env = {
            **env,
            "BIND": f"127.0.0.1:{PORT}",
            "WEB_CONCURRENCY": str(workers),
            "THREADS": str(threads),
        }
    else:
        command = [
            BIN / "gunicorn",
            "moduong.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}{BASELINE}", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield process
    finally:
        process.terminate()
        process.wait(60)  # a loaded shared machine can take longer than 10 s to stop it


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time (user + system) used so far by the site (the server's processes), PostgreSQL,
    Redis and this script, each with its children that have exited; and the machine's busy
    and idle time. The difference between two readings says where a phase's time went."""
    used = {"site": 0.0, "postgres": 0.0, "redis": 0.0, "client": 0.0, "other": 0.0}
    parents: dict[int, int] = {}
    times: dict[int, tuple[str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (name, sum(int(f) for f in fields[11:15]) / _TICK)
    for pid, (name, seconds) in times.items():
        ancestor = pid
        while ancestor > 1 and ancestor != server_pid:
            ancestor = parents.get(ancestor, 1)
        if ancestor == server_pid:
            used["site"] += seconds
        elif name == "postgres":
            used["postgres"] += seconds
        elif name.startswith("redis-server"):
            used["redis"] += seconds
        elif pid == os.getpid():
            used["client"] += seconds
        else:
            used["other"] += seconds
    machine = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(v) / _TICK for v in machine)
    used["busy"] = user + nice + system + irq + softirq + steal
    used["idle"] = idle + iowait
    return used


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {key: after[key] - before[key] for key in before}


def cpu_table(phases: dict[str, list[Any]]) -> list[str]:
    """Where each request's time went: CPU milliseconds a request (the median over the rounds
    of each phase's `cpu` over its requests), by process, and how busy the machine was."""
    keys = ("site", "postgres", "redis", "client", "other")
    lines = [
        "",
        "CPU a request, ms (medians of the rounds; `/proc` of every process before and after"
        " each phase), and the machine's cores busy:",
        "",
        "| request | " + " | ".join(keys) + " | all | cores busy |",
        "|---|" + "---:|" * (len(keys) + 2),
    ]
    for name, measured in phases.items():

        def per_request(key: str, measured: list[Any] = measured) -> float:
            return statistics.median(p.cpu[key] * 1000 / max(1, len(p.latencies)) for p in measured)

        busy = statistics.median(p.cpu["busy"] / p.elapsed for p in measured)
        figures = [per_request(key) for key in keys]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{f:.2f}" for f in figures)
            + f" | {sum(figures):.2f} | {busy:.2f} |"
        )
    return lines


def server_options(parser: argparse.ArgumentParser) -> None:
    """--workers and --threads: the server as `moduong serve` runs it by default (4 processes
    of 8 threads, its defaults with Redis), or --threads 0 for plain sync workers."""
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads",
        type=int,
        default=8,
        help="threads a worker, as `moduong serve` (0: gunicorn's sync workers, one at a time)",
    )


def server_described(args: argparse.Namespace) -> str:
    if args.threads:
        return (
            f"`moduong serve` as deployed (gunicorn, {args.workers} processes × {args.threads}"
            " threads, its threaded worker and access log)"
        )
    return f"gunicorn {args.workers} sync workers"


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


def _psql_lines(sql: str) -> list[str]:
    found = subprocess.run(
        ["psql", DATABASE_URL, "-tAc", sql], capture_output=True, text=True, check=True
    )
    return [line for line in found.stdout.splitlines() if line]


def _site_path(url_path: str) -> str:
    return "/" + url_path.strip("/").split("/", 1)[1] + "/"  # below the home page's own path


def newsroom_paths(articles: int) -> list[str]:
    """The readers' mix: the home and every section often, `articles` articles once each."""
    sections = [
        _site_path(p)
        for p in _psql_lines(
            "SELECT url_path FROM wagtailcore_page p JOIN news_sectionpage s"
            " ON s.page_ptr_id = p.id WHERE p.live ORDER BY p.path"
        )
    ]
    query = (
        "SELECT url_path FROM wagtailcore_page p JOIN news_articlepage a"
        " ON a.page_ptr_id = p.id WHERE p.live ORDER BY p.id LIMIT %d"
    )
    chosen = [_site_path(p) for p in _psql_lines(query % articles)]
    # About a tenth of the requests for the home, a fifth for the sections.
    home = ["/"] * (len(chosen) // 10)
    return home + sections * max(1, len(chosen) // 5 // len(sections)) + chosen


def wrk_mix(script: Path, seconds: int, connections: int) -> float:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout:
        raise RuntimeError(f"the mix answered errors under load:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def warm(paths: list[str]) -> None:
    """Every page of the mix served once, so that each measurement starts from a full cache."""

    def get(path: str) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, sorted(set(paths))))


@contextmanager
def editor(every: float, flush_all: bool) -> Iterator[list[float]]:
    """An editor publishing an article every `every` seconds (the first at once) until the
    block ends; yields the list the time each publish took is added to."""
    stop = threading.Event()
    took: list[float] = []
    url = f"http://127.0.0.1:{PORT}/__bench__/publish" + ("?all=1" if flush_all else "")

    def publish() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            request = urllib.request.Request(url, data=b"", method="POST")
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
            took.append(time.perf_counter() - started)
            stop.wait(max(0.0, every - (time.perf_counter() - started)))

    thread = threading.Thread(target=publish, daemon=True)
    thread.start()
    try:
        yield took
    finally:
        stop.set()
        thread.join(60)


def newsroom(args: argparse.Namespace, env: dict[str, str]) -> int:
    """Readers at full load on the mix, the anonymous page cache on, in interleaved rounds:
    nobody publishing; an editor publishing an article every 10 s; the same editor with every
    publish emptying all cached pages (as every publish did before it learnt what it touches)."""
    paths = newsroom_paths(args.articles)
    with tempfile.TemporaryDirectory() as scripts:
        script = Path(scripts) / "mix.lua"
        listed = ",\n".join(f'"{p}"' for p in paths)
        script.write_text(
            f"local paths = {{\n{listed}\n}}\n"
            "request = function()\n"
            '  return wrk.format("GET", paths[math.random(#paths)])\n'
            "end\n"
        )
        run_env = {**env, "PAGE_CACHE_SECONDS": "300", "REDIS_URL": REDIS_URL, "BENCH_CACHE": ""}
        subprocess.run(
            ["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, stdout=subprocess.DEVNULL
        )
        figures: dict[str, list[float]] = {"quiet": [], "targeted": [], "all": [], "hello": []}
        ratios: dict[str, list[float]] = {"targeted": [], "all": []}
        publishes: list[float] = []
        load_before = record.load()
        with server(run_env, args.workers):
            for round_ in range(args.rounds):
                warm(paths)
                quiet = wrk_mix(script, args.seconds, args.connections)
                with editor(args.publish_every, flush_all=False) as took:
                    targeted = wrk_mix(script, args.seconds, args.connections)
                publishes += took
                with editor(args.publish_every, flush_all=True):
                    flushed = wrk_mix(script, args.seconds, args.connections)
                hello = wrk(BASELINE, 5, args.connections)
                for name, value in (
                    ("quiet", quiet),
                    ("targeted", targeted),
                    ("all", flushed),
                    ("hello", hello),
                ):
                    figures[name].append(value)
                ratios["targeted"].append(targeted / quiet)
                ratios["all"].append(flushed / quiet)
                print(
                    f"vòng {round_ + 1}: {quiet:.0f} / {targeted:.0f} / {flushed:.0f} req/s"
                    f" (không xuất bản / xuất bản 10 s một lần / xuất bản xoá hết cache)",
                    flush=True,
                )

    def median(name: str) -> float:
        return statistics.median(figures[name])

    command = "python bench/run.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## {dt.date.today().isoformat()}: a newsroom under load ({len(paths)} addresses)\n",
        f"- Machine: {record.machine()}; PostgreSQL and Redis, gunicorn {args.workers} sync"
        " workers, production settings, anonymous page cache on (300 s); load average"
        f" {load_before} at the start, {record.load()} at the end.",
        f"- Command: `{command.strip()}` (wrk -t2 -c{args.connections}, {args.seconds} s a"
        f" measurement, {args.rounds} interleaved rounds, medians). The mix: each request a"
        f" random address among the home, the sections and {args.articles} articles (the home"
        " about a tenth of them, the sections a fifth); every page served once before each round.",
        f"- The editor publishes a random article (a new revision, Wagtail's publish) every"
        f" {args.publish_every:.0f} s, the first at the start; a publish took"
        f" {statistics.median(publishes) * 1000:.0f} ms (median of {len(publishes)}).",
        f"- Baseline `{BASELINE}` on the same server: {median('hello'):.0f} req/s.\n",
        "| readers while … | req/s (median) | ratio to no publishing (median) |",
        "|---|---:|---:|",
        f"| nobody publishes | {median('quiet'):.0f} | 100% |",
        f"| an editor publishes every {args.publish_every:.0f} s (publish empties what it"
        f" touches) | {median('targeted'):.0f} |"
        f" {statistics.median(ratios['targeted']):.0%} |",
        f"| the same, each publish emptying every cached page (before) | {median('all'):.0f} |"
        f" {statistics.median(ratios['all']):.0%} |",
    ]
    record.append(lines)
    print("\n".join(lines))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2))
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument(
        "--newsroom",
        action="store_true",
        help="readers on a mix of pages while an editor publishes, vs nobody publishing",
    )
    parser.add_argument("--publish-every", type=float, default=10.0)
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
        if args.newsroom:
            return newsroom(args, env)
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
