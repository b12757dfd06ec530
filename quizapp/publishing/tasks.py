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
from quizapp.publishing.editors import notify_live
from quizapp.publishing.models import AuditLog, Item, JobHeartbeat, Revision

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
    ``scheduled`` with ``expire_at <= now`` → ``archived``; a published item's scheduled
    revision (``pending_publish_at <= now``) replaces its live revision (counted in
    ``published``). Each revision that goes live calls its kind's ``on_live`` hook.
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
            archived += len(_move(state, "archived", "expire", now, Item.expire_at <= now))
        _went_live(published)
        result = {"published": len(published) + _apply_pending_revisions(now), "archived": archived}
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


def _move(from_state: str, to_state: str, action: str, now: datetime, condition, **values) -> list[int]:
    """Run one conditional UPDATE and write an audit row for each returned id; return the ids."""
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
    return ids


def _went_live(ids: list[int]) -> None:
    """Call the kinds' ``on_live`` hooks for items the sweep just published."""
    for item_id in ids:
        item = db.session.get(Item, item_id, populate_existing=True)
        if item is not None and item.live_revision is not None:
            notify_live(item, item.live_revision)


def _apply_pending_revisions(now: datetime) -> int:
    """Make due scheduled revisions of published items live (the old revision stayed up until now); return the count.

    Each item is claimed with a conditional UPDATE (``pending_publish_at <= now``) that
    clears the schedule and RETURNs the revision id, so a second run or machine finds nothing.
    """
    due = select(Item.id, Item.pending_revision_id).where(
        Item.status == "published", Item.pending_revision_id.is_not(None), Item.pending_publish_at <= now
    )
    count = 0
    for item_id, revision_id in list(db.session.execute(due)):
        claim = (
            update(Item)
            .where(Item.id == item_id, Item.status == "published", Item.pending_revision_id == revision_id, Item.pending_publish_at <= now)
            .values(pending_revision_id=None, pending_publish_at=None, updated_at=now)
            .returning(Item.id)
            .execution_options(synchronize_session=False)
        )
        if db.session.execute(claim).first() is None:
            continue
        item = db.session.get(Item, item_id, populate_existing=True)
        revision = db.session.get(Revision, revision_id)
        item.make_live(revision)
        db.session.add(AuditLog(actor=SCHEDULER_ACTOR, action="publish", item_id=item_id, from_state="published", to_state="published",
                                detail=f"第 {revision.number} 版上线", at=now))  # fmt: skip
        notify_live(item, revision)
        count += 1
    return count


def _beat(now: datetime, result: dict[str, int]) -> None:
    heartbeat = db.session.get(JobHeartbeat, JOB_ID)
    if heartbeat is None:
        db.session.add(JobHeartbeat(job_id=JOB_ID, ran_at=now, result=result))
    else:
        heartbeat.ran_at, heartbeat.result = now, result


def last_sweep() -> JobHeartbeat | None:
    """Return the heartbeat of the last sweep (``ran_at`` UTC, ``result``), or None if it never ran."""
    return db.session.scalar(select(JobHeartbeat).where(JobHeartbeat.job_id == JOB_ID))
