"""Signals of the contests app's own. The services and selectors send them; the receivers in
signals.py queue the background work (tasks sit above services, so services do not import
them)."""

from django.dispatch import Signal

#: The ranking must be made again (a disqualification after the close). Arg: round_id.
round_results_outdated = Signal()
#: The staff dashboard's figures are old and no refresh is queued yet. Arg: round_id.
dashboard_outdated = Signal()
