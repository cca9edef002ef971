"""`make cluster-test` (`pytest --cluster tests/cluster`, as root): one cluster for the session,
built after a cleanup of whatever an earlier, killed run left, and removed at the end whatever
happened. CLUSTER=short: the smoke run and two faults (.ci/run's version)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cluster import ROOT, Cluster, build, leftovers_remove

ARTIFACTS = ROOT / "test-artifacts" / "cluster"
PARTICIPANTS = 60


@pytest.fixture(scope="session")
def cluster() -> Iterator[tuple[Cluster, dict[str, object]]]:
    if os.geteuid() != 0:
        pytest.fail("make cluster-test makes network namespaces: run it as root")
    for program in ("nginx", "pgbouncer", "redis-server", "pg_isready"):
        if not shutil.which(program) and not Path(f"/usr/sbin/{program}").exists():
            pytest.fail(f"needs Debian's {program} (.ci/run installs it)")
    leftovers_remove()
    made = Cluster()
    try:
        info = build(made, PARTICIPANTS)
        made.supervise()
        yield made, info
    finally:
        if ARTIFACTS.exists():
            shutil.rmtree(ARTIFACTS / "logs", ignore_errors=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copytree(made.logs, ARTIFACTS / "logs", dirs_exist_ok=True)
        made.remove()


def short() -> bool:
    return os.environ.get("CLUSTER", "") == "short"
