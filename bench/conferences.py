"""Conferences benchmark: the day of a city conference with 600 connection points and 26,000
delegates, against PostgreSQL and Redis under gunicorn, beside the one-row-insert view in the
same run, on the same server.

    BENCH_CONFERENCES_DATABASE_URL=postgres://postgres@127.0.0.1:5432/moduong_h2_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python bench/conferences.py [--seconds 10] [--rounds 3] [--connections 8]

Needs PostgreSQL (BENCH_CONFERENCES_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/moduong_conferences_bench, recreated) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/8, emptied). The site runs as `moduong serve`
runs it (`--workers`, `--threads`; `--threads 0` for sync workers) with the bench settings
(production settings plus the baseline views); the load comes from this script's own threads,
each request on a new HTTP connection as a phone's would be, each point from its own address
(X-Forwarded-For behind the one proxy production trusts: the report's rate limit counts per
point, as on the day).

1. The rush, in interleaved rounds: `--connections` threads send reports as fast as the server
   takes them (each one changes the point's attendance, so each is a write), then the same
   threads call the one-row-insert view (`/__bench__/insert`) as fast; in both phases the 50
   organisers' screens poll the roll-up every 5 s (10 polls a second in all). Per round the
   rate of each, their ratio (report ÷ insert) and the report's p99; medians of the rounds.
2. The day: the points as before any report, then each of the 600 points sends "đã kết nối"
   and, 2 to 10 s later, its attendance (26,000 delegates in all), the 1,200 reports spread
   over 60 s at random instants, while the 50 organisers poll every 5 s. Every report must be
   accepted, the last one within the minute; the database must then hold the 1,200 history
   rows, 600 points linked and 26,000 delegates (none lost), and the roll-up the organisers
   poll must show them a few seconds later.
3. The roll-up computed from the 600 rows (no cache), median of 21, inside Django; and the
   organisers' poll when nothing changes, median of 200, through the server.

Appends to BENCHMARKS.md (`--no-record`: prints only). To measure another tree's code with
this bench (a "before"), put its `src` first on PYTHONPATH."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import record
import run

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE_URL = os.environ.get(
    "BENCH_CONFERENCES_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/moduong_conferences_bench",
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
POINTS = 600
DELEGATES = 26_000
ORGANISERS = 50
POLL_SECONDS = 5
DAY_SECONDS = 60
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: Django's unmasked secret


def _django(call: str) -> str:
    """A call into bench/conferences_django.py, run by `moduong shell`."""
    path = str(ROOT / "bench")
    return f"import sys; sys.path.insert(0, {path!r}); import conferences_django as c; c.{call}"


def shell(env: dict[str, str], call: str) -> None:
    subprocess.run(
        [BIN / "moduong", "shell", "-c", _django(call)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def request(
    method: str,
    path: str,
    *,
    body: str | None = None,
    address: str = "",
    session: str = "",
    htmx: bool = False,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=60)
    headers = {}
    cookies = [f"csrftoken={CSRF}"]
    if session:
        cookies.append(f"sessionid={session}")
    headers["Cookie"] = "; ".join(cookies)
    if address:
        headers["X-Forwarded-For"] = address
    if htmx:
        headers["HX-Request"] = "true"
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, content


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # run.cpu_used over the phase

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Points:
    """The 600 points' side: each point's link, address and the form it sends."""

    def __init__(self, setup: dict[str, object]) -> None:
        self.urls: list[str] = setup["reports"]  # type: ignore[assignment]
        self.categories: list[int] = setup["categories"]  # type: ignore[assignment]
        # Each point's share of the 26,000 delegates: 43 or 44 people.
        self.shares = [
            DELEGATES // POINTS + (1 if n < DELEGATES % POINTS else 0) for n in range(POINTS)
        ]
        self.sent = 0
        self.lock = threading.Lock()

    @staticmethod
    def address(n: int) -> str:
        return f"10.{n // 250}.{n % 250}.1"

    def form(self, n: int, kind: str, people: int | None = None) -> str:
        fields = [f"csrfmiddlewaretoken={CSRF}", "link_test=ok", "linked=on"]
        if kind == "attendance":
            share = self.shares[n] if people is None else people
            a, b = share // 2, share // 3
            for category, value in zip(self.categories, (a, b, share - a - b), strict=True):
                fields.append(f"cat_{category}={value}")
        return "&".join(fields)

    def send(self, n: int, kind: str, people: int | None = None) -> None:
        status, content = request(
            "POST", self.urls[n], body=self.form(n, kind, people), address=self.address(n)
        )
        if status != 302:
            raise RuntimeError(f"report {n} {kind}: {status} {content[:300]!r}")

    def rush_step(self) -> bool:
        """A report that changes something: the next point's attendance, a different number
        each time it comes round."""
        with self.lock:
            self.sent += 1
            sent = self.sent
        n = sent % POINTS
        self.send(n, "attendance", people=40 + (sent // POINTS) % 20)
        return True


def phase(seconds: float, connections: int, step: Callable[[], bool]) -> Phase:
    """`connections` threads call `step` until the time is up; each call's latency is kept."""
    result = Phase()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                step()
            except Exception as error:  # recorded; any error fails the run
                with lock:
                    result.errors.append(repr(error))
                continue
            with lock:
                result.latencies.append(time.perf_counter() - started)

    begun = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - begun
    return result


class Organisers:
    """The 50 organisers' screens, each polling the roll-up every 5 s (htmx's request for the
    figures' fragment, with the organiser's session), from when `start` is called until
    `stop`; each poll's latency is kept."""

    def __init__(self, path: str, sessions: list[str]) -> None:
        self.path = path
        self.sessions = sessions
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()

    def _screen(self, session: str, offset: float) -> None:
        if self.stopping.wait(offset):
            return
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                status, content = request("GET", self.path, session=session, htmx=True)
                if status != 200:
                    raise RuntimeError(f"roll-up: {status} {content[:200]!r}")
            except Exception as error:
                with self.lock:
                    self.errors.append(repr(error))
            else:
                with self.lock:
                    self.latencies.append(time.perf_counter() - started)
            self.stopping.wait(max(0.0, POLL_SECONDS - (time.perf_counter() - started)))

    def start(self) -> None:
        self.stopping.clear()
        self.latencies, self.errors = [], []
        self.threads = [
            threading.Thread(
                target=self._screen, args=(s, POLL_SECONDS * n / len(self.sessions)), daemon=True
            )
            for n, s in enumerate(self.sessions)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)


@dataclass
class Day:
    accepted: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)  # how long after its instant each began
    last_done: float = 0.0  # seconds after the start of the minute


def day(points: Points, connections: int, seed: int) -> Day:
    """The 1,200 reports at their instants in the minute, sent by a pool of `connections`
    threads (a report whose instant has come waits for a free thread: that wait is counted
    in its time, as a phone would wait for the server)."""
    chance = random.Random(seed)
    events: list[tuple[float, int, str]] = []
    for n in range(POINTS):
        linked = chance.uniform(0, DAY_SECONDS - 12)
        events.append((linked, n, "linked"))
        events.append((linked + chance.uniform(2, 10), n, "attendance"))
    events.sort()
    result = Day()
    lock = threading.Lock()
    begun = time.perf_counter()
    queue = iter(events)

    def worker() -> None:
        while True:
            with lock:
                event = next(queue, None)
            if event is None:
                return
            at, n, kind = event
            wait = at - (time.perf_counter() - begun)
            if wait > 0:
                time.sleep(wait)
            started = time.perf_counter()
            try:
                points.send(n, kind)
            except Exception as error:
                with lock:
                    result.errors.append(repr(error))
                continue
            done = time.perf_counter()
            with lock:
                result.accepted += 1
                # From the report's instant: the time a phone waits, queueing included.
                result.latencies.append(done - begun - at)
                result.late.append(started - begun - at)
                result.last_done = max(result.last_done, done - begun)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def prepare(env: dict[str, str], data_dir: Path) -> dict[str, object]:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, stdout=subprocess.DEVNULL)
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([BIN / "moduong", "migrate", "-v0"], **quiet)
    subprocess.run([BIN / "moduong", "collectstatic", "--noinput", "-v0"], **quiet)
    subprocess.run(
        [
            "psql",
            DATABASE_URL,
            "-qc",
            "CREATE TABLE bench_baseline_row (id bigserial PRIMARY KEY, created timestamptz)",
        ],
        check=True,
    )
    out = data_dir / "setup.json"
    shell(env, f"setup({str(out)!r}, {ORGANISERS})")
    subprocess.run(["psql", DATABASE_URL, "-qc", "VACUUM ANALYZE"], check=True)
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    run.server_options(parser)
    parser.add_argument("--label", default="", help="said in the record (e.g. main, before)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {
            **run.base_env(data_dir),
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        setup = prepare(env, data_dir)
        points = Points(setup)
        organisers = Organisers(str(setup["rollup"]), list(setup["sessions"]))  # type: ignore[call-overload]

        def insert() -> bool:
            status, _ = request("GET", "/__bench__/insert")
            if status != 200:
                raise RuntimeError(f"insert answered {status}")
            return True

        load_before = record.load()
        rush: dict[str, list[Phase]] = {"insert": [], "report": []}
        with run.server(env, args.workers, args.threads) as server:
            phase(2, args.connections, insert)  # warm-up: connections, caches, both workers
            phase(2, args.connections, points.rush_step)
            organisers.start()
            for round_ in range(args.rounds):
                for name, step in (("insert", insert), ("report", points.rush_step)):
                    before = run.cpu_seconds(server.pid)
                    result = phase(args.seconds, args.connections, step)
                    result.cpu = run.cpu_used(before, run.cpu_seconds(server.pid))
                    if result.errors:
                        print("\n".join(result.errors[:5]), file=sys.stderr)
                        return 1
                    rush[name].append(result)
                    print(
                        f"round {round_ + 1} {name}: {result.rate:.0f}/s,"
                        f" p99 {percentile(result.latencies, 0.99) * 1000:.0f} ms",
                        flush=True,
                    )
            organisers.stop()
            rush_polls = organisers.latencies
            if organisers.errors:
                print("\n".join(organisers.errors[:5]), file=sys.stderr)
                return 1

            shell(env, "reset()")
            organisers.start()
            the_day = day(points, max(args.connections, 16), seed=18)
            organisers.stop()
            day_polls = organisers.latencies
            if organisers.errors or the_day.errors:
                print("\n".join((organisers.errors + the_day.errors)[:5]), file=sys.stderr)
            # What the organisers see a refresh later.
            time.sleep(3)
            status, content = request("GET", f"/api/v1/conferences/{setup['slug']}/rollup")
            shown = json.loads(content) if status == 200 else {}
            idle_polls = []
            session = str(setup["sessions"][0])  # type: ignore[index]
            for _ in range(200):
                started = time.perf_counter()
                request("GET", str(setup["rollup"]), session=session, htmx=True)
                idle_polls.append(time.perf_counter() - started)
        checked_out = data_dir / "day.json"
        shell(env, f"day_check({str(checked_out)!r})")
        checked = json.loads(checked_out.read_text())
        computed_out = data_dir / "compute.json"
        shell(env, f"compute({str(computed_out)!r})")
        computes = json.loads(computed_out.read_text())
    load_after = record.load()

    ratios = [
        r.rate / i.rate for r, i in zip(rush["report"], rush["insert"], strict=True) if i.rate
    ]
    ratio = statistics.median(ratios)
    report_rate = statistics.median(p.rate for p in rush["report"])
    insert_rate = statistics.median(p.rate for p in rush["insert"])
    report_p99 = statistics.median(percentile(p.latencies, 0.99) for p in rush["report"]) * 1000
    insert_p99 = statistics.median(percentile(p.latencies, 0.99) for p in rush["insert"]) * 1000
    lost = 2 * POINTS - checked["reports"]
    all_in = (
        the_day.accepted == 2 * POINTS
        and not the_day.errors
        and the_day.last_done <= DAY_SECONDS
        and lost == 0
        and checked["linked"] == POINTS
        and checked["delegates"] == DELEGATES
    )
    ms = 1000
    label = f" ({args.label})" if args.label else ""
    command = "python bench/conferences.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## {time.strftime('%Y-%m-%d')}: conferences under gunicorn, the rush and the day"
        f"{label}\n",
        f"- Machine: {record.machine()}; PostgreSQL and Redis, {run.server_described(args)},"
        f" bench settings (production plus the baseline views); load average"
        f" {load_before} at the start, {load_after} at the end.",
        f"- Command: `{command.strip()}` ({args.connections} client threads in the rush,"
        f" {args.seconds:.0f} s a phase, {args.rounds} interleaved rounds, medians; each request"
        " on a new connection, each point from its own address; 50 organisers polling every"
        " 5 s throughout).",
        "",
        "| measure | figure | goal |",
        "|---|---:|---:|",
        f"| rush: one-row-insert view | {insert_rate:.0f}/s, p99 {insert_p99:.0f} ms | |",
        f"| rush: point report (POST, a write each) | {report_rate:.0f}/s,"
        f" p99 {report_p99:.0f} ms | p99 < 300 ms |",
        "| rush: report ÷ insert (per round: "
        + ", ".join(f"{r:.2f}" for r in ratios)
        + f") | {ratio:.2f}× | ≥ 0.6× |",
        f"| rush: roll-up poll, p50 / p99 ({len(rush_polls)} polls)"
        f" | {percentile(rush_polls, 0.5) * ms:.0f} / {percentile(rush_polls, 0.99) * ms:.0f} ms"
        " | |",
        f"| day: 1,200 reports spread over 60 s, accepted | {the_day.accepted}"
        f" ({len(the_day.errors)} refused or failed) | 1,200 |",
        f"| day: the last report accepted at | {the_day.last_done:.1f} s | ≤ 60 s |",
        f"| day: a report's time from its instant, p50 / p99"
        f" | {percentile(the_day.latencies, 0.5) * ms:.0f}"
        f" / {percentile(the_day.latencies, 0.99) * ms:.0f} ms | p99 < 300 ms |",
        f"| day: in the database: history rows, points linked, delegates"
        f" | {checked['reports']}, {checked['linked']}, {checked['delegates']:,} (lost: {lost})"
        " | 1,200, 600, 26,000 |",
        f"| day: roll-up poll, p50 / p99 ({len(day_polls)} polls)"
        f" | {percentile(day_polls, 0.5) * ms:.0f} / {percentile(day_polls, 0.99) * ms:.0f} ms"
        " | |",
        f"| day: the roll-up 3 s after the last report (linked, delegates)"
        f" | {shown.get('linked')}, {shown.get('delegates')} | 600, 26,000 |",
        f"| roll-up computed, 600 points, 26,000 delegates, p50 of {len(computes)}"
        f" | {statistics.median(computes) * ms:.1f} ms | < 100 ms |",
        f"| roll-up poll when nothing changes, p50 of {len(idle_polls)}"
        f" | {statistics.median(idle_polls) * ms:.1f} ms | |",
        "",
        "- The day's verdict: "
        + ("every report accepted within the minute, none lost." if all_in else "MISSED."),
        # Where the rush's time went, by process: a ratio alone does not say which part to
        # work on (the organisers' polls run in both phases and are counted in both).
        *run.cpu_table(rush),
    ]
    print("\n".join(lines))
    if not args.no_record:
        record.append(lines)
    return 0 if all_in else 1


if __name__ == "__main__":
    sys.exit(main())
