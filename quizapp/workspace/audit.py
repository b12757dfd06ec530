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
#: Chinese names of the audit actions (the code is shown for any action not listed).
ACTION_LABELS = {
    "create": "新建", "save": "保存草稿", "submit": "提交审核", "approve": "审核通过", "send_back": "退回修改",
    "schedule": "排期", "publish": "发布", "revise": "修订", "archive": "归档", "withdraw": "撤回", "restore": "恢复",
    "restore_revision": "恢复历史版本", "expire": "到期下线", "login": "登录", "login_failed": "登录失败",
    "password_change": "修改密码", "user_create": "新建账号", "user_update": "修改账号",
    "competition_create": "新建竞赛", "competition_update": "修改竞赛", "competition_duplicate": "复制竞赛",
    "competition_open_early": "提前开始竞赛", "competition_close_early": "提前结束竞赛",
    "competition_publish": "发布竞赛", "competition_unpublish": "撤回发布竞赛",
    "reset_attempt": "重置答题", "grant_attempt": "增加答题次数", "erase": "删除个人信息", "draw": "抽奖",
    "export_full": "导出完整号码", "export_full_request": "申请后台导出完整号码",
    "bank_upload_check": "题库试导入", "bank_upload": "题库导入", "bank_upload_failed": "题库导入失败",
}  # fmt: skip


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
    if flt.subject:  # a literal substring: % and _ are escaped, not wildcards
        text = flt.subject
        item_ids = select(Item.id).where(or_(Item.uid.contains(text, autoescape=True), Item.title.contains(text, autoescape=True)))
        conditions.append(or_(AuditLog.target.contains(text, autoescape=True), AuditLog.item_id.in_(item_ids),
                              AuditLog.detail.contains(text, autoescape=True)))  # fmt: skip
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


def action_label(action: str) -> str:
    """Return the Chinese name of *action* (``发布``), or the code itself when unknown."""
    return ACTION_LABELS.get(action, action)
