"""Signals of the monitoring app: services send them, signals.py queues the background work
(tasks sit above services, so services do not import them)."""

from django.dispatch import Signal

#: New mentions were stored. Args: match_ids.
mentions_created = Signal()

#: A rule's mentions spiked (services.spikes_check). Args: spike_id.
spike_started = Signal()
