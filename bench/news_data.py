"""Write N generated Vietnamese articles as JSON Lines for `moduong import-articles`.

    .venv/bin/python bench/news_data.py 20000 > /tmp/articles.jsonl

The text comes from moduong.demo_text (original sentences), varied by a seeded generator.
"""

import datetime as dt
import json
import random
import sys

from moduong import demo_text

SECTIONS = ["tin-tuc/tin-tong-hop", "tin-tuc/tin-du-an", "cac-bai-viet"]
TOPICS = ["Văn hóa đọc", "Chuyển đổi số", "Pháp luật", "Cơ sở", "Lịch sử địa phương", "Giáo dục"]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(20000)
    start = dt.datetime(2019, 1, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    for n in range(count):
        _, headline, lead, _topics = demo_text.ARTICLES[n % len(demo_text.ARTICLES)]
        paragraphs = "".join(f"<p>{demo_text.paragraph(rng)}</p>" for _ in range(5))
        row = {
            "external_id": f"bench-{n}",
            "section": SECTIONS[n % len(SECTIONS)],
            "title": f"{headline} (số {n + 1})",
            "lead": lead,
            "body_html": f"{paragraphs}<h2>{rng.choice(demo_text.HEADINGS)}</h2>{paragraphs}",
            "published_at": (start + dt.timedelta(hours=2 * n)).isoformat(),
            "authors": [rng.choice(["Minh Anh", "Thu Hà", "Quốc Bảo", "Hoàng Nam"])],
            "topics": rng.sample(TOPICS, k=2),
        }
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
