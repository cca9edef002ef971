"""Signals of the news app's own: the services send them, the receivers in signals.py queue
the background work (tasks sit above services, so services do not import them)."""

from django.dispatch import Signal

#: Reads counted in the shared counter, to be added to the article's row. Args: article_id,
#: reads.
article_reads_pending = Signal()
