"""The embedded default as a newcomer runs it: `moduong demo --no-serve` into an empty data dir,
then the task worker that `moduong serve` starts, each its own process, with no Redis."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


@dataclass
class Embedded:
    data_dir: Path
    env: dict[str, str]
    worker_log: Path
    first_demo: subprocess.CompletedProcess[str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [BIN / "moduong", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def tasks_waiting(self) -> int:
        with sqlite3.connect(self.data_dir / "moduong.sqlite3", timeout=20) as db:
            return int(
                db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                    " WHERE status IN ('READY', 'RUNNING')"
                ).fetchone()[0]
            )

    def wait_for_the_worker(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while self.tasks_waiting():
            assert time.monotonic() < deadline, "the worker did not empty the queue"
            time.sleep(0.5)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    data_dir = tmp_path_factory.mktemp("embedded")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {"DJANGO_SETTINGS_MODULE": "moduong.settings.dev", "MODUONG_DATA_DIR": str(data_dir)}
    # One demo build serves every test here: building it takes minutes, the longest step of
    # the suite, so the newcomer's first run, its second run and the worker share it.
    demo = subprocess.run(
        [BIN / "moduong", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        # Minutes on a quiet machine; a generous bound, as CI runs two suites on two cores.
        timeout=900,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "Traceback" not in demo.stdout + demo.stderr
    site = Embedded(data_dir=data_dir, env=env, worker_log=data_dir / "worker.log", first_demo=demo)
    with site.worker_log.open("w") as log:
        worker = subprocess.Popen(
            [BIN / "moduong", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield site
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def test_moduong_demo_twice_on_a_fresh_data_directory(embedded: Embedded) -> None:
    first = embedded.first_demo
    assert "Đăng nhập quản trị: admin / " in first.stdout
    password = (embedded.data_dir / "admin_password").read_text().strip()
    assert password in first.stdout
    assert (embedded.data_dir / "moduong.sqlite3").exists()

    second = embedded.run("demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    assert "Nội dung mẫu đã có sẵn, không thêm gì." in second.stdout
    assert password in second.stdout

    with sqlite3.connect(embedded.data_dir / "moduong.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newcomers_first_demo_gives_the_worker_no_failing_task(embedded: Embedded) -> None:
    embedded.wait_for_the_worker()
    log = embedded.worker_log.read_text()
    assert "state=SUCCESSFUL" in log
    assert "Traceback" not in log, log[log.index("Traceback") - 300 :][:3000]
    assert "state=FAILED" not in log


def test_an_imported_article_is_found_right_after_the_import(
    embedded: Embedded, tmp_path: Path
) -> None:
    row = {
        "external_id": "cu-1",
        "section": "Tin tổng hợp",
        "title": "Làng gốm Phù Lãng mở lớp dạy nghề cho thiếu nhi",
        "lead": "Các nghệ nhân làng gốm nhận dạy miễn phí trong mùa hè.",
        "body_html": "<p>Lớp học đầu tiên có ba mươi em đăng ký.</p>",
        "published_at": "2024-06-03T08:00:00+07:00",
    }
    source = tmp_path / "bai.jsonl"
    source.write_text(json.dumps(row, ensure_ascii=False) + "\n")
    imported = embedded.run("import-articles", str(source))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    # The index follows the import through the worker, as it follows an editor's publish: the
    # task is queued when the import commits, and the running worker takes it at once.
    deadline = time.monotonic() + 30
    while True:
        found = embedded.run("search", "gom phu lang", "--json")
        assert found.returncode == 0, found.stderr
        titles = [item["title"] for item in json.loads(found.stdout)["results"]]
        if row["title"] in titles or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert row["title"] in titles


def test_web_and_worker_share_one_cache_without_redis(embedded: Embedded) -> None:
    """What one process writes (the worker's contest figures) another process reads (the site)."""
    write = embedded.run(
        "shell", "-c", "from django.core.cache import cache; cache.set('so-lieu', 1949, 60)"
    )
    assert write.returncode == 0, write.stderr
    read = embedded.run(
        "shell", "-c", "from django.core.cache import cache; print(cache.get('so-lieu'))"
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip().splitlines()[-1] == "1949"
