import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("ci", deadline=None, max_examples=300)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=100)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

CHROMIUM = "/usr/bin/chromium"


def _shared_dir() -> Path:
    """The office's shared folder, whose schemas the project is checked against but may not
    copy in: MODUONG_SHARED_DIR if set (a worktree kept elsewhere), else ../shared beside the
    checkout, as CI lays it."""
    beside = Path(__file__).resolve().parents[1].parent / "shared"
    return Path(os.environ.get("MODUONG_SHARED_DIR") or beside)


OPDS_SCHEMA = _shared_dir() / "schemas" / "opds-1.2" / "opds.rnc"
SITE_CHECKS = Path(__file__).parent / "site"
SECURITY_CHECKS = Path(__file__).parent / "security"
CLUSTER_CHECKS = Path(__file__).parent / "cluster"


def pytest_configure(config: pytest.Config) -> None:
    """MODUONG_FROZEN_CLOCK="2028-12-31T23:59:30+07:00" (.ci/run's second run) starts the whole
    session at that instant, ticking on from there, so that a test that depends on the day, the
    month, the year or the hour fails in CI rather than on a Sunday or a New Year's Eve. Programs
    the tests start (the demo, the worker, chromium) keep the machine's clock."""
    frozen = os.environ.get("MODUONG_FROZEN_CLOCK")
    if frozen:
        import datetime as dt

        import time_machine

        time_machine.travel(dt.datetime.fromisoformat(frozen), tick=True).start()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--check-site",
        action="store_true",
        help="also collect tests/site: the checks of the served demo site (`make check-site`)",
    )
    parser.addoption(
        "--check-security",
        action="store_true",
        help="collect tests/security: attack tools against the served demo (`make check-security`)",
    )
    parser.addoption(
        "--cluster",
        action="store_true",
        help="collect tests/cluster: the production shape in network namespaces, attacked while"
        " it works (`make cluster-test`, as root)",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """tests/site serves its own demo site and takes minutes: it runs as `make check-site`, its
    own CI step, not inside every `make test`."""
    if collection_path == SITE_CHECKS and not config.getoption("--check-site"):
        return True
    if collection_path == SECURITY_CHECKS and not config.getoption("--check-security"):
        return True
    if collection_path == CLUSTER_CHECKS and not config.getoption("--cluster"):
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    for item in items:
        if "concurrency" in item.path.parts:
            item.add_marker(pytest.mark.postgres)
        if "browser" in item.path.parts or SITE_CHECKS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason=NEEDS + "chromium"))
        tool = item.get_closest_marker("tool")
        if tool and not shutil.which(tool.args[0]):
            item.add_marker(pytest.mark.skip(reason=NEEDS + tool.args[0]))
        if tool and not OPDS_SCHEMA.exists() and tool.kwargs.get("schema"):
            item.add_marker(pytest.mark.skip(reason=f"needs the office's {OPDS_SCHEMA}"))


# A test that needs a system program skips where it is missing (a machine with only python3,
# make and git) and the run ends with one line saying what to install; .ci/run installs them
# and turns any such skip into a failure (MODUONG_FORBID_SKIP=browser,tool).
NEEDS = "needs Debian's "


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter: Any) -> Any:
    yield  # after pytest's own summary of skips: this is the run's last line before the counts
    missing = sorted(
        {
            report.longrepr[2].split(NEEDS, 1)[1]
            for report in terminalreporter.stats.get("skipped", [])
            if isinstance(report.longrepr, tuple) and NEEDS in report.longrepr[2]
        }
    )
    if missing:
        terminalreporter.write_line(
            f"Some tests were skipped: to run them, apt-get install {' '.join(missing)}",
            yellow=True,
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """MODUONG_FORBID_SKIP=postgres,browser turns a skip of such a test into a failure, so CI
    cannot go green while the real database or the real browser silently stayed out."""
    outcome = yield
    report = outcome.get_result()
    forbidden = {m for m in os.environ.get("MODUONG_FORBID_SKIP", "").split(",") if m}
    if report.skipped and any(item.get_closest_marker(m) for m in forbidden):
        report.outcome = "failed"
        report.longrepr = f"skipped although MODUONG_FORBID_SKIP={','.join(sorted(forbidden))}"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the demo portal once; each test's transaction rolls its own changes back."""
    from moduong.demo import demo_content_load

    from .demo_snapshot import snapshot_take

    with django_db_blocker.unblock():
        demo_content_load()
        snapshot_take()


@pytest.fixture
def site(db):  # type: ignore[no-untyped-def]
    """The demo portal: home page, sections, menu, office contact. Tests that flush the
    database (live server, concurrency) get it back as the session loaded it (demo_snapshot),
    or load it again where there is no copy."""
    from wagtail.models import Site

    from moduong.demo import demo_content_load
    from moduong.news.models import HomePage

    from .demo_snapshot import snapshot_restore

    if not HomePage.objects.exists() and not snapshot_restore():
        demo_content_load()
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def redis_round_trips(monkeypatch):  # type: ignore[no-untyped-def]
    """A function that says how many round trips to Redis this process made so far (a
    pipeline is one). Where the cache is not Redis (the embedded default) the test is skipped:
    CI's second run has Redis, and forbids nothing to skip there."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from redis.connection import AbstractConnection

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("counts Redis round trips: set REDIS_URL")
    trips = [0]
    send = AbstractConnection.send_packed_command

    def counted(self: Any, command: Any, check_health: bool = True) -> None:
        trips[0] += 1
        send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return lambda: trips[0]
