"""Scheduled jobs of the competitions domain (idempotent, own app context, commit themselves)."""

from __future__ import annotations

from datetime import datetime

from quizapp.contests import export_jobs
from quizapp.contests.erasure import erase_expired
from quizapp.contests.services import expire_overdue_attempts
from quizapp.contests.statistics_store import REFRESH_INTERVAL_S, refresh_stale
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import JobHeartbeat

ERASE_JOB_ID = "contests.erase_expired_personal_data"
STATISTICS_JOB_ID = "contests.refresh_statistics"
EXPORT_JOB_ID = "contests.build_exports"
SCHEDULER_ACTOR = "system:scheduler"

#: (job id, function, interval seconds) registered by ``quizapp.scheduler``.
JOBS = [
    ("contests.sweep_overdue_attempts", "quizapp.contests.tasks:sweep_overdue_attempts", 60),
    (ERASE_JOB_ID, "quizapp.contests.tasks:erase_expired_personal_data", 3600),
    (STATISTICS_JOB_ID, "quizapp.contests.tasks:refresh_statistics", REFRESH_INTERVAL_S),
    (EXPORT_JOB_ID, "quizapp.contests.tasks:build_exports", export_jobs.RUN_INTERVAL_S),
]


def _beat(job_id: str, now: datetime, result: dict) -> None:
    heartbeat = db.session.get(JobHeartbeat, job_id)
    if heartbeat is None:
        db.session.add(JobHeartbeat(job_id=job_id, ran_at=now, result=result))
    else:
        heartbeat.ran_at, heartbeat.result = now, result
    db.session.commit()


def sweep_overdue_attempts(now: datetime | None = None) -> int:
    """Score attempts left open past deadline + grace as they stand; return how many.

    Safe to run twice or beside requests: each close is a conditional UPDATE.
    """
    return expire_overdue_attempts(now)


def erase_expired_personal_data(now: datetime | None = None) -> dict[str, int]:
    """Erase names and numbers of competitions past their retention period (hourly); commits.

    Returns and records in the job's heartbeat ``{"erased": participants, "competitions": n}``
    for this run. Safe to run twice: already erased participants are skipped, and a run
    after downtime erases everything that fell due meanwhile.
    """
    now = now or utcnow()
    erased = erase_expired(SCHEDULER_ACTOR, now)
    result = {"erased": sum(erased.values()), "competitions": len(erased)}
    _beat(ERASE_JOB_ID, now, result)
    return result


def refresh_statistics(now: datetime | None = None) -> dict[str, list[int]]:
    """Recompute the stored statistics of competitions with new data (every 10 minutes); commits.

    Returns and records in the job's heartbeat ``{"recomputed": [competition ids],
    "claimed_elsewhere": [...], "failed": [...]}``. Safe to run twice and beside another run
    (each competition is claimed with a conditional UPDATE); after downtime one run catches
    up with every stale competition. See :mod:`quizapp.contests.statistics_store`.
    """
    now = now or utcnow()
    result = refresh_stale(now)
    _beat(STATISTICS_JOB_ID, now, result)
    return result


def build_exports(now: datetime | None = None) -> dict:
    """Build queued results exports and delete those past their retention (every 15 seconds); commits.

    Returns and records in the job's heartbeat ``{"built": [job ids], "not_built": [...],
    "deleted": n, "stale": n}``. Safe to run twice and beside another scheduler: each job is
    claimed with a conditional UPDATE. See :mod:`quizapp.contests.export_jobs`.
    """
    result = export_jobs.run_export_jobs(now)  # None: each file's finished_at is the real time it was stored
    _beat(EXPORT_JOB_ID, now or utcnow(), result)
    return result
