import pytest


@pytest.fixture(autouse=True)
def _no_captcha(settings):  # type: ignore[no-untyped-def]
    """Starts need no captcha and have no rate limit, unless a test turns them on."""
    settings.CONTESTS_START_CAPTCHA = False
    settings.CONTESTS_START_RATE_PER_MINUTE = 0
