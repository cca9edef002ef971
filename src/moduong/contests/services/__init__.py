"""Every write of the contests app, by concern: registration, attempts (start, save, submit),
results (the prediction, disqualification, ranking) and the question bank (import, freeze).

`from moduong.contests import services` keeps working: each public name is here.
"""

from ..errors import AttemptNotFound, ContestError, LoginExpired
from ..paper import (
    Paper,
    PaperQuestion,
    paper_draw,
    round_paper_forget,
    round_paper_load,
)
from .attempts import (
    Participant,
    SubmitResult,
    attempt_answer_save,
    attempt_prediction_save,
    attempt_start,
    attempt_start_login_holds,
    attempt_start_rate_exceeded,
    attempt_start_rate_take,
    attempt_submit,
)
from .bank import BankImport, bank_quota_problems, question_bank_import, round_bank_freeze
from .certificates import certificate_issue
from .exports import export_filename, export_job_run, export_request
from .jobs import job_request
from .registration import participant_register
from .results import (
    PREDICTION_MAX,
    disqualification_case_key,
    disqualification_lift,
    essay_mark,
    participant_disqualify,
    prediction_parse,
    ranking_job_run,
    ranking_request,
    round_actual_compute,
    round_rank,
    round_results_compute,
    suspicion_decide,
)

__all__ = [
    "PREDICTION_MAX",
    "AttemptNotFound",
    "BankImport",
    "ContestError",
    "LoginExpired",
    "Paper",
    "PaperQuestion",
    "Participant",
    "SubmitResult",
    "attempt_answer_save",
    "attempt_prediction_save",
    "attempt_start",
    "attempt_start_login_holds",
    "attempt_start_rate_exceeded",
    "attempt_start_rate_take",
    "attempt_submit",
    "bank_quota_problems",
    "certificate_issue",
    "disqualification_case_key",
    "disqualification_lift",
    "essay_mark",
    "export_filename",
    "export_job_run",
    "export_request",
    "job_request",
    "paper_draw",
    "participant_disqualify",
    "participant_register",
    "prediction_parse",
    "question_bank_import",
    "ranking_job_run",
    "ranking_request",
    "round_actual_compute",
    "round_bank_freeze",
    "round_paper_forget",
    "round_paper_load",
    "round_rank",
    "round_results_compute",
    "suspicion_decide",
]
