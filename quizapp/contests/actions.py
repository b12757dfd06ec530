"""Competition actions in the workspace besides editing: duplicate, publish or withdraw, open or close early.

- a duplicate copies every setting but identity, window, provenance and publication, and
  starts after now (its window moves by whole weeks, :func:`shifted_window`) as a draft;
- new and duplicated competitions are drafts (草稿, 未发布: no public page, list entry, API
  entry or start) until published; publishing needs a paper rule the bank can satisfy now;
  a published competition goes back to draft only while nobody has started an attempt;
- opening early moves ``starts_at`` to now (only while upcoming); closing early moves
  ``ends_at`` to now (only while open) and caps open attempts' deadlines at it, keeping
  ``deadline_at = min(started_at + time_limit_s, ends_at)`` (docs/architecture.md).

Each action writes one audit row (target ``competition:<id>``) in its transaction and marks
the competition staff-owned (``staff_edited_at``), like :mod:`quizapp.contests.admin`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from quizapp.contests.admin import (
    TITLE_MAX,
    CompetitionSettings,
    attempt_count,
    cap_open_deadlines,
    check_rule,
    flush_unique_slug,
    replace_settings,
    validate_settings,
    window_text,
)
from quizapp.contests.models import Competition
from quizapp.contests.services import get_competition
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.core.text import normalise_text
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db
from quizapp.publishing.services import record_audit

#: Columns a duplicate never copies: identity, window, provenance, publication (a copy is a draft).
NOT_COPIED = {"id", "slug", "title", "starts_at", "ends_at", "source_hash", "created_at", "staff_edited_at", "is_published"}


def suggest_copy(competition_id: int) -> tuple[str, str]:
    """Return a free slug (``<slug>-copy``, ``-copy-2`` …) and a title (``…（副本）``) for a duplicate."""
    competition = get_competition(competition_id)
    base = f"{competition.slug[:70]}-copy"
    taken = set(db.session.scalars(select(Competition.slug).where(Competition.slug.startswith(base))))
    slug = next(candidate for number in range(1, 1000) if (candidate := base if number == 1 else f"{base}-{number}") not in taken)
    return slug, f"{competition.title}（副本）"[:TITLE_MAX]


def shifted_window(starts_at: datetime, ends_at: datetime | None, now: datetime) -> tuple[datetime, datetime | None]:
    """Return the window moved by whole weeks so it starts after *now* (unchanged when it already does).

    Whole weeks keep the weekday, the local time of day and the length.
    """
    if starts_at > now:
        return starts_at, ends_at
    weeks = (now - starts_at) // timedelta(weeks=1) + 1
    shift = timedelta(weeks=weeks)
    return starts_at + shift, ends_at + shift if ends_at is not None else None


def duplicate_competition(competition_id: int, slug: str, title: str, actor: str, now: datetime | None = None) -> Competition:
    """Copy a competition's settings under a new slug and title, as an upcoming draft without participants.

    The window keeps its length and moves by whole weeks to start after *now*
    (:func:`shifted_window`). Audited as ``competition_duplicate`` on the new competition.

    Raises:
        NotFound: unknown competition.
        ValidationFailed: bad or taken slug, bad title (``fields``: ``slug``, ``title``).

    """
    now = now or utcnow()
    source = get_competition(competition_id)
    starts_at, ends_at = shifted_window(source.starts_at, source.ends_at, now)
    settings = replace_settings(CompetitionSettings.of(source), slug=slug, title=title, starts_at=starts_at, ends_at=ends_at)
    errors = {}
    try:
        validate_settings(settings)
    except ValidationFailed as exc:
        errors = {name: message for name, message in exc.fields.items() if name in ("slug", "title")}
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    copied = {column.key: getattr(source, column.key) for column in Competition.__mapper__.column_attrs if column.key not in NOT_COPIED}
    copy = Competition(**copied, slug=slug.strip(), title=normalise_text(title), starts_at=starts_at, ends_at=ends_at,
                       source_hash="", staff_edited_at=now, created_at=now, is_published=False)  # fmt: skip
    db.session.add(copy)
    flush_unique_slug(copy.slug)
    record_audit(actor, "competition_duplicate", target=f"competition:{copy.id}", now=now,
                 detail=f"复制自 competition:{source.id}（{source.slug}），{window_text(starts_at, ends_at)}")  # fmt: skip
    db.session.commit()
    return copy


def open_early(competition_id: int, actor: str, now: datetime | None = None) -> Competition:
    """Open an upcoming competition now: ``starts_at`` becomes *now*; audited as ``competition_open_early``.

    Allowed on a draft too (staff may set the start, then publish): it only moves the start, the
    public still cannot see or start it until :func:`publish`; the audit detail and the page's
    message say so.

    Raises:
        NotFound: unknown competition.
        Conflict: it is already open or closed (409, ``not_upcoming``).

    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    before = competition.starts_at
    # Conditional: of two clicks at once exactly one moves the start.
    moved = db.session.execute(
        update(Competition).where(Competition.id == competition_id, Competition.starts_at > now).values(starts_at=now, staff_edited_at=now)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        raise Conflict("竞赛已经开始或已经结束，不能提前开始", code="not_upcoming")
    detail = f"开始时间由 {format_local(before)} 提前到 {format_local(now)}"
    if not competition.is_published:
        detail += "；仍是草稿（未发布），公众看不到"
    record_audit(actor, "competition_open_early", target=f"competition:{competition_id}", from_state="upcoming", to_state="open",
                 detail=detail, now=now)  # fmt: skip
    db.session.commit()
    db.session.refresh(competition)
    return competition


def close_early(competition_id: int, actor: str, now: datetime | None = None) -> Competition:
    """Close an open competition now: ``ends_at`` becomes *now*; audited as ``competition_close_early``.

    Open attempts' deadlines are capped at *now*: they are scored as they stand once the
    grace period has passed, like at a scheduled end.

    Raises:
        NotFound: unknown competition.
        Conflict: it has not started (``not_open``) or is already closed (409).

    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    before = competition.ends_at
    moved = db.session.execute(
        update(Competition)
        .where(Competition.id == competition_id, Competition.starts_at <= now)
        .where(or_(Competition.ends_at.is_(None), Competition.ends_at > now))
        .values(ends_at=now, staff_edited_at=now)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        message = "竞赛尚未开始，不能提前结束" if competition.status_at(now) == "upcoming" else "竞赛已经结束"
        raise Conflict(message, code="not_open")
    capped = cap_open_deadlines(competition_id, now)
    detail = f"结束时间由 {format_local(before) if before else '长期'} 提前到 {format_local(now)}；进行中的答题 {capped} 次按已保存答案交卷"
    record_audit(actor, "competition_close_early", target=f"competition:{competition_id}", from_state="open", to_state="closed",
                 detail=detail, now=now)  # fmt: skip
    db.session.commit()
    db.session.refresh(competition)
    return competition


def publish(competition_id: int, actor: str, now: datetime | None = None) -> Competition:
    """Publish a draft: it appears on the home page, in the API list and at its public URLs.

    Audited as ``competition_publish`` (``draft`` → ``published``). The window is unchanged:
    a published competition whose start has passed is open at once.

    Raises:
        NotFound: unknown competition.
        Conflict: already published (``already_published``); the bank cannot give its
            paper now (``paper_rule_unusable``, the rule check's messages).

    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    check = check_rule(competition.paper_rule or {})
    if not check.ok:
        raise Conflict("试卷规则无法组卷，不能发布：" + "；".join(check.errors), code="paper_rule_unusable")
    _set_published(competition, True, actor, now, "发布：竞赛页面、首页和接口对公众可见")
    return competition


def withdraw(competition_id: int, actor: str, now: datetime | None = None) -> Competition:
    """Take a published competition back to draft (撤回发布); audited as ``competition_unpublish``.

    Only while it has no attempts: participants' papers and results stay reachable once
    anyone has started (close it early instead).

    Raises:
        NotFound: unknown competition.
        Conflict: already a draft (``already_draft``), or it has attempts (``has_attempts``).

    """
    now = now or utcnow()
    competition = get_competition(competition_id)
    if competition.is_published and (attempts := attempt_count(competition_id)):
        raise Conflict(f"已有 {attempts} 次答题，不能撤回发布；如需停止答题，请提前结束竞赛", code="has_attempts")
    _set_published(competition, False, actor, now, "撤回发布：竞赛页面、首页和接口对公众不可见")
    return competition


def _set_published(competition: Competition, published: bool, actor: str, now: datetime, detail: str) -> None:
    """Flip ``is_published`` with a conditional UPDATE (of two clicks exactly one changes it), audit, commit."""
    moved = db.session.execute(
        update(Competition)
        .where(Competition.id == competition.id, Competition.is_published.is_(not published))
        .values(is_published=published, staff_edited_at=now)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        if published:
            raise Conflict("竞赛已经发布", code="already_published")
        raise Conflict("竞赛尚未发布", code="already_draft")
    before, after = ("draft", "published") if published else ("published", "draft")
    action = "competition_publish" if published else "competition_unpublish"
    record_audit(actor, action, target=f"competition:{competition.id}", from_state=before, to_state=after, detail=detail, now=now)
    db.session.commit()
    db.session.refresh(competition)
