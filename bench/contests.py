"""Contest benchmark: participants starting, answering and submitting against PostgreSQL under
gunicorn, beside the minimal view and the one-row-insert view, in the same run and on the same
server; then a round of 1,000,000 attempts ranked, and the dashboard computed over them.

    .venv/bin/python bench/contests.py [--seconds 10] [--rounds 3] [--connections 16]

Needs PostgreSQL (BENCH_CONTESTS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/moduong_contests_bench, recreated) and Redis
(BENCH_CONTESTS_REDIS_URL, default redis://127.0.0.1:6379/12, emptied). The load comes from
this script's own threads (a participant's flow is three different requests with a session,
which wrk cannot do simply); the baselines are driven by the same client, so the ratios
compare like with like. Each phase is measured in interleaved rounds; figures are medians.

After the load, every submission the server acknowledged (HTTP 200 with first_submission) is
looked up in the database: acknowledged == rows, or the run fails.
"""

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
    "BENCH_CONTESTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_contests_bench"
)
REDIS_URL = os.environ.get("BENCH_CONTESTS_REDIS_URL", "redis://127.0.0.1:6379/12")
SLUG = "cuoc-thi-do-tai"
USERS = 10_000
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"  # 32 characters: Django's unmasked secret


def _django(call: str) -> str:
    """A call into bench/contests_django.py, run by `moduong shell`."""
    path = str(ROOT / "bench")
    return f"import sys; sys.path.insert(0, {path!r}); import contests_django as c; c.{call}"


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # run.cpu_used over the phase

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def p99_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def request(
    method: str, path: str, session: str = "", body: object = None, token: str = ""
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", run.PORT, timeout=30)
    headers = {}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    if token:
        headers["X-Attempt-Token"] = token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, content


def phase(seconds: float, connections: int, step: Callable[[], bool]) -> Phase:
    """`connections` threads call `step` until the time is up (or `step` says there is no more
    work); each call's latency is recorded."""
    result = Phase()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                more = step()
            except Exception as error:  # recorded; any error fails the run
                with lock:
                    result.errors.append(repr(error))
                continue
            if more is None:
                return
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


class Crowd:
    """The participants' side: sessions, started attempts waiting for answers and submission,
    acknowledged submissions."""

    def __init__(self, sessions: list[str]) -> None:
        self.sessions = sessions
        self.next_session = 0
        # (session, attempt id, its token, its questions and options, the submit's body)
        self.to_submit: list[tuple[str, int, str, list[tuple[int, list[int]]], bytes]] = []
        self.acknowledged: set[int] = set()
        self.lock = threading.Lock()

    def session(self) -> str:
        with self.lock:
            key = self.sessions[self.next_session % len(self.sessions)]
            self.next_session += 1
            return key

    def start(self) -> bool:
        session = self.session()
        status, body = request("POST", f"/api/v1/contests/{SLUG}/rounds/1/attempts", session, {})
        if status != 201:
            raise RuntimeError(f"start: {status} {body[:200]!r}")
        data = json.loads(body)
        questions = [(q["id"], [o["id"] for o in q["options"]]) for q in data["questions"]]
        # The participant's final answers are chosen here, so that the timed submit phase
        # spends this script's CPU on sending them, not on making them up.
        answers = [{"question_id": q, "option_id": random.choice(o)} for q, o in questions]
        body = json.dumps({"answers": answers, "prediction": random.randint(0, 100000)}).encode()
        with self.lock:
            self.to_submit.append((session, data["id"], data["token"], questions, body))
        return True

    def save(self) -> bool | None:
        with self.lock:
            if not self.to_submit:
                return None
            session, attempt, token, questions, _body = random.choice(self.to_submit)
        qid, options = random.choice(questions)
        status, body = request(
            "PUT",
            f"/api/v1/contests/attempts/{attempt}/answers",
            session,
            {"question_id": qid, "option_id": random.choice(options)},
            token,
        )
        if status != 200:
            raise RuntimeError(f"save: {status} {body[:200]!r}")
        return True

    def submit(self) -> bool | None:
        with self.lock:
            if not self.to_submit:
                return None
            session, attempt, token, _questions, answers = self.to_submit.pop()
        status, body = request(
            "POST", f"/api/v1/contests/attempts/{attempt}/submit", session, answers, token
        )
        if status != 200:
            raise RuntimeError(f"submit: {status} {body[:200]!r}")
        if json.loads(body)["first_submission"]:
            with self.lock:
                self.acknowledged.add(attempt)
        return True


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", DATABASE_URL, "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def prepare(env: dict[str, str], data_dir: Path) -> list[str]:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, stdout=subprocess.DEVNULL)
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([BIN / "moduong", "migrate", "-v0"], **quiet)
    subprocess.run([BIN / "moduong", "collectstatic", "--noinput", "-v0"], **quiet)
    psql("CREATE TABLE bench_baseline_row (id bigserial PRIMARY KEY, created timestamptz)")
    keys = data_dir / "sessions.json"
    subprocess.run(
        [BIN / "moduong", "shell", "-c", _django(f"setup({USERS}, {str(keys)!r})")], **quiet
    )
    psql("VACUUM ANALYZE")
    return json.loads(keys.read_text())


def million(env: dict[str, str], data_dir: Path) -> dict[str, object]:
    out = data_dir / "million.json"
    subprocess.run(
        [BIN / "moduong", "shell", "-c", _django(f"million({str(out)!r})")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    run.server_options(parser)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument(
        "--start-limit",
        type=int,
        default=6,
        help="starts per person per minute, as production's default (0: off, as before)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {
            **run.base_env(data_dir),
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "CONTESTS_START_CAPTCHA": "0",
            # The limit stays on, as in production: each start pays its check. 10,000
            # participants taken in turn never reach 6 starts a minute below 3,000 starts/s.
            "CONTESTS_START_RATE_PER_MINUTE": str(args.start_limit),
            "SECRET_KEY": secrets.token_urlsafe(50),
        }
        sessions = prepare(env, data_dir)
        crowd = Crowd(sessions)
        measured: dict[str, list[Phase]] = {
            k: [] for k in ("hello", "insert", "start", "save", "submit")
        }

        def baseline(path: str) -> Callable[[], bool]:
            def step() -> bool:
                status, _ = request("GET", path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                return True

            return step

        hello, insert = baseline("/__bench__/hello"), baseline("/__bench__/insert")

        steps = {
            "hello": hello,
            "insert": insert,
            "start": crowd.start,
            "save": crowd.save,
            "submit": crowd.submit,
        }
        with run.server(env, args.workers, args.threads) as server:
            # Warm-up: connections, the round's paper in every worker, caches.
            for name in ("hello", "insert", "start", "save", "submit"):
                phase(2, args.connections, steps[name])
            crowd.acknowledged.clear()
            for _ in range(args.rounds):
                for name in ("insert", "hello", "start", "save", "submit"):
                    before = run.cpu_seconds(server.pid)
                    result = phase(args.seconds, args.connections, steps[name])
                    result.cpu = run.cpu_used(before, run.cpu_seconds(server.pid))
                    if result.errors:
                        print("\n".join(result.errors[:5]), file=sys.stderr)
                        return 1
                    measured[name].append(result)
                    print(f"{name}: {result.rate:.0f}/s, p99 {result.p99_ms:.0f} ms", flush=True)
            # Whatever was started and not submitted yet is submitted now (not timed).
            phase(600, args.connections, crowd.submit)

        submitted = int(
            psql("SELECT count(*) FROM contests_attempt WHERE submitted_at IS NOT NULL")
        )
        acknowledged_ids = sorted(crowd.acknowledged)
        missing = 0
        for chunk in range(0, len(acknowledged_ids), 5000):
            ids = ",".join(map(str, acknowledged_ids[chunk : chunk + 5000]))
            found = int(
                psql(
                    "SELECT count(*) FROM contests_attempt"  # noqa: S608 (ids are integers)
                    f" WHERE submitted_at IS NOT NULL AND id IN ({ids})"
                )
            )
            missing += min(5000, len(acknowledged_ids) - chunk) - found
        # Submissions acknowledged in the warm-up were cleared from the set: count them apart.
        print(
            f"acknowledged (timed rounds and after): {len(acknowledged_ids)}, missing: {missing},"
            f" submitted rows in all: {submitted}"
        )
        if missing:
            print("ACKNOWLEDGED SUBMISSIONS ARE MISSING", file=sys.stderr)
            return 1
        big = {} if args.skip_million else million(env, data_dir)

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(p, attr) for p in measured[name])

    insert_rate = med("insert", "rate")
    ratios = {
        name: statistics.median(
            p.rate / b.rate for p, b in zip(measured[name], measured["insert"], strict=True)
        )
        for name in ("hello", "start", "save", "submit")
    }
    command = "python bench/contests.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## {time.strftime('%Y-%m-%d')}: contests, participants against PostgreSQL\n",
        f"- Machine: {record.machine()}; PostgreSQL and Redis, {run.server_described(args)},"
        " production settings (captcha off for the load; start rate limit"
        + (f" {args.start_limit}/min per person)." if args.start_limit else " off)."),
        f"- Command: `{command.strip()}` ({args.connections} client threads of this script,"
        f" {args.seconds:.0f} s a phase, {args.rounds} interleaved rounds, medians).",
        "- Baselines: `/__bench__/hello` (minimal view) and `/__bench__/insert` (one raw INSERT),"
        " same server, same client. Start = `POST …/rounds/1/attempts` with the session (20"
        " questions drawn from 60); save = `PUT …/answers` (one choice) and submit ="
        " `POST …/submit` (20 answers and a prediction, scored) with the attempt's"
        " `X-Attempt-Token`, as a phone app sends them.\n",
        "| request | req/s (median) | p99 ms (median) | ratio to one-row insert |",
        "|---|---:|---:|---:|",
        f"| minimal view | {med('hello', 'rate'):.0f} | {med('hello', 'p99_ms'):.0f} |"
        f" {ratios['hello']:.2f} |",
        f"| one-row insert view | {insert_rate:.0f} | {med('insert', 'p99_ms'):.0f} | 1.00 |",
        f"| start an attempt | {med('start', 'rate'):.0f} | {med('start', 'p99_ms'):.0f} |"
        f" {ratios['start']:.2f} |",
        f"| save an answer | {med('save', 'rate'):.0f} | {med('save', 'p99_ms'):.0f} |"
        f" {ratios['save']:.2f} |",
        f"| submit | {med('submit', 'rate'):.0f} | {med('submit', 'p99_ms'):.0f} |"
        f" {ratios['submit']:.2f} |",
        "",
        f"- Acknowledged submissions checked in the database: {len(acknowledged_ids)},"
        f" missing: {missing}.",
        *run.cpu_table({name: measured[name] for name in ("insert", "hello", "start", "submit")}),
    ]
    if big:
        ranking = big["ranking"]
        dashboard = big["dashboard"]
        lines += [
            f"- A round of {big['attempts']:,} attempts (250,000 people, generated by one"
            " `INSERT … SELECT generate_series`"
            f" in {big['generated']:.1f} s): actual figure and"
            f" ranking (`round_results_compute`, {big['entries']:,} people ranked) in"
            f" {statistics.median(ranking):.1f} s (median of 3: "
            + ", ".join(f"{t:.1f}" for t in ranking)
            + f"); dashboard aggregates computed in {statistics.median(dashboard) * 1000:.0f} ms"
            " (median of 5, by the background task at most once a minute); the dashboard's"
            f" figures as staff get them: {statistics.median(big['served']) * 1000:.2f} ms"
            " (median of 20 reads).",
        ]
    record.append(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
