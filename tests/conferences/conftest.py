import pytest


@pytest.fixture(autouse=True)
def _rollup_computed_at_every_poll(settings) -> None:  # type: ignore[no-untyped-def]
    """These tests read the roll-up right after a change; how often it is computed on the
    organisers' screens (every few seconds at most) is tested in test_rollup_refresh.py."""
    settings.CONFERENCES_ROLLUP_REFRESH_SECONDS = 0
