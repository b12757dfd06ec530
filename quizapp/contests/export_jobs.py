"""Results exports built in the background for large competitions, stored in the database for a day.

A small export (at most ``EXPORT_INLINE_ROWS`` rows, setting of ``quizapp.config``) is written
inside the request, as :func:`quizapp.contests.results.export_results` always did. A larger
one would outlast the request (gunicorn ends a worker after 30 s), so staff request it
(:func:`request_export`), the scheduler builds it (:func:`run_export_jobs`, every
:data:`RUN_INTERVAL_S` seconds) and the results page offers the file when it is done.

- **Claim**: a job moves queued → running by ``UPDATE … WHERE status = 'queued'``; of two
  schedulers (or two runs) exactly one builds it, and a done job is never built again.
- **Storage**: the file goes into ``export_chunk`` rows of at most :data:`CHUNK_BYTES`, so any
  app instance serves it, and writing and reading take one chunk of memory at a time.
- **Who**: any staff role requests and downloads masked exports; only an admin requests or
  downloads a full-number one (the views check the role, :func:`stored_export` refuses a full
  file to a caller not allowed it). ``is_full`` is set when the job is requested and never
  changes, so a masked export cannot become a full one. Each full request and each full
  download writes an audit row (``export_full_request``, ``export_full``; 个人信息保护法 第五十一条).
- **Retention**: a finished job and its file are deleted :data:`RETENTION_S` after they
  finished (个人信息保护法 第十九条: kept no longer than needed), and at once when a participant
  of the competition is erased (:func:`discard_exports`); a job left running past
  :data:`STALE_S` (its process died) is marked failed so staff can ask again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO

from flask import current_app
from sqlalchemy import delete, or_, select, update

from quizapp.contests.models import GROUPS, ExportChunk, ExportJob
from quizapp.contests.results import ResultFilter, export_rows, results_workbook
from quizapp.contests.services import get_competition
from quizapp.core.errors import DomainError, NotFound, ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.services import record_audit

#: Bytes per stored piece of a file (1 MiB): one row in memory at a time, well under any column limit.
CHUNK_BYTES = 1 << 20
#: How long a finished export is kept (seconds): a day to download it, then it is deleted.
RETENTION_S = 24 * 3600
#: A job running longer than this (seconds) is taken for dead and marked failed.
STALE_S = 3600
#: How often the scheduler looks for queued jobs (seconds).
RUN_INTERVAL_S = 15
#: Jobs listed on the results page.
RECENT_JOBS = 10


def inline_limit() -> int:
    """Return the most rows an export may have to be written inside the request (setting ``EXPORT_INLINE_ROWS``)."""
    return int(current_app.config["EXPORT_INLINE_ROWS"])


def is_large(competition_id: int, filters: ResultFilter | None = None) -> bool:
    """Return whether the export with *filters* has more rows than :func:`inline_limit` (then it is built in the background)."""
    limit = inline_limit()
    return export_rows(competition_id, filters, at_most=limit) > limit


def _filters_document(filters: ResultFilter) -> dict:
    return dataclasses.asdict(filters)


def job_filters(job: ExportJob) -> ResultFilter:
    """Return the results filters the job was requested with."""
    fields = {field.name for field in dataclasses.fields(ResultFilter)}
    return ResultFilter(**{key: value for key, value in (job.filters or {}).items() if key in fields})


def describe_filters(job: ExportJob) -> str:
    """Return the job's filters in Chinese for the results page (``甲单位；从业人员；及格；含“张”``, or ``全部``)."""
    filters = job_filters(job)
    parts = [filters.organization or "", GROUPS.get(filters.group or "", filters.group or "")]
    parts.append({True: "及格", False: "不及格"}.get(filters.passed, ""))
    parts.append(f"含“{filters.text}”" if filters.text else "")
    return "；".join(part for part in parts if part) or "全部"


def request_export(
    competition_id: int, *, full: bool, actor: str, filters: ResultFilter | None = None, now: datetime | None = None
) -> tuple[ExportJob, bool]:
    """Queue an export of the competition's results; return ``(job, created)``; commits.

    A queued or running job of the same competition, kind (masked/full) and filters is returned
    instead of a second one (``created`` False), so a repeated click builds one file. A new
    full-number job writes an ``export_full_request`` audit row by *actor*.

    Raises:
        NotFound: for an unknown competition.
        ValidationFailed: without an *actor*.

    """
    competition = get_competition(competition_id)
    if not actor:
        raise ValidationFailed("导出需要记录操作人", code="actor_required")
    now = now or utcnow()
    document = _filters_document(filters or ResultFilter())
    pending = db.session.scalars(
        select(ExportJob).where(
            ExportJob.competition_id == competition.id,
            ExportJob.is_full.is_(full),
            ExportJob.status.in_(("queued", "running")),
        )
    )
    for job in pending:
        if job.filters == document:
            return job, False
    job = ExportJob(competition_id=competition.id, is_full=full, filters=document, requested_by=actor, status="queued", created_at=now)
    db.session.add(job)
    db.session.flush()
    if full:
        detail = f"{competition.title}（导出任务 {job.id}）"
        record_audit(actor, "export_full_request", target=f"competition:{competition.id}", detail=detail, now=now)
    db.session.commit()
    return job, True


def recent_jobs(competition_id: int, *, include_full: bool) -> list[ExportJob]:
    """Return the competition's latest :data:`RECENT_JOBS` jobs, newest first (full-number ones only if *include_full*)."""
    query = select(ExportJob).where(ExportJob.competition_id == competition_id)
    if not include_full:
        query = query.where(ExportJob.is_full.is_(False))
    return list(db.session.scalars(query.order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(RECENT_JOBS)))


def _claim(job_id: int, now: datetime) -> bool:
    """Move the job from queued to running; False when another run took it first (or it is not queued); commits."""
    claimed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, ExportJob.status == "queued")
        .values(status="running", started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _store(job_id: int, handle: IO[bytes]) -> int:
    """Copy the file into chunk rows, one chunk in memory at a time; return its size in bytes (not committed)."""
    size = position = 0
    while chunk := handle.read(CHUNK_BYTES):
        row = ExportChunk(job_id=job_id, position=position, data=chunk)
        db.session.add(row)
        db.session.flush()
        db.session.expunge(row)
        size += len(chunk)
        position += 1
    return size


def build_export(job_id: int, now: datetime | None = None) -> bool:
    """Claim a queued job, write its file and store it; return whether this call built it; commits.

    Returns False when the job is not queued (built, failed, or claimed by another run). A
    job whose writing raises is marked failed with the reason and the error is logged.
    ``finished_at`` is the time the file was stored (the retention counts from it); with a
    controlled clock (*now* given) both times are *now*.
    """
    clock = now
    now = now or utcnow()
    if not _claim(job_id, now):
        return False
    job = db.session.get(ExportJob, job_id)
    try:
        with results_workbook(job.competition, job_filters(job), job.is_full) as handle:
            size = _store(job.id, handle)
        finished = db.session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id, ExportJob.status == "running")
            .values(status="done", size_bytes=size, finished_at=clock or utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if finished != 1:  # marked failed as stale meanwhile: keep that verdict, drop the file
            db.session.rollback()
            return False
        db.session.commit()
        return True
    except Exception as exc:
        db.session.rollback()
        current_app.logger.exception("export job %s failed", job_id)
        db.session.execute(
            update(ExportJob)
            .where(ExportJob.id == job_id)
            .values(status="failed", finished_at=clock or utcnow(), error=f"生成失败：{type(exc).__name__}"[:300])
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return False


def _delete_jobs(job_ids: list[int]) -> None:
    if job_ids:
        db.session.execute(delete(ExportChunk).where(ExportChunk.job_id.in_(job_ids)))
        db.session.execute(delete(ExportJob).where(ExportJob.id.in_(job_ids)))


def discard_exports(competition_id: int) -> int:
    """Delete every export job of the competition and its file (not committed); return how many.

    Erasure calls it (:mod:`quizapp.contests.erasure`): a stored file made before a participant
    was erased still holds their name and number, and nothing they could be recovered from is kept.
    """
    job_ids = list(db.session.scalars(select(ExportJob.id).where(ExportJob.competition_id == competition_id)))
    _delete_jobs(job_ids)
    return len(job_ids)


def expire_jobs(now: datetime | None = None) -> dict[str, int]:
    """Delete jobs (and files) finished :data:`RETENTION_S` ago, fail jobs running past :data:`STALE_S`; commits.

    A job still queued a retention period after it was requested (no scheduler ran) is deleted
    too. Returns ``{"deleted": n, "stale": n}``.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=RETENTION_S)
    old = list(
        db.session.scalars(
            select(ExportJob.id).where(
                or_(
                    ExportJob.finished_at <= cutoff,
                    (ExportJob.status == "queued") & (ExportJob.created_at <= cutoff),
                )
            )
        )
    )
    _delete_jobs(old)
    stale = db.session.execute(
        update(ExportJob)
        .where(ExportJob.status == "running", ExportJob.started_at <= now - timedelta(seconds=STALE_S))
        .values(status="failed", finished_at=now, error="生成中断（超过一小时未完成），请重新导出")
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return {"deleted": len(old), "stale": stale}


def run_export_jobs(now: datetime | None = None) -> dict:
    """Expire old jobs, then build every queued job, oldest first; commits each.

    Returns ``{"built": [job ids], "not_built": [ids claimed elsewhere or failed], "deleted": n, "stale": n}``.
    Safe to run twice and beside another scheduler: each job is claimed by a conditional UPDATE.
    """
    result: dict = {"built": [], "not_built": [], **expire_jobs(now or utcnow())}
    queued = list(db.session.scalars(select(ExportJob.id).where(ExportJob.status == "queued").order_by(ExportJob.created_at, ExportJob.id)))
    for job_id in queued:
        (result["built"] if build_export(job_id, now) else result["not_built"]).append(job_id)
    return result


def stored_export(job_id: int, competition_id: int, *, allow_full: bool) -> ExportJob:
    """Return a finished job of the competition whose file may be downloaded.

    Raises:
        NotFound: for an unknown job, one of another competition, one not done, or one deleted after the retention period.
        DomainError: (403) for a full-number file when *allow_full* is False.

    """
    job = db.session.get(ExportJob, job_id)
    if job is None or job.competition_id != competition_id:
        raise NotFound("导出文件不存在或已过期删除，请重新导出")
    if job.is_full and not allow_full:
        raise DomainError("只有管理员可以下载完整号码的导出文件", code="forbidden", status=403)
    if job.status != "done":
        raise NotFound("导出文件尚未生成完成，请稍后刷新本页")
    return job


def record_download(job: ExportJob, actor: str, now: datetime | None = None) -> None:
    """Record a full-number file handed out (audit ``export_full`` by *actor*); nothing for a masked one; commits."""
    if job.is_full:
        detail = f"{job.competition.title}（导出任务 {job.id}）"
        record_audit(actor, "export_full", target=f"competition:{job.competition_id}", detail=detail, now=now)
        db.session.commit()


def read_chunks(job_id: int) -> Iterator[bytes]:
    """Yield the stored file of a job piece by piece (one query per :data:`CHUNK_BYTES`)."""
    position = 0
    while True:
        data = db.session.scalar(select(ExportChunk.data).where(ExportChunk.job_id == job_id, ExportChunk.position == position))
        if data is None:
            return
        yield bytes(data)
        position += 1
