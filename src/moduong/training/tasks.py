"""Background work: the city's roll-up computed again after a change, so the dashboard, the
command and the API read it from the cache instead of aggregating 300,000 rows per request."""

from django_tasks import task

from . import selectors


@task()
def rollup_refresh() -> bool:
    """True when it computed; False when the cached roll-up was current already (many changes
    in a row queue many refreshes, and only the first does the work)."""
    return selectors.rollup_refresh()
