"""Monitoring: one full pass over 500 sources served by a local server, against merely
downloading the same 500 feeds with the same politeness, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/monitoring_fetch.py
        [--sources 500] [--hosts 50] [--items 20] [--rules 1000] [--rounds 2] [--max-seconds 600]
        [--record]

The bench starts `--hosts` HTTP servers on 127.0.0.1, one port each: the fetcher's politeness is
per host (scheme, name and port), so these are 50 sites of 10 feeds each, as an office's list of
outlets is (a few sections' feeds per outlet). Politeness as configured by default:
MONITORING_HOST_DELAY = 1 s between two requests to one host, MONITORING_PER_HOST = 30 requests
a host a pass, robots.txt read once a host (each server answers 404: everything allowed). Each
feed holds `--items` items of generated Vietnamese text (bench/monitoring.py's vocabulary), each
odd source's first story in ten reprinted from the source before it (clusters), and `--rules`
rules are matched.

A round: the monitoring tables emptied, then (1) the baseline: the 500 feeds downloaded through
the same polite getter, nothing parsed or stored; (2) the first pass (`sources_fetch`, every item
new: parsed, stored, clustered, matched); (3) a second pass, where every server answers 304 to
the conditional request (the steady state between two new stories). Medians of the rounds; the
goal is the first pass within 60 s. The database named by DATABASE_URL is migrated and its
monitoring tables emptied: give it a database of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import os
import random
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moduong.settings.test")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

import monitoring as matching_bench  # noqa: E402  (django.setup() there)
import record  # noqa: E402
from moduong.monitoring import fetching, services  # noqa: E402
from moduong.monitoring.models import Cluster, Rule, Source  # noqa: E402


def feeds_make(sources: int, items: int, rng: random.Random) -> list[bytes]:
    words = matching_bench.vocabulary()
    texts = matching_bench.make_items(sources * items, words, rng)
    now = timezone.now()
    bodies = []
    for s in range(sources):
        entries = []
        for i in range(items):
            n = s * items + i
            # Each odd source's first story in ten is a reprint of the even source's before it.
            text = texts[n - items] if s % 2 and i % 10 == 0 else texts[n]
            title, body = text.split("\n", 1)
            when = email.utils.format_datetime(now - dt.timedelta(minutes=n % 600))
            entries.append(
                f"<item><guid>s{s}-{i}</guid><title>{escape(title[:120])}</title>"
                f"<link>https://bao{s % 50}.example.vn/bai-{s}-{i}.html</link>"
                f"<description>{escape(body)}</description><pubDate>{when}</pubDate></item>"
            )
        bodies.append(
            (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Nguồn {s}</title><link>https://bao{s}.example.vn/</link>"
                "<description>bench</description>" + "".join(entries) + "</channel></rss>"
            ).encode()
        )
    return bodies


def servers_start(hosts: int, bodies: list[bytes]) -> list[tuple[ThreadingHTTPServer, str]]:
    etags = [hashlib.sha256(b).hexdigest()[:16] for b in bodies]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            if not self.path.startswith("/feed/"):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            n = int(self.path.rsplit("/", 1)[1].split(".")[0])
            tag = f'"{etags[n]}"'
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(bodies[n])))
            self.end_headers()
            self.wfile.write(bodies[n])

    started = []
    for _ in range(hosts):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append((httpd, f"http://127.0.0.1:{httpd.server_address[1]}"))
    return started


def download_only(urls: list[str], delay: float) -> float:
    """The baseline: the same requests in the same order with the same per-host delay."""
    last: dict[str, float] = {}
    t = time.perf_counter()
    for url in urls:
        host = fetching.host_of(url)
        wait = last.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        fetching.get(url, timeout=10.0, max_bytes=5 * 1024 * 1024, etag="", last_modified="")
        last[host] = time.monotonic()
    return time.perf_counter() - t


def tables_reset() -> None:
    Cluster.objects.all().delete()
    Source.objects.all().update(etag="", last_modified="", state="active", failures=0)
    from moduong.monitoring.models import Item

    Item.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    load_before = os.getloadavg()
    call_command("migrate", verbosity=0)
    rng = random.Random(19)
    bodies = feeds_make(args.sources, args.items, rng)
    servers = servers_start(args.hosts, bodies)
    Rule.objects.all().delete()
    Source.objects.all().delete()
    tables_reset()
    words = matching_bench.vocabulary()
    Rule.objects.bulk_create(
        Rule(name=f"Quy tắc {n}", expression=expression)
        for n, expression in matching_bench.make_rules(args.rules, words, rng)
    )
    urls = [f"{servers[s % args.hosts][1]}/feed/{s}.xml" for s in range(args.sources)]
    for s, url in enumerate(urls):
        services.source_add(url=url, name=f"Nguồn {s}", outlet=f"Báo {s % args.hosts}")
    delay = 1.0
    base_t, first_t, second_t, new_items, failed = [], [], [], 0, 0
    with override_settings(
        MONITORING_HOST_DELAY=delay, MONITORING_PER_HOST=30, MONITORING_TIMEOUT=10.0
    ):
        for n in range(args.rounds):
            if n and time.perf_counter() - began > args.max_seconds:
                break
            tables_reset()
            base_t.append(download_only(urls, delay))
            t = time.perf_counter()
            summary = services.sources_fetch(all_sources=True)
            first_t.append(time.perf_counter() - t)
            new_items, failed = summary.new_items, summary.failed
            t = time.perf_counter()
            again = services.sources_fetch(all_sources=True)
            second_t.append(time.perf_counter() - t)
            assert again.unchanged == args.sources, again
    clusters = Cluster.objects.filter(size__gte=2).count()
    load_after = os.getloadavg()
    for httpd, _ in servers:
        httpd.shutdown()
    base, first, second = (statistics.median(x) for x in (base_t, first_t, second_t))
    lines = [
        f"## {dt.date.today().isoformat()}: monitoring, a full pass over {args.sources} sources",
        "",
        f"- Machine: {record.machine()}; {connection.vendor}; load average"
        f" {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end.",
        f"- Command: `python bench/monitoring_fetch.py --sources {args.sources} --hosts"
        f" {args.hosts} --items {args.items} --rules {args.rules} --rounds {args.rounds}"
        f" --max-seconds {args.max_seconds:.0f}` (medians of the {len(first_t)} rounds run).",
        f"- {args.sources} feeds of {args.items} items on {args.hosts} local HTTP servers"
        f" (127.0.0.1, one port each: {args.sources // args.hosts} feeds a host), {args.rules}"
        " rules. Politeness as configured by default: 1 s between two requests to one host,"
        " at most 30 requests a host a pass, robots.txt read once a host.",
        f"- First pass: {new_items} new items stored, clustered and matched, {failed} sources"
        f" failed; {clusters} clusters of two outlets or more.",
        "",
        "| pass | seconds (median) | ratio to baseline |",
        "|---|---:|---:|",
        f"| download only, same order and delays (baseline) | {base:.1f} | 1.00× |",
        f"| first pass: every item new (goal ≤ 60 s) | {first:.1f} | {first / base:.2f}× |",
        f"| next pass: every feed answers 304 | {second:.1f} | {second / base:.2f}× |",
        "",
    ]
    print("\n".join(lines))
    if args.record:
        record.append(["", *lines])


if __name__ == "__main__":
    main()
