import pytest


@pytest.fixture(autouse=True)
def _no_demo_awards(db):  # type: ignore[no-untyped-def]
    """Each test starts with no award: the session's demo (a judged award of 60 entries) would
    otherwise be counted with the test's own. Deleted inside the test's transaction, so the
    demo is back for the next test."""
    from moduong.awards.models import Award, Entry

    Entry.objects.all().delete()  # first: an entry protects its category
    Award.objects.all().delete()
