"""The scheduled-publishing sweep (every 60 s): record what the visibility rule already shows.

Visibility never waits for this job (see :mod:`quizapp.publishing.visibility`); the sweep
does the side effects: it moves due ``scheduled`` items to ``published`` and expired ones
to ``archived`` with conditional ``UPDATE … RETURNING`` statements, writes one audit row
(actor ``system:scheduler``) for each row an UPDATE gave back and only for those, and
records a heartbeat. It takes everything overdue, so it catches up after downtime, and
it is safe to run twice or on several machines at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, text, update

from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, Item, JobHeartbeat

SCHEDULER_ACTOR = "system:scheduler"
JOB_ID = "publishing.sweep_schedule"
#: Key of the PostgreSQL transaction-level advisory lock that serialises sweeps across machines.
ADVISORY_LOCK_KEY = 0x5155_4950_5542  # "QUIPUB"

#: (job id, function, interval seconds) registered by ``quizapp.scheduler``.
JOBS = [(JOB_ID, "quizapp.publishing.tasks:sweep_schedule", 60)]


def sweep_schedule(now: datetime | None = None) -> dict[str, int]:
    """Publish due items and archive expired ones as of *now* (aware UTC; default the server clock).

    Returns ``{"published": n, "archived": n}`` for this run; ``{"skipped": 1}`` when another
    machine holds the PostgreSQL advisory lock (it is doing the same work). Commits.

    Rules: ``scheduled`` with ``publish_at <= now`` and not expired → ``published``
    (``published_at`` = ``publish_at``, the moment it became visible); ``published`` or
    ``scheduled`` with ``expire_at <= now`` → ``archived``.
    """
    now = now or utcnow()
    try:
        if not _take_lock():
            db.session.rollback()
            return {"skipped": 1}
        not_expired = or_(Item.expire_at.is_(None), Item.expire_at > now)
        published = _move("scheduled", "published", "publish", now, and_(Item.publish_at <= now, not_expired), published_at=Item.publish_at)
        archived = 0
        for state in ("published", "scheduled"):
            archived += _move(state, "archived", "expire", now, Item.expire_at <= now)
        result = {"published": published, "archived": archived}
        _beat(now, result)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _take_lock() -> bool:
    """Take the transaction-level advisory lock on PostgreSQL; SQLite serialises writers itself."""
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}))


def _move(from_state: str, to_state: str, action: str, now: datetime, condition, **values) -> int:
    """Run one conditional UPDATE and write an audit row for each returned id; return the count."""
    statement = (
        update(Item)
        .where(Item.status == from_state, condition)
        .values(status=to_state, updated_at=now, **values)
        .returning(Item.id)
        .execution_options(synchronize_session=False)
    )
    ids = list(db.session.scalars(statement))
    for item_id in ids:
        db.session.add(AuditLog(actor=SCHEDULER_ACTOR, action=action, item_id=item_id, from_state=from_state, to_state=to_state, at=now))
    return len(ids)


def _beat(now: datetime, result: dict[str, int]) -> None:
    heartbeat = db.session.get(JobHeartbeat, JOB_ID)
    if heartbeat is None:
        db.session.add(JobHeartbeat(job_id=JOB_ID, ran_at=now, result=result))
    else:
        heartbeat.ran_at, heartbeat.result = now, result


def last_sweep() -> JobHeartbeat | None:
    """Return the heartbeat of the last sweep (``ran_at`` UTC, ``result``), or None if it never ran."""
    return db.session.scalar(select(JobHeartbeat).where(JobHeartbeat.job_id == JOB_ID))
