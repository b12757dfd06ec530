"""Competition settings (工作台 · 竞赛管理): validate, create and edit, and the workspace's readers.

The rules, written once for the workspace pages and any later API or command:

- the window is typed in local time (display zone) and stored in UTC; an end, when
  given, lies after the start;
- the paper rule has the shape :func:`~quizapp.contests.paper.build_paper` accepts and
  every paper it can give is buildable from today's bank (:mod:`quizapp.contests.paper_check`);
- 单位 are one per line, trimmed and deduplicated; at least one, unless 其他 is allowed;
- papers already drawn pin their question versions and points, so editing the rule or
  the points of a competition with attempts changes only papers drawn afterwards.

Duplicating, opening or closing early and publishing are :mod:`quizapp.contests.actions`.
Every change writes one audit row (target ``competition:<id>``) in its transaction and
marks the competition staff-owned (``staff_edited_at``), so ``flask content sync``
reports a conflict instead of overwriting it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.bank.models import QUESTION_TYPES, Question
from quizapp.bank.services import drawable_pool
from quizapp.content.banks import UID
from quizapp.contests.entrants import ORGANIZATION_MAX
from quizapp.contests.models import AUDIENCES, OTHER_ORGANIZATION, Attempt, Competition, Participant
from quizapp.contests.paper_check import PaperCheck, check_paper_rule
from quizapp.contests.services import get_competition
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.core.text import FORBIDDEN_TEXT, has_hidden_characters, normalise_newlines, normalise_text
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from quizapp.publishing.services import record_audit

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
PRIZE_DESCRIPTION_MAX = 1000
TIME_LIMIT_MAX_S = 600 * 60
ATTEMPTS_MAX = 100
SCORE_MAX = 10000
POINTS_MAX = 100
PRIZE_WINNERS_MAX = 1000
#: The 个人信息保护规则 page (/privacy) promises names and numbers are kept "一般不超过竞赛结束后六个月".
RETENTION_MAX_DAYS = 180


@dataclass(frozen=True)
class CompetitionSettings:
    """Everything staff set on a competition, as plain values.

    Times are aware UTC; ``time_limit_s`` in seconds; ``pass_mark``, ``prize_threshold`` and
    ``default_points`` (type → points) in points; ``paper_rule`` in the build_paper shape;
    ``audience`` a key of :data:`~quizapp.contests.models.AUDIENCES`; ``retention_days`` the days
    after the end that names and numbers are kept (:mod:`quizapp.contests.erasure`).
    """

    title: str
    slug: str
    description: str
    starts_at: datetime
    ends_at: datetime | None
    audience: str
    organizations: list[str]
    allow_other_organization: bool
    paper_rule: dict
    time_limit_s: int
    attempts_allowed: int
    pass_mark: float
    partial_credit_multiple: bool
    shuffle_questions: bool
    shuffle_options: bool
    default_points: dict[str, float]
    prize_description: str = ""
    prize_threshold: float | None = None
    prize_winners: int | None = None
    retention_days: int | None = None

    @classmethod
    def of(cls, competition: Competition) -> CompetitionSettings:
        """Return the settings a competition has now."""
        return cls(**{name: getattr(competition, name) for name in SETTING_NAMES})


SETTING_NAMES = tuple(setting.name for setting in fields(CompetitionSettings))


@dataclass(frozen=True)
class CompetitionRow:
    """A line of the workspace list: the competition with its participant and attempt counts."""

    competition: Competition
    participants: int
    attempts: int


def normalise_organizations(lines: list[str] | str) -> list[str]:
    """Return 单位 names trimmed, without blank lines or repeats, in their first order."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    return list(dict.fromkeys(name.strip() for name in lines if name and name.strip()))


def check_rule(paper_rule: dict) -> PaperCheck:
    """Check *paper_rule* against the drawable bank now (see :mod:`quizapp.contests.paper_check`)."""
    return check_paper_rule(paper_rule, drawable_pool())


def validate_settings(settings: CompetitionSettings, competition_id: int | None = None) -> CompetitionSettings:
    """Return *settings* cleaned (trimmed text with LF line ends, deduplicated 单位) or raise with every problem.

    Raises:
        ValidationFailed: ``fields`` maps each bad setting (``title``, ``slug``, ``ends_at``,
            ``organizations``, ``paper_rule``, ``points_<type>`` …) to a Chinese message.

    """
    errors: dict[str, str] = {}
    title = normalise_text(settings.title)
    slug = settings.slug.strip()
    if not title or len(title) > TITLE_MAX:
        errors["title"] = f"请填写标题（不超过 {TITLE_MAX} 个字）"
    elif has_hidden_characters(title):
        errors["title"] = "标题中含有不可见或控制字符（如零宽空格），或没有可见的文字，请重新输入"
    if not UID.match(slug):
        errors["slug"] = "网址标识只能使用小写字母、数字和连字符 -，以字母或数字开头，不超过 80 个字符"
    else:
        owner = db.session.scalar(select(Competition).where(Competition.slug == slug, Competition.id != (competition_id or 0)))
        if owner is not None:
            errors["slug"] = slug_taken_message(slug, owner)
    description = normalise_newlines(settings.description).strip()
    prize_description = normalise_newlines(settings.prize_description).strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"竞赛说明不超过 {DESCRIPTION_MAX} 个字"
    if settings.ends_at is not None and settings.ends_at <= settings.starts_at:
        errors["ends_at"] = "结束时间须晚于开始时间"
    if settings.audience not in AUDIENCES:
        errors["audience"] = "请选择参赛对象"
    organizations = normalise_organizations(settings.organizations)
    if message := _organization_error(organizations, settings.allow_other_organization):
        errors["organizations"] = message
    check = check_rule(settings.paper_rule)
    if not check.ok:
        errors["paper_rule"] = "；".join(check.errors)
    if not 60 <= settings.time_limit_s <= TIME_LIMIT_MAX_S:
        errors["time_limit_s"] = f"答题限时须在 1 到 {TIME_LIMIT_MAX_S // 60} 分钟之间"
    if not 1 <= settings.attempts_allowed <= ATTEMPTS_MAX:
        errors["attempts_allowed"] = f"参赛次数须在 1 到 {ATTEMPTS_MAX} 之间"
    if not _finite_between(settings.pass_mark, 0, SCORE_MAX):
        errors["pass_mark"] = f"及格分数须在 0 到 {SCORE_MAX} 之间"
    for kind, points in settings.default_points.items():
        if kind not in QUESTION_TYPES or not _finite_between(points, 0.5, POINTS_MAX):
            errors[f"points_{kind}"] = f"每题分值须在 0.5 到 {POINTS_MAX} 之间"
    if len(prize_description) > PRIZE_DESCRIPTION_MAX:
        errors["prize_description"] = f"奖品说明不超过 {PRIZE_DESCRIPTION_MAX} 个字"
    if settings.prize_threshold is not None and not _finite_between(settings.prize_threshold, 0, SCORE_MAX):
        errors["prize_threshold"] = f"抽奖资格分数须在 0 到 {SCORE_MAX} 之间"
    if settings.prize_winners is not None and not 1 <= settings.prize_winners <= PRIZE_WINNERS_MAX:
        errors["prize_winners"] = f"中奖人数须在 1 到 {PRIZE_WINNERS_MAX} 之间"
    if settings.retention_days is None and settings.ends_at is not None:
        errors["retention_days"] = "请填写个人信息保存期限（竞赛结束后多少天删除姓名和手机号）"
    elif settings.retention_days is not None and not 0 <= settings.retention_days <= RETENTION_MAX_DAYS:
        promise = "个人信息保护规则承诺一般不超过竞赛结束后六个月"
        errors["retention_days"] = f"个人信息保存期限须在 0 到 {RETENTION_MAX_DAYS} 天之间（{promise}）"
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    return replace_settings(
        settings,
        title=title,
        slug=slug,
        description=description,
        organizations=organizations,
        prize_description=prize_description,
    )


def slug_taken_message(slug: str, owner: Competition) -> str:
    """Return the form error for a slug another competition uses."""
    return f"网址标识 {slug} 已被「{owner.title}」使用"


def flush_unique_slug(slug: str) -> None:
    """Flush, turning a lost race for *slug* (the unique index) into the form's validation error.

    Two simultaneous submits both pass :func:`validate_settings`; the second insert then
    violates ``competition.slug``'s unique index. The session is rolled back first.

    Raises:
        ValidationFailed: ``fields["slug"]`` names the competition that has the slug.
        IntegrityError: any other constraint (re-raised after the rollback).

    """
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        owner = db.session.scalar(select(Competition).where(Competition.slug == slug))
        if owner is None:
            raise
        message = slug_taken_message(slug, owner)
        raise ValidationFailed(message, fields={"slug": message}) from None


def _organization_error(organizations: list[str], allow_other: bool) -> str:
    if not organizations and not allow_other:
        return "请至少填写一个单位，或允许参赛者选择“其他”自填单位"
    for name in organizations:
        if name == OTHER_ORGANIZATION:
            return "“其他”不必写入列表：请勾选“允许选择其他单位”"
        if len(name) > ORGANIZATION_MAX:
            return f"单位名称不超过 {ORGANIZATION_MAX} 个字：{name[:20]}…"
        if has_hidden_characters(name):
            return f"单位名称中含有不可见或控制字符：{name[:20]}"
        if FORBIDDEN_TEXT.search(name):
            return f"单位名称中不能含有 < > & 引号 斜杠等符号：{name}"
    return ""


def _finite_between(value: float, low: float, high: float) -> bool:
    return math.isfinite(value) and low <= value <= high


def replace_settings(settings: CompetitionSettings, **changes) -> CompetitionSettings:
    """Return *settings* with *changes* applied (the dataclass is frozen)."""
    return CompetitionSettings(**{**{name: getattr(settings, name) for name in SETTING_NAMES}, **changes})


def create_competition(settings: CompetitionSettings, actor: str, now: datetime | None = None) -> Competition:
    """Create a competition from *settings* (staff-owned, a draft until published) and audit it as ``competition_create``.

    Raises:
        ValidationFailed: see :func:`validate_settings`; nothing is written then.

    """
    now = now or utcnow()
    clean = validate_settings(settings)
    competition = Competition(**{name: getattr(clean, name) for name in SETTING_NAMES}, staff_edited_at=now, created_at=now,
                              is_published=False)  # fmt: skip
    db.session.add(competition)
    flush_unique_slug(clean.slug)
    detail = f"新建竞赛「{clean.title}」（{clean.slug}），{window_text(clean.starts_at, clean.ends_at)}，草稿（未发布）"
    record_audit(actor, "competition_create", target=f"competition:{competition.id}", detail=detail, now=now)
    db.session.commit()
    return competition


def settings_version(competition: Competition) -> str:
    """Return a short digest of the competition's settings, taken when an edit form is shown."""
    values = CompetitionSettings.of(competition)
    document = {name: getattr(values, name) for name in SETTING_NAMES}
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()[:16]


def update_competition(
    competition_id: int, settings: CompetitionSettings, actor: str, now: datetime | None = None, *, based_on: str | None = None
) -> list[str]:
    """Apply *settings* to the competition; return the names of the settings that changed.

    Saving unchanged settings writes nothing (a second submit is harmless). Moving the end
    earlier caps open attempts' deadlines at it. Audited as ``competition_update`` with the
    changed names (and the window, when it moved) in the detail. *based_on* is the
    :func:`settings_version` the editor started from: when someone else changed the
    competition since (another editor, or a reviewer opening it early), nothing is saved,
    so a stale form can never move the window back.

    Raises:
        NotFound: unknown competition.
        Conflict: *based_on* is no longer the current version (``edit_conflict``, 409).
        ValidationFailed: see :func:`validate_settings`; nothing is written then.

    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    if based_on is not None and based_on != settings_version(competition):
        raise Conflict("您编辑期间本竞赛已被他人修改（或已提前开始、结束），本次修改未保存：请打开最新的设置重新修改", code="edit_conflict")
    clean = validate_settings(settings, competition_id)
    before = CompetitionSettings.of(competition)
    starts_at, ends_at = _keep_seconds(clean.starts_at, before.starts_at), _keep_seconds(clean.ends_at, before.ends_at)
    clean = replace_settings(clean, starts_at=starts_at, ends_at=ends_at)
    changed = [name for name in SETTING_NAMES if getattr(clean, name) != getattr(before, name)]
    if not changed:
        return []
    for name in changed:
        setattr(competition, name, getattr(clean, name))
    competition.staff_edited_at = now
    if "slug" in changed:
        flush_unique_slug(clean.slug)
    if competition.ends_at is not None:
        cap_open_deadlines(competition.id, competition.ends_at)
    detail = "修改：" + ", ".join(changed)
    if {"starts_at", "ends_at"} & set(changed):
        detail += f"；时间 {window_text(before.starts_at, before.ends_at)} → {window_text(clean.starts_at, clean.ends_at)}"
    record_audit(actor, "competition_update", target=f"competition:{competition.id}", detail=detail, now=now)
    db.session.commit()
    return changed


def _keep_seconds(typed: datetime | None, stored: datetime | None) -> datetime | None:
    """Return *stored* when *typed* is it cut to the minute (the form shows minutes only), else *typed*."""
    if typed is not None and stored is not None and typed == stored.replace(second=0, microsecond=0):
        return stored
    return typed


def window_text(starts_at: datetime, ends_at: datetime | None) -> str:
    """Return the window in local time for audit details: ``2026-06-10 09:00 至 2026-06-20 18:00`` (or 长期)."""
    return f"{format_local(starts_at)} 至 {format_local(ends_at) if ends_at else '长期'}"


def cap_open_deadlines(competition_id: int, ends_at: datetime) -> int:
    """Move open attempts' deadlines back to *ends_at* where they lie after it; return how many."""
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.competition_id == competition_id, Attempt.status == "open", Attempt.deadline_at > ends_at)
        .values(deadline_at=ends_at)
    )
    return result.rowcount


def competition_rows() -> list[CompetitionRow]:
    """Return every competition, latest start first, with its participant and attempt counts (two grouped queries)."""
    participants = dict(db.session.execute(select(Participant.competition_id, func.count()).group_by(Participant.competition_id)).all())
    attempts = dict(db.session.execute(select(Attempt.competition_id, func.count()).group_by(Attempt.competition_id)).all())
    competitions = db.session.scalars(select(Competition).order_by(Competition.starts_at.desc(), Competition.id.desc()))
    return [CompetitionRow(c, participants.get(c.id, 0), attempts.get(c.id, 0)) for c in competitions]


def attempt_count(competition_id: int) -> int:
    """Return how many attempts (open or closed) the competition has."""
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.competition_id == competition_id)) or 0


def audit_trail(competition_id: int, limit: int = 20) -> list[AuditLog]:
    """Return the newest *limit* audit rows about the competition (``ix_audit_log_target``)."""
    query = (
        select(AuditLog)
        .where(AuditLog.target == f"competition:{competition_id}")
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def bank_categories() -> list[str]:
    """Return the active questions' categories and each of their prefixes (``a``, ``a/b``), sorted."""
    names: set[str] = set()
    for category in db.session.scalars(select(Question.category).where(Question.is_active.is_(True)).distinct()):
        parts = [part for part in category.split("/") if part]
        names.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return sorted(names)
