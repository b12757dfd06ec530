"""Statistics of one competition: participation by 单位 and group, score distribution, question analysis.

Question analysis follows Moodle's quiz statistics report ("Quiz statistics calculations",
https://docs.moodle.org/dev/Quiz_statistics_calculations, and its implementation
``question/classes/statistics/questions/calculator.php``):

- Which attempts: each participant's *first* submitted attempt, as Moodle's report does by
  default ("subsequent attempts probably do not satisfy the assumptions that underlie item
  analysis"). Open attempts are left out; an unanswered item scores 0 (Moodle's option 1
  for incomplete attempts).
- Facility index F = mean mark on the item ÷ its maximum mark (Moodle: ``markaverage /
  maxmark``), 0 … 1. Where a version's points differ between papers, the ratio of the
  sums (Σ marks ÷ Σ maximum marks) is used, which is the same number when they agree.
  ``share_correct`` (答对率) is the share of those items graded fully correct; it differs
  from F only where partial credit (少选得一半) gives half marks.
- Discrimination index D = 100 · r(x, X), the Pearson correlation between the item's mark
  x and the mark on the *rest of the test* X = (attempt total − x; the total is the attempt's
  stored score, see :func:`question_statistics`), with sample
  (n − 1) covariance and variances as in Moodle; −100 … 100. It is undefined (None) when
  either variance is 0, e.g. when everyone got the item right, or with fewer than 2 attempts.

Per question *version*, not per question uid: a version is what was graded (its stem,
options, key and points are fixed), and a corrected key or reworded stem is a new version;
pooling versions would mix the faulty item with its fix and hide whether the fix worked.
Rows carry the uid and version number, so staff can still see all versions of a question.

Flags follow Moodle's "Quiz report statistics" guidance (https://docs.moodle.org/dev/Quiz_report_statistics):
a facility of 5 % or less suggests "something wrong with the question", 95 % or more is
"extremely easy", and a negative discrimination index means the question is probably invalid
(the weaker participants did better on it than the stronger ones — often a wrong key).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from quizapp.bank.models import TYPE_LABELS, QuestionVersion
from quizapp.contests.models import GROUPS, OTHER_ORGANIZATION, Attempt, Competition, PaperItem, Participant
from quizapp.contests.services import get_competition
from quizapp.extensions import db

#: Number of score bins of the distribution (each 10 % of the maximum score wide).
SCORE_BINS = 10
#: Facility at or below this (5 %) or at or above 95 % is flagged (Moodle's report guidance).
FACILITY_LOW, FACILITY_HIGH = 0.05, 0.95
#: Variances below this are treated as 0 (floating-point noise of the one-pass sums).
_EPSILON = 1e-9


@dataclass(frozen=True)
class Participation:
    """Participation of one 单位 or group.

    ``participants`` took part (started at least once), ``with_result`` have a submitted
    attempt, ``attempts`` started in all, ``average_score`` is the mean of the best scores
    (points; None without results) and ``passed`` counts best attempts that passed.
    """

    label: str
    participants: int
    with_result: int
    attempts: int
    average_score: float | None
    passed: int


def _participation(competition: Competition, bucket) -> list[tuple]:
    attempts = (
        select(Attempt.participant_id, func.count(Attempt.id).label("attempts"))
        .where(Attempt.competition_id == competition.id)
        .group_by(Attempt.participant_id)
        .subquery()
    )
    passed = func.sum(case((Attempt.passed.is_(True), 1), else_=0))
    return db.session.execute(
        select(
            bucket,
            func.count(Participant.id),
            func.count(Participant.best_score),
            func.coalesce(func.sum(attempts.c.attempts), 0),
            func.avg(Participant.best_score),
            func.coalesce(passed, 0),
        )
        .outerjoin(attempts, attempts.c.participant_id == Participant.id)
        .outerjoin(Attempt, Attempt.id == Participant.best_attempt_id)
        .where(Participant.competition_id == competition.id)
        .group_by(bucket)
    ).all()


def _row(label: str, participants, with_result, attempts, average, passed) -> Participation:
    return Participation(
        label, int(participants), int(with_result), int(attempts), None if average is None else float(average), int(passed)
    )


def participation_by_organization(competition: Competition) -> list[Participation]:
    """Return participation per 单位, most participants first (then by name).

    As in the 单位 ranking, names typed under 其他 are counted together as ``其他`` when the
    competition has a list; without a list the names are counted as entered.
    """
    listed = list(competition.organizations or [])
    bucket = (
        case((Participant.organization.in_(listed), Participant.organization), else_=literal(OTHER_ORGANIZATION))
        if listed
        else Participant.organization
    ).label("organization")
    rows = [_row(*row) for row in _participation(competition, bucket)]
    return sorted(rows, key=lambda row: (-row.participants, row.label))


def participation_by_group(competition: Competition) -> list[Participation]:
    """Return participation per group, in the order 社会群众, 从业人员 (a group without anyone shows zeros)."""
    found = {group: _row(GROUPS.get(group, group), *rest) for group, *rest in _participation(competition, Participant.group)}
    return [found.get(group) or Participation(label, 0, 0, 0, None, 0) for group, label in GROUPS.items()]


@dataclass(frozen=True)
class ScoreBin:
    """One bar of the score distribution: best scores from ``low`` % (inclusive) to ``high`` % of the maximum.

    ``high`` is exclusive except for the last bin, which includes 100 %.
    """

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        """Return the bin as shown on the chart (``60–69%``, the last ``90–100%``)."""
        top = self.high if self.high == 100 else self.high - 1
        return f"{self.low}–{top}%"


def score_distribution(competition_id: int, bins: int = SCORE_BINS) -> list[ScoreBin]:
    """Return how many participants' best scores fall in each of *bins* equal bins of 0 … 100 % of the maximum.

    Scores are taken as a percentage of the best attempt's maximum score (papers drawn at
    random may differ in points); an attempt with a maximum of 0 is left out. The database
    counts participants per distinct (score, maximum) pair, so the rows read grow with the
    number of different scores, not of participants.
    """
    counts = [0] * bins
    rows = db.session.execute(
        select(Attempt.score, Attempt.max_score, func.count(Attempt.id))
        .join(Participant, Participant.best_attempt_id == Attempt.id)
        .where(Participant.competition_id == competition_id, Attempt.max_score > 0, Attempt.score.is_not(None))
        .group_by(Attempt.score, Attempt.max_score)
    )
    for score, max_score, people in rows:
        share = max(0.0, min(1.0, score / max_score))
        counts[min(bins - 1, int(share * bins + _EPSILON))] += people
    width = 100 / bins
    return [ScoreBin(round(index * width), round((index + 1) * width), count) for index, count in enumerate(counts)]


@dataclass(frozen=True)
class QuestionStatistic:
    """Item analysis of one question version over the participants' first submitted attempts.

    ``attempts`` is n, the number of those attempts whose paper had this version;
    ``mean_points`` and ``sd_points`` are in points (sd with n − 1, None for n < 2);
    ``facility`` and ``share_correct`` are fractions 0 … 1; ``discrimination`` is −100 … 100
    or None (see the module docstring for the definitions and their source).
    """

    version_id: int
    uid: str
    version_number: int
    type: str
    stem: str
    attempts: int
    max_points: float
    mean_points: float
    sd_points: float | None
    facility: float | None
    share_correct: float
    discrimination: float | None

    @property
    def type_label(self) -> str:
        """Return the type in Chinese (单选题 …)."""
        return TYPE_LABELS.get(self.type, self.type)

    @property
    def flags(self) -> list[str]:
        """Return the warnings for staff (Chinese), empty when the item looks sound."""
        flags = []
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("区分度为负：成绩好的人反而答错，请检查答案")
        if self.facility is not None and self.facility <= FACILITY_LOW:
            flags.append("几乎无人答对：请检查题目和答案")
        elif self.facility is not None and self.facility >= FACILITY_HIGH:
            flags.append("几乎人人答对：区分作用很小")
        return flags


def _first_attempts(competition_id: int):
    """Return a subquery of each participant's first submitted attempt (by start time, then id) and its score.

    Columns ``attempt_id`` and ``total`` (the attempt's score, points). Written as "no earlier
    submitted attempt of the same participant exists" rather than ``row_number() = 1``:
    PostgreSQL then estimates the rows well and joins the responses with one hash join
    instead of one index probe per attempt (bench/results.md). Inside the NOT EXISTS an
    attempt counts as submitted by its ``submitted_at``, which closing sets together with
    the status (:meth:`Attempt.closing_values`): a ``status`` term there lets SQLite, which
    has no statistics, pick the status index and scan every submitted attempt per attempt.
    """
    earlier = aliased(Attempt)
    sooner = or_(
        earlier.started_at < Attempt.started_at,
        and_(earlier.started_at == Attempt.started_at, earlier.id < Attempt.id),
    )
    has_earlier = (
        select(earlier.id)
        .where(earlier.participant_id == Attempt.participant_id, earlier.submitted_at.is_not(None), sooner)
        .exists()
    )
    return (
        select(Attempt.id.label("attempt_id"), func.coalesce(Attempt.score, 0.0).label("total"))
        .where(Attempt.competition_id == competition_id, Attempt.status == "submitted", ~has_earlier)
        .subquery()
    )


def question_statistics(competition_id: int) -> list[QuestionStatistic]:
    """Return the item analysis of every question version on the first submitted attempts, by uid then version.

    The sums (n, Σx, Σx², ΣX, ΣX², ΣxX, Σ max, Σ correct) are aggregated in the database per
    version in one pass over the responses; this function only turns them into the indices,
    so it reads one row per version however many took part.

    The attempt total in X = total − x is the attempt's stored score. Closing an attempt
    (submit, the deadline sweep, a support reset) stores each item's ``points_awarded`` and
    the score as their sum rounded to 0.01 points (``services._close``), and no item of a
    submitted attempt is left ungraded, so the score *is* Moodle's sum of the item marks
    whenever marks are in hundredths of a point — every mark the editor's points and
    少选得一半 produce in practice; with finer points it differs by under 0.005 points. Reading
    the score instead of re-adding the items halves the work over the responses.
    """
    first = _first_attempts(competition_id)
    mark = func.coalesce(PaperItem.points_awarded, 0.0)
    rest = first.c.total - mark
    rows = db.session.execute(
        select(
            PaperItem.question_version_id,
            func.count(PaperItem.id),
            func.sum(mark),
            func.sum(mark * mark),
            func.sum(rest),
            func.sum(rest * rest),
            func.sum(mark * rest),
            func.sum(PaperItem.points),
            func.sum(case((PaperItem.is_correct.is_(True), 1), else_=0)),
        )
        .join(first, first.c.attempt_id == PaperItem.attempt_id)
        .group_by(PaperItem.question_version_id)
    ).all()
    versions = {
        version.id: version
        for version in db.session.scalars(
            select(QuestionVersion)
            .where(QuestionVersion.id.in_([row[0] for row in rows]))
            .options(joinedload(QuestionVersion.question))
        )
    }
    statistics = [_statistic(versions[row[0]], *row[1:]) for row in rows]
    return sorted(statistics, key=lambda item: (item.uid, item.version_number))


def _statistic(version: QuestionVersion, n, sx, sxx, sy, syy, sxy, smax, correct) -> QuestionStatistic:
    n, sx, sxx, sy, syy, sxy, smax = int(n), float(sx), float(sxx), float(sy), float(syy), float(sxy), float(smax or 0)
    variance_x = covariance = variance_y = None
    if n > 1:
        variance_x = max(0.0, (sxx - sx * sx / n) / (n - 1))
        variance_y = max(0.0, (syy - sy * sy / n) / (n - 1))
        covariance = (sxy - sx * sy / n) / (n - 1)
    discrimination = None
    if variance_x is not None and variance_x > _EPSILON and variance_y > _EPSILON:
        discrimination = 100 * covariance / math.sqrt(variance_x * variance_y)
    return QuestionStatistic(
        version_id=version.id,
        uid=version.question.uid,
        version_number=version.number,
        type=version.type,
        stem=version.stem,
        attempts=n,
        max_points=smax / n if n else 0.0,
        mean_points=sx / n if n else 0.0,
        sd_points=None if variance_x is None else math.sqrt(variance_x),
        facility=sx / smax if smax > 0 else None,
        share_correct=int(correct) / n if n else 0.0,
        discrimination=discrimination,
    )


@dataclass(frozen=True)
class CompetitionStatistics:
    """Everything the statistics page shows for one competition."""

    competition: Competition
    by_organization: list[Participation]
    by_group: list[Participation]
    distribution: list[ScoreBin]
    questions: list[QuestionStatistic]

    @property
    def total(self) -> Participation:
        """Return the sum over the groups (average weighted by participants with a result)."""
        with_result = sum(row.with_result for row in self.by_group)
        scored = sum((row.average_score or 0) * row.with_result for row in self.by_group)
        return Participation(
            "合计",
            sum(row.participants for row in self.by_group),
            with_result,
            sum(row.attempts for row in self.by_group),
            scored / with_result if with_result else None,
            sum(row.passed for row in self.by_group),
        )


def competition_statistics(competition_id: int) -> CompetitionStatistics:
    """Return the participation, distribution and question analysis of one competition.

    Raises:
        NotFound: for an unknown competition.

    """
    competition = get_competition(competition_id)
    return CompetitionStatistics(
        competition=competition,
        by_organization=participation_by_organization(competition),
        by_group=participation_by_group(competition),
        distribution=score_distribution(competition.id),
        questions=question_statistics(competition.id),
    )
