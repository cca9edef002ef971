"""Signals of the training app's own: services send them, signals.py acts on them."""

from django.dispatch import Signal

#: Classes, enrolments, people or results changed by a bulk write (which sends no post_save):
#: the city's roll-up kept in the cache is old. No args.
rollup_outdated = Signal()
