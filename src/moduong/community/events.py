"""Signals of the community app's own: the services send them, the receivers in signals.py
queue the background work (tasks sit above services, so services do not import them)."""

from django.dispatch import Signal

#: A letter got its first answer: its writer is told by email. Arg: letter_id.
letter_answered = Signal()
