"""The audit-log browser: filtered, paginated queries over :class:`~quizapp.publishing.models.AuditLog`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from quizapp.accounts.models import StaffUser
from quizapp.core.pagination import checked_page
from quizapp.core.timeutil import local_to_utc
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, Item

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    """What to show: actor (``staff:3`` or ``system:``-prefix), action, target/item text, local dates (inclusive)."""

    actor: str = ""
    action: str = ""
    subject: str = ""
    since: date | None = None
    until: date | None = None


def _conditions(flt: AuditFilter, zone: str) -> list:
    conditions = []
    if flt.actor:
        conditions.append(AuditLog.actor.startswith(flt.actor) if flt.actor.endswith(":") else AuditLog.actor == flt.actor)
    if flt.action:
        conditions.append(AuditLog.action == flt.action)
    if flt.subject:
        like = f"%{flt.subject}%"
        item_ids = select(Item.id).where(or_(Item.uid.like(like), Item.title.like(like)))
        conditions.append(or_(AuditLog.target.like(like), AuditLog.item_id.in_(item_ids), AuditLog.detail.like(like)))
    if flt.since:
        conditions.append(AuditLog.at >= local_to_utc(datetime.combine(flt.since, time()), zone))
    if flt.until:
        conditions.append(AuditLog.at < local_to_utc(datetime.combine(flt.until + timedelta(days=1), time()), zone))
    return conditions


def audit_page(flt: AuditFilter, page: int, zone: str) -> tuple[list[AuditLog], int, int]:
    """Return ``(rows newest first, page, total)`` for *flt*; raise NotFound past the last page."""
    conditions = _conditions(flt, zone)
    total = db.session.scalar(select(func.count()).select_from(AuditLog).where(*conditions)) or 0
    page = checked_page(page, total, PER_PAGE)
    rows = db.session.scalars(
        select(AuditLog).where(*conditions).order_by(AuditLog.at.desc(), AuditLog.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    )
    return list(rows), page, total


def actor_names() -> dict[str, str]:
    """Return ``{"staff:3": "张三（zhangsan）", …}`` for every staff user, for display."""
    return {user.actor: f"{user.display_name}（{user.username}）" for user in db.session.scalars(select(StaffUser))}


def actions() -> list[str]:
    """Return the distinct actions recorded so far, sorted."""
    return sorted(db.session.scalars(select(AuditLog.action).distinct()))
