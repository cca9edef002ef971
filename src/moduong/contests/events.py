"""Signals of the contests app's own. The services and selectors send them; the receivers in
signals.py queue the background work (tasks sit above services, so services do not import
them)."""

from django.dispatch import Signal

#: Rank the round again (its data changed: a disqualification, a lifted one, a decision on a
#: suspicious attempt). Send it once the change is committed (transaction.on_commit).
#: Arg: round_id. A ranking queued already adds nothing; one running runs once more at its end.
ranking_requested = Signal()
#: The older name of `ranking_requested`, kept for its senders: the same receiver.
round_results_outdated = Signal()
#: A job of the round (the ranking, an export) was asked for: queue its task. Arg: job_id.
round_job_queued = Signal()
#: The staff dashboard's figures are old and no refresh is queued yet. Arg: round_id.
dashboard_outdated = Signal()
#: The round's ranking must be made again: its disqualification log changed (after the
#: close). Arg: round_id. The receiver queues the ranking; the winners list reads its result.
#: The suspicious-attempts report of a closed round is old and no refresh is queued yet.
#: Arg: round_id.
suspicion_report_outdated = Signal()
