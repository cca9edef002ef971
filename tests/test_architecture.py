"""The import contracts (pyproject.toml, checked by `make lint`) cover every app: one that
exists but is missing from them would be outside the rules without anyone noticing."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "src" / "moduong"
FOUNDATIONS = {"core", "units", "accounts"}
# The design's apps still to be built (bulletins, conferences, monitoring, awards, training)
# join the contracts in the change that creates them: these tests fail until they do.


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def _apps() -> set[str]:
    return {path.parent.name for path in APPS.glob("*/apps.py")}


def test_every_domain_app_is_in_the_independence_and_foundation_contracts() -> None:
    contracts = _contracts()
    domain = {f"moduong.{app}" for app in _apps() - FOUNDATIONS}
    assert set(contracts["domain-apps-independent"]["modules"]) == domain
    assert set(contracts["foundations-import-no-domain-app"]["forbidden_modules"]) == domain


def test_every_app_has_its_layers_checked() -> None:
    containers = set(_contracts()["layers-inside-each-app"]["containers"])
    assert containers == {f"moduong.{app}" for app in _apps()}
