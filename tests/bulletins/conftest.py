import pytest

from moduong.bulletins.models import EditionPage, QrCode, SeriesPage

SERIES = "/ban-tin/ban-tin-sinh-hoat-chi-bo/"
CHROME = "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"


@pytest.fixture
def series(site) -> SeriesPage:  # type: ignore[no-untyped-def]
    return SeriesPage.objects.get(slug="ban-tin-sinh-hoat-chi-bo")


@pytest.fixture
def latest(series) -> EditionPage:  # type: ignore[no-untyped-def]
    return EditionPage.objects.child_of(series).live().order_by("-issue_date").first()


@pytest.fixture
def code(series) -> QrCode:  # type: ignore[no-untyped-def]
    return QrCode.objects.filter(series=series, edition=None).order_by("pk").first()
