"""Read side of the workspace: item lists, the review queue, the schedule with its warnings, the month reminder.

All times are aware UTC; pages show them in Asia/Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select

from quizapp.core.pagination import checked_page, page_count
from quizapp.core.timeutil import to_display, utcnow
from quizapp.extensions import db
from quizapp.publishing.models import Item, JobHeartbeat
from quizapp.publishing.tasks import last_sweep

PER_PAGE = 20
#: A scheduled item still not swept this many seconds after its time is overdue.
OVERDUE_AFTER_S = 120
#: The sweep runs every 60 s; a heartbeat older than this means the scheduler is down.
HEARTBEAT_STALE_S = 300
#: How far ahead the schedule page looks (days).
SCHEDULE_DAYS = 60

#: List filters: name → (Chinese label, SQL condition on Item).
STATUS_FILTERS = {
    "draft": ("草稿", Item.status == "draft"),
    "in_review": ("待审核", or_(Item.status == "in_review", and_(Item.status == "published", Item.pending_revision_id.is_not(None),
                                                               Item.pending_publish_at.is_(None)))),
    "scheduled": ("已排期", or_(Item.status == "scheduled", Item.pending_publish_at.is_not(None))),
    "published": ("已发布", Item.status == "published"),
    "archived": ("已归档", Item.status == "archived"),
}  # fmt: skip


@dataclass(frozen=True)
class ItemPage:
    """One page of a staff list: items (newest change first), total, page number, page count."""

    items: list[Item]
    total: int
    page: int
    pages: int


def list_items(kind: str, status: str | None = None, page: int = 1) -> ItemPage:
    """Return page *page* of the items of *kind* (any state), filtered by a :data:`STATUS_FILTERS` key.

    Raises:
        NotFound: for a page past the last.

    """
    query = select(Item).where(Item.kind == kind)
    if status in STATUS_FILTERS:
        query = query.where(STATUS_FILTERS[status][1])
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = checked_page(page, total, PER_PAGE)
    items = db.session.scalars(query.order_by(Item.updated_at.desc(), Item.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return ItemPage(list(items), total, page, page_count(total, PER_PAGE))


def review_queue() -> list[Item]:
    """Return everything waiting for a reviewer: items in review and submitted revisions of published items, oldest first."""
    return list(db.session.scalars(select(Item).where(STATUS_FILTERS["in_review"][1]).order_by(Item.updated_at, Item.id)))


@dataclass(frozen=True)
class Scheduled:
    """One scheduled publication: the item, when (UTC), whether it is a new revision of a live item, whether overdue."""

    item: Item
    at: datetime
    is_revision: bool
    overdue: bool


def scheduled(now: datetime | None = None, days: int = SCHEDULE_DAYS) -> list[Scheduled]:
    """Return the publications due before *now* + *days*, earliest first; overdue ones (still waiting > 2 min after their time) included."""
    now = now or utcnow()
    until = now + timedelta(days=days)
    late = now - timedelta(seconds=OVERDUE_AFTER_S)
    entries = [
        Scheduled(item, item.publish_at, False, item.publish_at < late)
        for item in db.session.scalars(select(Item).where(Item.status == "scheduled", Item.publish_at < until))
    ]
    entries += [
        Scheduled(item, item.pending_publish_at, True, item.pending_publish_at < late)
        for item in db.session.scalars(select(Item).where(Item.status == "published", Item.pending_publish_at < until))
    ]
    return sorted(entries, key=lambda entry: (entry.at, entry.item.id))


@dataclass(frozen=True)
class ScheduleHealth:
    """Warnings for the schedule page and the dashboard: overdue entries, the last sweep (or None) and whether it is stale."""

    overdue: list[Scheduled]
    heartbeat: JobHeartbeat | None
    heartbeat_stale: bool

    @property
    def ok(self) -> bool:
        """Return whether nothing needs attention."""
        return not self.overdue and not self.heartbeat_stale


def schedule_health(now: datetime | None = None) -> ScheduleHealth:
    """Return what is wrong with scheduled publishing at *now*: overdue items (publish_at < now − 2 min, still waiting)
    and a scheduler heartbeat older than 5 minutes (or none at all)."""  # noqa: D205, D209
    now = now or utcnow()
    overdue = [entry for entry in scheduled(now) if entry.overdue]
    beat = last_sweep()
    stale = beat is None or beat.ran_at < now - timedelta(seconds=HEARTBEAT_STALE_S)
    return ScheduleHealth(overdue, beat, stale)


def next_month(now: datetime | None = None) -> str:
    """Return next month in the display zone (Asia/Shanghai) as ``YYYY-MM``: 2026-12-31 17:00Z (01:00 on 1 January local) → ``2027-02``."""
    local = to_display(now or utcnow())
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return f"{year:04d}-{month:02d}"


def warning_of(period: str) -> Item | None:
    """Return the 每月一警示 item of *period* (``YYYY-MM``) in any state, or None."""
    return db.session.scalar(select(Item).where(Item.kind == "warning", Item.period == period))


def month_reminder(now: datetime | None = None) -> tuple[str, Item | None] | None:
    """Return ``(period, item or None)`` when next month's warning is not yet scheduled or published, else None."""
    period = next_month(now)
    item = warning_of(period)
    if item is not None and item.status in ("scheduled", "published"):
        return None
    return period, item
