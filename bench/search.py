"""Search benchmark: 100,000 generated Vietnamese articles, on SQLite and on PostgreSQL.

    .venv/bin/python bench/search.py [--articles 100000] [--rounds 3] [--backends sqlite,postgresql]

For each backend, in its own process: a fresh database (SQLite file in a temporary folder;
PostgreSQL `BENCH_SEARCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/moduong_wt4_bench,
recreated), migrations, then the index is built from nothing (timed) and 200 varied queries run
through the same selector the search page and the API use (parse, one SQL query for the page of
hits and the total, one for the snippets' text). The baseline, in the same run and the same
process, is a primary-key lookup of one row of the same table through the same connection.

The articles are written straight into the index (services.search_entries_write), not created
as 100,000 Wagtail pages: the build time is the index's (normalising, keys, inserting, the
FTS5/GIN structures), not the page tree's. Bodies are about 200 words. Appends to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import record

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_SEARCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_wt4_bench"
)
ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
RHYMES = [
    "a",
    "an",
    "anh",
    "ang",
    "ao",
    "at",
    "ai",
    "ăn",
    "ăng",
    "âm",
    "ân",
    "âu",
    "em",
    "en",
    "eo",
    "ên",
    "ênh",
    "iên",
    "inh",
    "im",
    "it",
    "o",
    "oa",
    "oan",
    "oang",
    "ông",
    "ôi",
    "ơi",
    "ơn",
    "u",
    "un",
    "ung",
    "uôn",
    "uông",
    "ươn",
    "ương",
    "ưa",
    "ưu",
    "ưng",
    "ach",
    "ich",
    "ươc",
    "uc",
    "ôc",
]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
PLACES = [
    "Hà Nội",
    "Đà Nẵng",
    "Huế",
    "Cần Thơ",
    "Hải Phòng",
    "Nghệ An",
    "Quảng Ninh",
    "Lâm Đồng",
    "Điện Biên",
    "Sóc Trăng",
    "Bắc Ninh",
    "Khánh Hòa",
]
TELEX = {"đ": "dd", "ă": "aw", "â": "aa", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw"}
TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def vocabulary(rng: random.Random) -> list[str]:
    from moduong import demo_text
    from moduong.core import vntext

    seen: dict[str, None] = {}
    for group in (demo_text.SUBJECTS, demo_text.ACTIONS, demo_text.DETAILS, demo_text.HEADINGS):
        for text in group:
            for start, end in vntext.word_spans(vntext.normalize(text)):
                seen.setdefault(text[start:end].lower(), None)
    pool = [
        vntext.normalize(unicodedata.normalize("NFC", onset + rhyme[0] + tone + rhyme[1:]))
        for onset in ONSETS
        for rhyme in RHYMES
        for tone in TONES
    ]
    rng.shuffle(pool)
    for word in pool:
        seen.setdefault(word, None)
    return list(seen)


def telex(text: str) -> str:
    words = []
    for word in text.lower().split():
        tone = ""
        out = ""
        for ch in unicodedata.normalize("NFD", word):
            if ch in TELEX_TONES:
                tone = TELEX_TONES[ch]
            elif ch in "\u0306\u0302\u031b":  # breve, circumflex, horn
                out = out[:-1] + TELEX[unicodedata.normalize("NFC", out[-1] + ch)]
            else:
                out += ch
        words.append(out.replace("đ", "dd") + tone)
    return " ".join(words)


def documents(count: int, content_type_id: int) -> list:
    from moduong import demo_text
    from moduong.search.documents import Document

    rng = random.Random(4)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    start = dt.datetime(2016, 1, 1, 7, 0, tzinfo=dt.UTC)
    out = []
    for n in range(count):
        title = rng.choices(words, weights, k=rng.randint(7, 12))
        if n % 3 == 0:
            title.insert(rng.randint(0, len(title)), rng.choice(PLACES))
        body = (
            demo_text.paragraph(rng, sentences=3)
            + " "
            + " ".join(rng.choices(words, weights, k=130))
        )
        if n % 5 == 0:
            body += f" Tại {rng.choice(PLACES)}, {rng.choice(PLACES)} cũng vậy."
        section = n % 6
        out.append(
            Document(
                content_type_id=content_type_id,
                object_id=n + 1,
                kind="article" if n % 10 else "page",
                title=" ".join(title).capitalize(),
                body=body,
                url=f"/bai/{n + 1}/",
                date=start + dt.timedelta(minutes=50 * n),
                section_key=str(section),
                section_title=f"Chuyên mục {section}",
            )
        )
    return out


def queries(docs: list, count: int = 200) -> list[dict[str, object]]:
    """Varied like readers' queries: one word (common to rare), two or three adjacent words as
    written, without marks, quoted, in raw Telex, with filters, and later pages."""
    from moduong.core import vntext

    rng = random.Random(200)
    out: list[dict[str, object]] = []

    def phrase(length: int) -> str:
        doc = rng.choice(docs)
        words = doc.title.split()
        at = rng.randint(0, max(0, len(words) - length))
        return " ".join(words[at : at + length])

    vocab = vocabulary(random.Random(4))
    for i in range(count):
        kind = i % 10
        if kind == 0:
            q: dict[str, object] = {"text": vocab[min(len(vocab) - 1, int(rng.paretovariate(0.6)))]}
        elif kind in (1, 2):
            q = {"text": phrase(2)}
        elif kind == 3:
            q = {"text": phrase(3)}
        elif kind == 4:
            q = {"text": vntext.fold(phrase(2))}
        elif kind == 5:
            q = {"text": f'"{phrase(2)}"'}
        elif kind == 6:
            q = {"text": telex(phrase(2))}
        elif kind == 7:
            q = {"text": rng.choice(PLACES)}
        elif kind == 8:
            q = {"text": phrase(2), "kind": "article", "from": "2017-01-01", "to": "2018-12-31"}
        else:
            q = {"text": rng.choice(vocab[:300]), "page": rng.randint(2, 5)}
        out.append(q)
    return out


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def worker(backend: str, articles: int, rounds: int, reuse: bool) -> dict[str, object]:
    """Runs inside the process whose settings point at `backend`'s database."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    from moduong.search.backends import SearchFilters, get_backend
    from moduong.search.models import SearchEntry
    from moduong.search.selectors import search
    from moduong.search.services import search_entries_write

    call_command("migrate", verbosity=0)
    content_type_id = ContentType.objects.get(app_label="news", model="articlepage").pk
    docs = documents(articles, content_type_id)
    build = None
    if not (reuse and SearchEntry.objects.count() == articles):
        started = time.perf_counter()
        get_backend().clear()
        for at in range(0, len(docs), 1000):
            search_entries_write(documents=docs[at : at + 1000])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE search_searchentry")
        else:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
        build = time.perf_counter() - started

    plan = queries(docs)

    def run(q: dict[str, object]) -> int:
        filters = SearchFilters(
            kind=str(q.get("kind", "")),
            date_from=dt.datetime.fromisoformat(f"{q['from']}T00:00+07:00")
            if "from" in q
            else None,
            date_to=dt.datetime.fromisoformat(f"{q['to']}T00:00+07:00") if "to" in q else None,
        )
        return search(text=str(q["text"]), filters=filters, page=int(q.get("page", 1))).total

    ids = [random.Random(7).randint(1, articles) for _ in range(len(plan))]

    def baseline(pk: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, title FROM search_searchentry WHERE id = %s", [pk])
            cursor.fetchone()

    for q in plan[:20]:  # warm caches, as a running site has
        run(q)
    totals = [run(q) for q in plan]
    per_round = []
    for _ in range(rounds):
        latencies, base = [], []
        for q, pk in zip(plan, ids, strict=True):
            t0 = time.perf_counter()
            run(q)
            latencies.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            baseline(pk)
            base.append((time.perf_counter() - t0) * 1000)
        per_round.append(
            {
                "p50": percentile(latencies, 0.5),
                "p95": percentile(latencies, 0.95),
                "max": max(latencies),
                "base_p50": percentile(base, 0.5),
                "base_p95": percentile(base, 0.95),
            }
        )
    return {
        "backend": connection.vendor,
        "build_seconds": build,
        "rounds": per_round,
        "hits_median": statistics.median(totals),
        "no_hits": sum(1 for t in totals if t == 0),
        "examples": [q["text"] for q in plan[:10]],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--worker", default="")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases between runs and skip the build when they are complete",
    )
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.articles, args.rounds, args.reuse)))
        return 0

    results = []
    kept = Path(tempfile.gettempdir()) / "moduong-search-bench"
    kept.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = str(kept) if args.reuse else scratch
        for backend in args.backends.split(","):
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "moduong.settings.dev",
                "MODUONG_DATA_DIR": tmp,
                "LOG_LEVEL": "WARNING",
            }
            env.pop("DATABASE_URL", None)
            if backend == "postgresql":
                name = PG_URL.rsplit("/", 1)[1]
                admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
                if not args.reuse:
                    subprocess.run(
                        ["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True
                    )
                probe = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608
                exists = subprocess.run(
                    ["psql", admin, "-tAc", probe], capture_output=True, text=True, check=True
                )
                if not exists.stdout.strip():
                    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
                env["DATABASE_URL"] = PG_URL
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    backend,
                    "--articles",
                    str(args.articles),
                    "--rounds",
                    str(args.rounds),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                return out.returncode
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)

    command = "python bench/search.py " + " ".join(sys.argv[1:])
    lines = [
        f"\n## {dt.date.today().isoformat()}: search, {args.articles} generated articles\n",
        f"- Machine: {record.machine()}.",
        f"- Command: `{command.strip()}`: 200 varied queries (one word common to rare, 2-3 "
        "adjacent words, without marks, quoted, raw Telex, with type and date filters, pages 2-5) "
        f"through the search selector, {args.rounds} rounds; medians of the rounds' percentiles.",
        "- Baseline: a primary-key lookup on the same table through the same connection, "
        "alternated with the queries.",
        "- Articles written straight into the index (about 200 words each), not as Wagtail "
        "pages; build = empty index to searchable, including normalising and keys.\n",
        "| backend | index build | p50 | p95 | baseline p50 | baseline p95 | median hits |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rounds = r["rounds"]

        def med(key: str, rounds: list = rounds) -> float:
            return statistics.median(x[key] for x in rounds)

        build = f"{r['build_seconds']:.0f} s" if r["build_seconds"] else "(reused)"
        lines.append(
            f"| {r['backend']} | {build} | {med('p50'):.1f} ms | "
            f"{med('p95'):.1f} ms | {med('base_p50'):.2f} ms | {med('base_p95'):.2f} ms | "
            f"{r['hits_median']:.0f} |"
        )
    print("\n".join(lines))
    if not args.no_record:
        record.append(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
