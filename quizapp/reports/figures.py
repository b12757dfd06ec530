"""The year's figures (年度数据) for the 法治政府建设情况报告: what the bureau did in one calendar year.

The year is the calendar year in Asia/Shanghai: from 1 January 00:00 local (inclusive) to
the next 1 January 00:00 local (exclusive), compared in UTC.

Rules, one per figure (each is one query; the tests check each against data they create):

- Competitions held: published competitions whose window *starts* in the year (a draft was
  never held). Participants (人次:
  one per person per competition), attempts, average scores and questions answered are
  those of these competitions, so a competition running over New Year counts whole in
  the year it started.
- Average score: the mean of the participants' best scores (points), as the ranking counts
  them; the pass count is of best attempts that passed.
- Questions answered (作答题次): paper items with a saved response (``answered_at`` set) in those competitions.
- Published content: items of each kind whose publication time (``published_at``) lies in
  the year and that are now published or archived (archived items were public once), plus
  scheduled items whose ``publish_at`` lies in the year and has passed (visible before the
  scheduler's sweep flips them, see :mod:`quizapp.publishing.visibility`).
- Law-library and practice use: the daily counters of :mod:`quizapp.reports.usage`, and the
  learners (anonymous practice devices) first seen in the year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from quizapp.contests.models import GROUPS, Attempt, Competition, PaperItem, Participant
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.practice.models import Learner
from quizapp.publicity.kinds import KINDS
from quizapp.publishing.models import Item
from quizapp.reports.usage import METRICS, REPORT_ZONE, usage_between

#: Kinds the report names first (以案释法, 行政处罚公示, 每月一警示), then the others in navigation order.
REPORTED_KINDS = ("case", "penalty", "warning")


@dataclass(frozen=True)
class FigureRow:
    """Participation of one group or 单位 over the year: people (人次), attempts, mean best score (points), passed."""

    label: str
    participants: int
    attempts: int
    average_score: float | None
    passed: int


@dataclass(frozen=True)
class YearFigures:
    """Every figure of one year; see the module docstring for what each counts.

    ``published`` maps kind → (Chinese label, count) for every publicity kind;
    ``usage`` maps metric → (Chinese label, count) for every usage metric.
    """

    year: int
    competitions: int
    participants: int
    attempts: int
    submitted: int
    average_score: float | None
    passed: int
    by_group: list[FigureRow]
    by_organization: list[FigureRow]
    questions_answered: int
    published: dict[str, tuple[str, int]]
    usage: dict[str, tuple[str, int]]
    learners: int


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """Return the aware UTC instants of 1 January 00:00 of *year* and of *year* + 1 in Asia/Shanghai."""
    return (datetime(year, 1, 1, tzinfo=REPORT_ZONE).astimezone(UTC), datetime(year + 1, 1, 1, tzinfo=REPORT_ZONE).astimezone(UTC))


def _held(start: datetime, end: datetime):
    return select(Competition.id).where(Competition.starts_at >= start, Competition.starts_at < end, Competition.is_published.is_(True))


def _participation(held, bucket) -> list[tuple]:
    attempts = (
        select(Attempt.participant_id, func.count(Attempt.id).label("attempts"))
        .where(Attempt.competition_id.in_(held))
        .group_by(Attempt.participant_id)
        .subquery()
    )
    best = aliased(Attempt)
    passed = func.sum(case((best.passed.is_(True), 1), else_=0))
    return db.session.execute(
        select(
            bucket,
            func.count(Participant.id),
            func.coalesce(func.sum(attempts.c.attempts), 0),
            func.avg(Participant.best_score),
            func.coalesce(passed, 0),
        )
        .outerjoin(attempts, attempts.c.participant_id == Participant.id)
        .outerjoin(best, best.id == Participant.best_attempt_id)
        .where(Participant.competition_id.in_(held))
        .group_by(bucket)
    ).all()


def _row(label: str, participants, attempts, average, passed) -> FigureRow:
    return FigureRow(label, int(participants), int(attempts), None if average is None else float(average), int(passed))


def _published_counts(start: datetime, end: datetime, now: datetime) -> dict[str, int]:
    shown = or_(
        and_(Item.status.in_(("published", "archived")), Item.published_at >= start, Item.published_at < end),
        and_(Item.status == "scheduled", Item.publish_at >= start, Item.publish_at < end, Item.publish_at <= now),
    )
    rows = db.session.execute(select(Item.kind, func.count(Item.id)).where(shown).group_by(Item.kind)).all()
    return {kind: int(count) for kind, count in rows}


def year_figures(year: int, now: datetime | None = None) -> YearFigures:
    """Return the figures of calendar *year* (Asia/Shanghai) as known at *now* (aware; default the server clock).

    Raises:
        ValueError: for a year outside 2000 … 2100.

    """
    if not 2000 <= year <= 2100:
        raise ValueError(f"year out of range: {year}")
    now = now or utcnow()
    start, end = year_bounds(year)
    held = _held(start, end)
    competitions = db.session.scalar(select(func.count()).select_from(held.subquery()))
    groups = {group: _row(GROUPS.get(group, group), *rest) for group, *rest in _participation(held, Participant.group)}
    by_group = [groups.get(group) or FigureRow(label, 0, 0, None, 0) for group, label in GROUPS.items()]
    by_organization = sorted(
        (_row(*row) for row in _participation(held, Participant.organization)), key=lambda row: (-row.participants, row.label)
    )
    attempts = db.session.execute(
        select(func.count(Attempt.id), func.count(Attempt.submitted_at)).where(Attempt.competition_id.in_(held))
    ).one()
    overall = db.session.execute(select(func.avg(Participant.best_score)).where(Participant.competition_id.in_(held))).scalar()
    answered = db.session.scalar(
        select(func.count(PaperItem.id))
        .join(Attempt, Attempt.id == PaperItem.attempt_id)
        .where(Attempt.competition_id.in_(held), PaperItem.answered_at.is_not(None))
    )
    published = _published_counts(start, end, now)
    usage = usage_between(date(year, 1, 1), date(year, 12, 31))
    learners = db.session.scalar(select(func.count(Learner.id)).where(Learner.created_at >= start, Learner.created_at < end))
    return YearFigures(
        year=year,
        competitions=int(competitions),
        participants=sum(row.participants for row in by_group),
        attempts=int(attempts[0]),
        submitted=int(attempts[1]),
        average_score=None if overall is None else float(overall),
        passed=sum(row.passed for row in by_group),
        by_group=by_group,
        by_organization=by_organization,
        questions_answered=int(answered),
        published={kind: (KINDS[kind].label, published.get(kind, 0)) for kind in _kind_order()},
        usage={metric: (label, usage[metric]) for metric, label in METRICS.items()},
        learners=int(learners),
    )


def _kind_order() -> list[str]:
    return [*REPORTED_KINDS, *(kind for kind in KINDS if kind not in REPORTED_KINDS)]
