"""The organisers' exports of a round (attempts, ranking, per unit; Excel or CSV), written by
the task worker to a private file that staff download from the dashboard."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User

from ..errors import ContestError
from ..excel import EXCEL_MAX_ROWS, REPORTS, report_write
from ..models import Round, RoundJob
from .jobs import job_progress, job_request, job_run


def export_request(
    *, round_id: int, report: str, format: str, requested_by: User | None = None
) -> tuple[RoundJob, bool]:
    """Queue an export, unless the same one is queued or running: (the job, whether new)."""
    if report not in REPORTS or format not in (RoundJob.XLSX, RoundJob.CSV):
        raise ContestError(_("This export does not exist."), "unknown_export")
    rnd = Round.objects.get(pk=round_id)
    return job_request(
        round=rnd, kind=RoundJob.EXPORT, report=report, format=format, requested_by=requested_by
    )


def export_filename(job: RoundJob) -> str:
    """The name the file is downloaded under: report, round, time of the export."""
    at = timezone.localtime(job.finished_at or job.created_at).strftime("%Y%m%d-%H%M")
    return f"{job.report}-vong-{job.round_id}-{at}.{job.format}"


def export_job_run(*, job_id: int, sheet_rows: int = EXCEL_MAX_ROWS) -> RoundJob | None:
    """The worker's side of export_request: the rows through a server-side cursor into a
    temporary file (constant memory), then the file into private storage."""

    def work(job: RoundJob) -> dict[str, Any]:
        report = REPORTS[job.report]
        job_progress(job_id=job.pk, done=0, total=report.count(job.round) or None)
        with tempfile.TemporaryFile() as out:
            rows = report_write(
                round=job.round,
                report=job.report,
                format=job.format,
                out=out,
                sheet_rows=sheet_rows,
                progress=lambda done: job_progress(job_id=job.pk, done=done),
            )
            out.seek(0)
            job.file.save(export_filename(job), File(out), save=False)
        return {"file": job.file.name, "done": rows, "total": rows}

    return job_run(job_id=job_id, work=work)
