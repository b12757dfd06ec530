"""Scheduled jobs of the competitions domain (idempotent, own app context, commit themselves)."""

from __future__ import annotations

from datetime import datetime

from quizapp.contests.erasure import erase_expired
from quizapp.contests.services import expire_overdue_attempts
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import JobHeartbeat

ERASE_JOB_ID = "contests.erase_expired_personal_data"
SCHEDULER_ACTOR = "system:scheduler"

#: (job id, function, interval seconds) registered by ``quizapp.scheduler``.
JOBS = [
    ("contests.sweep_overdue_attempts", "quizapp.contests.tasks:sweep_overdue_attempts", 60),
    (ERASE_JOB_ID, "quizapp.contests.tasks:erase_expired_personal_data", 3600),
]


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
    heartbeat = db.session.get(JobHeartbeat, ERASE_JOB_ID)
    if heartbeat is None:
        db.session.add(JobHeartbeat(job_id=ERASE_JOB_ID, ran_at=now, result=result))
    else:
        heartbeat.ran_at, heartbeat.result = now, result
    db.session.commit()
    return result
