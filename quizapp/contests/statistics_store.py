"""Stored competition statistics: computed once, reused while the data is unchanged, refreshed by the scheduler.

The rule follows Moodle's quiz_statistics report, which stores the computed statistics
with a timestamp, reuses them while they are fresh and has a scheduled task recalculate
them (``mod/quiz/report/statistics``, the ``quiz_statistics`` task ``recalculate``). Here:

- Each competition has at most one :class:`~quizapp.contests.models.StatisticsSnapshot`:
  the figures of :func:`quizapp.contests.statistics.competition_statistics` as JSON, when
  they were computed (UTC) and the *source fingerprint* they were computed from.
- The fingerprint (:func:`source_fingerprint`) is one aggregate over the competition's
  attempts and participants, read through their ``competition_id`` indexes: attempts
  started, attempts submitted, the last submit time, the sum of submitted scores,
  participants, plus a digest of the competition's 单位 list (it decides what counts as
  其他) and :data:`FORMAT`. Every change to the figures changes one of these: a start adds
  an attempt (and maybe a participant), a submit, the deadline sweep and a support reset
  (which submits the attempt as it stands) add a submitted attempt and its score. Nothing
  deletes attempts or participants, and neither erasure (only name and number change;
  单位, group and scores stay) nor an extra attempt granted changes any figure, so they
  need not, and do not, change it.
- The page (:func:`statistics_page`) reads the fingerprint; a matching snapshot is shown as
  it is; otherwise a competition with at most ``STATISTICS_INLINE_LIMIT`` submitted attempts
  is recomputed at once (and stored), and a larger one shows its last snapshot with its
  time, or "统计正在生成" before the first. No page view computes a large competition.
- The scheduled job (:func:`refresh_stale`, every :data:`REFRESH_INTERVAL_S`) recomputes
  every competition whose fingerprint moved on, claiming each with a conditional UPDATE
  of ``claimed_until`` so two runs never compute one competition twice at once. A closed
  competition stops changing, so it is recomputed once after its last submit and then left.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.contests.models import Attempt, Competition, Participant, StatisticsSnapshot
from quizapp.contests.services import get_competition
from quizapp.contests.statistics import (
    CompetitionStatistics,
    Participation,
    QuestionStatistic,
    ScoreBin,
    competition_statistics,
)
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db

#: Version of the stored document and of the computation: raising it makes every snapshot stale.
FORMAT = 1
#: How often the scheduled job recomputes stale snapshots (seconds); shown on the page as 每N分钟.
REFRESH_INTERVAL_S = 600
#: How long a job's claim on a competition lasts (seconds) before another run may take it over
#: (a run that died mid-way); longer than the slowest computation measured (bench/results.md).
CLAIM_S = 1800


@dataclass(frozen=True)
class Fingerprint:
    """Summary of the data a competition's statistics are computed from (see the module docstring).

    ``attempts`` started and ``submitted``; ``last_submitted_at`` (UTC, None before any
    submit); ``score_total`` the sum of submitted scores (points); ``participants``;
    ``organizations`` a digest of the competition's 单位 list.
    """

    attempts: int
    submitted: int
    last_submitted_at: datetime | None
    score_total: float
    participants: int
    organizations: str

    @property
    def key(self) -> str:
        """Return the fingerprint as stored (one string; equal keys mean equal source data)."""
        last = self.last_submitted_at.isoformat() if self.last_submitted_at else "-"
        # Scores are stored rounded to 0.01, so their true sum is a multiple of 0.01: rounding
        # removes the last-bit noise a database's summation order may add.
        return (
            f"v{FORMAT}/a{self.attempts}/s{self.submitted}/t{last}/x{round(self.score_total, 2):.2f}"
            f"/p{self.participants}/o{self.organizations}"
        )


def _organizations_digest(competition: Competition) -> str:
    listed = sorted(competition.organizations or [])
    return hashlib.sha256(json.dumps(listed, ensure_ascii=False).encode()).hexdigest()[:12]


def source_fingerprint(competition: Competition) -> Fingerprint:
    """Return the competition's fingerprint now: one statement of two aggregates over ``competition_id`` indexes."""
    submitted = Attempt.status == "submitted"
    attempts = (
        select(
            func.count(Attempt.id).label("attempts"),
            func.count(Attempt.id).filter(submitted).label("submitted"),
            func.max(Attempt.submitted_at).filter(submitted).label("last"),
            func.coalesce(func.sum(Attempt.score).filter(submitted), 0.0).label("total"),
        )
        .where(Attempt.competition_id == competition.id)
        .subquery()
    )
    participants = select(func.count(Participant.id)).where(Participant.competition_id == competition.id).scalar_subquery()
    row = db.session.execute(select(attempts, participants.label("participants"))).one()
    return Fingerprint(  # max() keeps the column's type, so ``last`` is an aware UTC datetime on both backends
        attempts=int(row.attempts), submitted=int(row.submitted or 0), last_submitted_at=row.last,
        score_total=float(row.total or 0), participants=int(row.participants), organizations=_organizations_digest(competition),
    )  # fmt: skip


def to_document(stats: CompetitionStatistics) -> dict:
    """Return *stats* as a JSON-serialisable document (the shape stored in ``StatisticsSnapshot.data``)."""
    return {
        "format": FORMAT,
        "by_organization": [asdict(row) for row in stats.by_organization],
        "by_group": [asdict(row) for row in stats.by_group],
        "distribution": [asdict(row) for row in stats.distribution],
        "questions": [asdict(row) for row in stats.questions],
    }


def from_document(competition: Competition, document: dict) -> CompetitionStatistics:
    """Rebuild the statistics stored by :func:`to_document` (the inverse: equal fields, equal floats)."""
    return CompetitionStatistics(
        competition=competition,
        by_organization=[Participation(**row) for row in document["by_organization"]],
        by_group=[Participation(**row) for row in document["by_group"]],
        distribution=[ScoreBin(**row) for row in document["distribution"]],
        questions=[QuestionStatistic(**row) for row in document["questions"]],
    )


def _snapshot_row(competition_id: int) -> StatisticsSnapshot:
    """Return the competition's snapshot row, creating an empty one (a concurrent creator wins quietly)."""
    snapshot = db.session.get(StatisticsSnapshot, competition_id)
    if snapshot is None:
        try:
            with db.session.begin_nested():
                db.session.add(StatisticsSnapshot(competition_id=competition_id, fingerprint=""))
        except IntegrityError:
            pass
        snapshot = db.session.get(StatisticsSnapshot, competition_id, populate_existing=True)
    return snapshot


def recompute(competition: Competition, now: datetime | None = None) -> tuple[CompetitionStatistics, StatisticsSnapshot]:
    """Compute the competition's statistics now and store them as its snapshot; commits.

    The fingerprint is read *before* the computation: a submit that lands meanwhile makes
    the stored snapshot look stale at once, so it is never mistaken for included.
    Returns the statistics and the stored snapshot (``computed_at`` = *now*, UTC).
    """
    now = now or utcnow()
    fingerprint = source_fingerprint(competition)
    started = time.perf_counter()
    stats = competition_statistics(competition.id)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    snapshot = _snapshot_row(competition.id)
    snapshot.fingerprint, snapshot.data = fingerprint.key, to_document(stats)
    snapshot.computed_at, snapshot.compute_ms = now, elapsed_ms
    db.session.commit()
    return stats, snapshot


@dataclass(frozen=True)
class StatisticsPage:
    """What the statistics page shows.

    ``stats`` is None while the first snapshot of a large competition is being generated;
    ``computed_at`` (UTC) is when the figures were computed; ``is_current`` says they include
    every submit so far; ``refresh_minutes`` is the scheduled job's interval.
    """

    competition: Competition
    stats: CompetitionStatistics | None
    computed_at: datetime | None
    is_current: bool
    refresh_minutes: int


def inline_limit() -> int:
    """Return the most submitted attempts a page view recomputes (setting ``STATISTICS_INLINE_LIMIT``, see ``quizapp.config``)."""
    return int(current_app.config["STATISTICS_INLINE_LIMIT"])


def statistics_page(competition_id: int, now: datetime | None = None) -> StatisticsPage:
    """Return the statistics to show: the stored snapshot when current, else recomputed if small, else the last one.

    Costs one fingerprint aggregate and one snapshot read when the snapshot is current;
    recomputes (and commits) only competitions with at most :func:`inline_limit` submitted
    attempts.

    Raises:
        NotFound: for an unknown competition.

    """
    competition = get_competition(competition_id)
    fingerprint = source_fingerprint(competition)
    snapshot = db.session.get(StatisticsSnapshot, competition.id)
    refresh_minutes = REFRESH_INTERVAL_S // 60
    if snapshot is not None and snapshot.data is not None and snapshot.fingerprint == fingerprint.key:
        return StatisticsPage(competition, from_document(competition, snapshot.data), snapshot.computed_at, True, refresh_minutes)
    if fingerprint.submitted <= inline_limit():
        stats, snapshot = recompute(competition, now)
        return StatisticsPage(competition, stats, snapshot.computed_at, True, refresh_minutes)
    if snapshot is None or snapshot.data is None:
        return StatisticsPage(competition, None, None, False, refresh_minutes)
    return StatisticsPage(competition, from_document(competition, snapshot.data), snapshot.computed_at, False, refresh_minutes)


def _claim(competition_id: int, now: datetime) -> bool:
    """Claim the competition for recomputing until now + :data:`CLAIM_S`; False when another run holds it; commits."""
    _snapshot_row(competition_id)
    claimed = db.session.execute(
        update(StatisticsSnapshot)
        .where(
            StatisticsSnapshot.competition_id == competition_id,
            or_(StatisticsSnapshot.claimed_until.is_(None), StatisticsSnapshot.claimed_until <= now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_S))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _release(competition_id: int) -> None:
    db.session.execute(
        update(StatisticsSnapshot)
        .where(StatisticsSnapshot.competition_id == competition_id)
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def refresh_stale(now: datetime | None = None) -> dict[str, list[int]]:
    """Recompute every competition whose snapshot is missing or stale; commits each one.

    Competitions without any attempt are left alone (their page computes them in no time).
    Returns ``{"recomputed": [ids], "claimed_elsewhere": [ids], "failed": [ids]}``; a
    competition another run holds is skipped, and one that run has just brought up to date
    is not recomputed again; one whose computation raises is logged and left for the next
    run, after the others. Safe to run twice and concurrently; a run after downtime catches
    up with everything.
    """
    now = now or utcnow()
    result: dict[str, list[int]] = {"recomputed": [], "claimed_elsewhere": [], "failed": []}
    stored = dict(db.session.execute(select(StatisticsSnapshot.competition_id, StatisticsSnapshot.fingerprint)).all())
    for competition in db.session.scalars(select(Competition).order_by(Competition.id)).all():
        fingerprint = source_fingerprint(competition)
        if fingerprint.attempts == 0 or stored.get(competition.id) == fingerprint.key:
            continue
        if not _claim(competition.id, now):
            result["claimed_elsewhere"].append(competition.id)
            continue
        try:
            snapshot = db.session.get(StatisticsSnapshot, competition.id, populate_existing=True)
            if snapshot.data is None or snapshot.fingerprint != source_fingerprint(competition).key:
                recompute(competition, now)
                result["recomputed"].append(competition.id)
        except Exception:  # one broken competition must not starve the others
            current_app.logger.exception("statistics of competition %s could not be computed", competition.id)
            result["failed"].append(competition.id)
        finally:
            db.session.rollback()
            _release(competition.id)
    return result


def snapshot_status(competition_id: int) -> StatisticsSnapshot | None:
    """Return the stored snapshot row of a competition (None before the first), for the CLI and tests."""
    return db.session.get(StatisticsSnapshot, competition_id)
