"""Monitoring: how much matching 10,000 rules costs over merely folding and tokenising the same
items, in the same run.

    .venv/bin/python bench/monitoring.py [--rules 10000] [--items 100000] [--rounds 3]
        [--max-seconds 780]

(The full pass over 500 sources on a local server is bench/monitoring_fetch.py.)

Items are generated Vietnamese-like texts (a title and about 120 syllables drawn with a Zipf-like
frequency from a vocabulary of real syllables, with and without marks); rules are drawn from
the same vocabulary, as officers write them: a quoted place or name, AND a choice of topics,
sometimes NOT a phrase. The baseline is what any reader of the items must do anyway: normalise
each text (core.vntext.normalize), split it into words and fold each one (search_key). Rounds
are interleaved (baseline, matching, baseline, matching...) and the medians compared; the goal
is matching ≤ 3× the baseline. Appends the figures to BENCHMARKS.md with --record. The run is
bounded: no new round starts once --max-seconds have passed (one round always runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moduong.settings.test")

import django  # noqa: E402

django.setup()

from moduong.core import vntext  # noqa: E402
from moduong.monitoring.rules import Matcher  # noqa: E402

_WORD = re.compile(r"[^\W_]+")

SEED_TEXT = (
    "Ủy ban nhân dân quận Hoàn Kiếm tổ chức hội nghị tuyên truyền về quản lý đô thị và bảo vệ "
    "môi trường thành phố Hà Nội năm nay với sự tham gia của đông đảo cán bộ đảng viên nhân dân "
    "các phường Hàng Bài Tràng Tiền Lý Thái Tổ Đồng Xuân chuyển đổi số thư viện sách báo chí "
    "giáo dục y tế giao thông ngập úng mưa lớn triều cường cây đổ phố đi bộ du lịch lễ hội văn "
    "hóa thể thao an ninh trật tự phòng cháy chữa cháy xây dựng nông thôn mới kinh tế đầu tư "
    "doanh nghiệp khởi nghiệp công nghệ thông tin dịch vụ công trực tuyến thủ tục hành chính "
    "cải cách tư pháp pháp luật bầu cử đại biểu quốc hội hội đồng khu dân cư tổ dân phố chi bộ "
    "người cao tuổi thiếu nhi phụ nữ thanh niên cựu chiến binh nông dân công nhân lao động việc "
    "làm bảo hiểm xã hội y tế học sinh sinh viên trường học bệnh viện chợ siêu thị giá cả thị "
    "trường vàng xăng dầu điện nước rác thải cây xanh công viên hồ gươm sông hồng cầu đường "
    "nhà ở chung cư quy hoạch đất đai tài nguyên khoáng sản thời tiết nắng nóng rét đậm dịch "
    "bệnh sốt xuất huyết tiêm chủng vắc xin an toàn thực phẩm quảng cáo khuyến mại lừa đảo mạng"
)


def vocabulary() -> list[str]:
    """The syllables of the text above and of the demo's article texts (moduong/demo_text.py)."""
    source = (ROOT / "src" / "moduong" / "demo_text.py").read_text()
    found = _WORD.findall(vntext.normalize(SEED_TEXT + " " + source).lower())
    words = sorted({w for w in found if not w.isascii() or (vntext.fold(w) == w and len(w) < 8)})
    # Each word also as typed without marks, as some forums and comments are.
    return words + sorted({vntext.fold(w) for w in words} - set(words))


def make_items(count: int, words: list[str], rng: random.Random) -> list[str]:
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(words))]
    order = words[:]
    rng.shuffle(order)
    items = []
    for _ in range(count):
        chosen = rng.choices(order, weights=weights, k=132)
        title = " ".join(chosen[:12]).capitalize()
        body = ". ".join(" ".join(chosen[i : i + 15]) for i in range(12, 132, 15))
        items.append(title + "\n" + body + ".")
    return items


def make_rules(count: int, words: list[str], rng: random.Random) -> list[tuple[int, str]]:
    marked = [w for w in words if vntext.fold(w) != w] or words
    rules = []
    for n in range(count):
        place = " ".join(rng.sample(marked, 2))
        topics = " OR ".join(
            f'"{" ".join(rng.sample(marked, rng.choice((1, 2))))}"' for _ in range(3)
        )
        expression = f'"{place}" AND ({topics})'
        if n % 3 == 0:
            expression += f' NOT "{rng.choice(marked)} {rng.choice(marked)}"'
        rules.append((n, expression))
    return rules


def tokenise(items: list[str]) -> int:
    count = 0
    for text in items:
        count += len([vntext.search_key(w) for w in _WORD.findall(vntext.normalize(text))])
    return count


def match(matcher: Matcher, items: list[str]) -> int:
    return sum(len(matcher.match(text)) for text in items)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-seconds", type=float, default=780.0)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    began = time.perf_counter()
    load_before = os.getloadavg()
    rng = random.Random(19)
    words = vocabulary()
    items = make_items(args.items, words, rng)
    started = time.perf_counter()
    matcher = Matcher.build(make_rules(args.rules, words, rng))
    build = time.perf_counter() - started
    tokenise(items[:1000])  # warm the word caches for both sides
    match(matcher, items[:1000])
    base_times, match_times = [], []
    matches = 0
    for n in range(args.rounds):
        if n and time.perf_counter() - began > args.max_seconds:
            break
        t = time.perf_counter()
        tokenise(items)
        base_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        matches = match(matcher, items)
        match_times.append(time.perf_counter() - t)
    base = statistics.median(base_times)
    matching = statistics.median(match_times)
    ratio = matching / base
    load_after = os.getloadavg()
    load = f"load average {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end"
    lines = [
        f"## {dt.date.today().isoformat()}: monitoring, {args.rules} rules over {args.items} items",
        "",
        "- Machine: 2 cores, shared; Python "
        f"{sys.version.split()[0]}; one process, items in memory (generated, {len(words)}"
        " distinct syllables, Zipf-like frequencies, ~130 syllables an item).",
        f"- Command: `python bench/monitoring.py --rules {args.rules} --items {args.items}"
        f" --rounds {args.rounds} --max-seconds {args.max_seconds:.0f}` (interleaved rounds,"
        f" medians of the {len(match_times)} rounds run); {load}.",
        "- Baseline: normalise + split + fold every word of the same items (core.vntext),"
        " same run.",
        f"- Index built in {build:.2f} s; {matches} matches in a pass.",
        "",
        "| pass | items/s (median) | seconds (median) | ratio to baseline |",
        "|---|---:|---:|---:|",
        f"| fold + tokenise (baseline) | {args.items / base:,.0f} | {base:.2f} | 1.00× |",
        f"| match {args.rules} rules | {args.items / matching:,.0f} | {matching:.2f}"
        f" | {ratio:.2f}× |",
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with (ROOT / "BENCHMARKS.md").open("a") as out:
            out.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
