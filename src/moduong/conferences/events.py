"""Signals of the conferences app's own: services send them, signals.py acts on them."""

from django.dispatch import Signal

#: A point's report changed: the conference's roll-up is old. Arg: conference_id.
rollup_outdated = Signal()
