"""The audit-log browser: filtered, paginated queries over :class:`~quizapp.publishing.models.AuditLog`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, cast, func, literal, or_, select

from quizapp.accounts import ROLE_LABELS
from quizapp.accounts.models import StaffUser
from quizapp.core.pagination import checked_page
from quizapp.core.timeutil import local_to_utc
from quizapp.extensions import db
from quizapp.publishing.models import STATE_LABELS, AuditLog, Item

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
                              AuditLog.target.in_(_competition_targets(text)),
                              AuditLog.detail.contains(text, autoescape=True)))  # fmt: skip
    if flt.since:
        conditions.append(AuditLog.at >= local_to_utc(datetime.combine(flt.since, time()), zone))
    if flt.until:
        conditions.append(AuditLog.at < local_to_utc(datetime.combine(flt.until + timedelta(days=1), time()), zone))
    return conditions


def _competition_targets(text: str):
    """Return a subquery of the targets (``competition:<id>``) of competitions whose title contains *text*.

    The browser shows a competition by its title, so the subject filter finds it by its title too.
    """
    from quizapp.contests.models import Competition  # noqa: PLC0415  (the workspace does not depend on contests at import)

    return select(literal("competition:") + cast(Competition.id, String)).where(Competition.title.contains(text, autoescape=True))


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


#: Chinese names of the states rows record: content items (草稿 … 已归档), competitions'
#: publication (draft/published share the item labels) and window (upcoming/open/closed).
AUDIT_STATE_LABELS = {**STATE_LABELS, "upcoming": "未开始", "open": "进行中", "closed": "已结束"}
#: What a ``<kind>:<id>`` target is, in Chinese (a kind not listed shows the raw target).
TARGET_LABELS = {"competition": "竞赛", "user": "账号", "participant": "参赛者", "attempt": "答题记录", "bank_upload": "题库导入"}
_TARGET = re.compile(r"\b(competition|user|participant|attempt|bank_upload):(\d+)\b")
_ROLES = re.compile(r"(?<![\w,])((?:" + "|".join(ROLE_LABELS) + r")(?:,(?:" + "|".join(ROLE_LABELS) + r"))*)(?![\w,])")


@dataclass(frozen=True)
class AuditRow:
    """One audit row as the browser shows it: every code replaced by its Chinese label.

    ``subject`` is what the row is about (an item's title, a competition's 《title》, a staff
    user's name, or ``参赛者 #12``), ``kind`` its Chinese kind, ``change`` ``草稿 → 已发布`` or "".
    """

    entry: AuditLog
    subject: str
    kind: str
    change: str
    detail: str


def state_label(state: str | None) -> str:
    """Return the Chinese name of a recorded state (``published`` → 已发布), ``—`` for none, the code if unknown."""
    return AUDIT_STATE_LABELS.get(state, state) if state else "—"


def present(rows: list[AuditLog], names: dict[str, str]) -> list[AuditRow]:
    """Return *rows* for display: states, roles and ``<kind>:<id>`` targets in Chinese.

    Competition titles come from one query for the ids the page mentions (targets and
    details such as 复制自 competition:3); staff names from *names* (:func:`actor_names`).
    A target whose row is gone keeps its kind and number (``竞赛 #3``).
    """
    mentioned = (_TARGET.findall(f"{row.target or ''} {row.detail or ''}") for row in rows)
    ids = {int(number) for found in mentioned for kind, number in found if kind == "competition"}
    titles = _competition_titles(ids)

    def name_of(kind: str, number: str) -> str:
        if kind == "competition" and int(number) in titles:
            return f"《{titles[int(number)]}》"
        if kind == "user" and f"staff:{number}" in names:
            return names[f"staff:{number}"]
        return f"{TARGET_LABELS[kind]} #{number}"

    presented = []
    for row in rows:
        if row.item is not None:
            subject, kind = row.item.title or row.item.uid, _item_kind_label(row.item.kind)
        elif row.target and (match := _TARGET.fullmatch(row.target)):
            subject, kind = name_of(*match.groups()), TARGET_LABELS[match.group(1)]
        else:
            subject, kind = row.target or "", ""
        change = f"{state_label(row.from_state)} → {state_label(row.to_state)}" if row.from_state or row.to_state else ""
        detail = _TARGET.sub(lambda match: name_of(*match.groups()), row.detail or "")
        if row.action in ("user_create", "user_update"):
            detail = _role_labels(detail)
        presented.append(AuditRow(row, subject, kind, change, detail))
    return presented


def _role_labels(detail: str) -> str:
    """Translate the role lists of a ``user_create`` / ``user_update`` detail, never the username before them.

    Shapes (:mod:`quizapp.accounts.services`): ``"<username> 角色 editor,reviewer"`` and
    ``"<username>: editor 有效 → editor,reviewer 有效"``.
    """
    head, sep, tail = detail.partition(" 角色 ") if " 角色 " in detail else detail.partition(": ")
    if not sep:
        return detail
    tail = _ROLES.sub(lambda match: "、".join(ROLE_LABELS[role] for role in match.group(1).split(",")), tail)
    return f"{head}{' 角色 ' if sep == ' 角色 ' else '：'}{tail}"


def _competition_titles(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    from quizapp.contests.models import Competition  # noqa: PLC0415  (the workspace does not depend on contests at import)

    return {row.id: row.title for row in db.session.execute(select(Competition.id, Competition.title).where(Competition.id.in_(ids)))}


def _item_kind_label(kind: str) -> str:
    """Return the Chinese name of a content kind (``题目`` for bank questions), or the code."""
    from quizapp.publicity.kinds import KINDS  # noqa: PLC0415

    if kind == "question":
        return "题目"
    found = KINDS.get(kind)
    return getattr(found, "label", "") or kind
