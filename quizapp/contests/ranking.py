"""Ranking (排行榜): each participant's best attempt; score desc, duration asc, submitted_at asc.

Ties are resolved by time, never by row id: entries equal on all three keys
share a rank. Both queries run on ``ix_participant_leaderboard``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select

from quizapp.contests.models import OTHER_ORGANIZATION, Competition, Participant
from quizapp.extensions import db


@dataclass(frozen=True)
class Standing:
    """One leaderboard row: rank, the participant, best score (points) and duration (seconds)."""

    rank: int
    participant: Participant
    score: float
    duration_s: int


def _ranked(competition_id: int):
    return select(Participant).where(Participant.competition_id == competition_id, Participant.best_score.is_not(None))


def leaderboard(competition_id: int, limit: int = 50) -> list[Standing]:
    """Return the top *limit* standings; equal results share the same rank."""
    rows = db.session.scalars(
        _ranked(competition_id)
        .order_by(Participant.best_score.desc(), Participant.best_duration_s, Participant.best_submitted_at)
        .limit(limit)
    ).all()
    standings: list[Standing] = []
    for position, participant in enumerate(rows, start=1):
        previous = standings[-1] if standings else None
        same = previous is not None and _key(previous.participant) == _key(participant)
        rank = previous.rank if same else position
        standings.append(Standing(rank, participant, participant.best_score, participant.best_duration_s))
    return standings


def _key(participant: Participant) -> tuple:
    return (participant.best_score, participant.best_duration_s, participant.best_submitted_at)


def rank_of(participant: Participant) -> int | None:
    """Return the participant's rank now (1 + participants strictly ahead), or None without a result."""
    if participant.best_score is None:
        return None
    score, duration, submitted = _key(participant)
    ahead = or_(
        Participant.best_score > score,
        and_(Participant.best_score == score, Participant.best_duration_s < duration),
        and_(
            Participant.best_score == score,
            Participant.best_duration_s == duration,
            Participant.best_submitted_at < submitted,
        ),
    )
    count = db.session.scalar(select(func.count()).select_from(_ranked(participant.competition_id).where(ahead).subquery()))
    return count + 1


@dataclass(frozen=True)
class OrganizationStanding:
    """One 单位 in the organisation ranking: participants with a result and their average best score."""

    rank: int
    organization: str
    participants: int
    average_score: float


def organization_ranking(competition: Competition, limit: int = 100) -> list[OrganizationStanding]:
    """Rank 单位 by average best score (desc), then by participants (desc), then name.

    Free-text 单位 (entered under 其他) are counted together as ``其他``, so a
    one-person made-up name cannot top the ranking; a competition without a
    list ranks the names as entered.
    """
    listed = list(competition.organizations or [])
    bucket = (
        case((Participant.organization.in_(listed), Participant.organization), else_=literal(OTHER_ORGANIZATION))
        if listed
        else Participant.organization
    ).label("organization")
    average = func.avg(Participant.best_score)
    count = func.count(Participant.id)
    rows = db.session.execute(
        select(bucket, count, average)
        .where(Participant.competition_id == competition.id, Participant.best_score.is_not(None))
        .group_by(bucket)
        .order_by(average.desc(), count.desc(), bucket)
        .limit(limit)
    ).all()
    return [
        OrganizationStanding(index, organization, participants, round(float(avg), 2))
        for index, (organization, participants, avg) in enumerate(rows, start=1)
    ]
