"""Signals of the contests app's own. The services and selectors send them; the receivers in
signals.py queue the background work (tasks sit above services, so services do not import
them)."""

from django.dispatch import Signal

#: The ranking must be made again (a disqualification after the close). Arg: round_id.
round_results_outdated = Signal()
#: The staff dashboard's figures are old and no refresh is queued yet. Arg: round_id.
dashboard_outdated = Signal()
#: The round's ranking must be made again: its disqualification log changed (after the
#: close). Arg: round_id. The receiver queues the ranking; the winners list reads its result.
ranking_requested = Signal()
#: The suspicious-attempts report of a closed round is old and no refresh is queued yet.
#: Arg: round_id.
suspicion_report_outdated = Signal()
