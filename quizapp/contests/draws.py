"""Prize draws (有奖问答 抽奖): N winners among qualifying participants, re-runnable from a published seed.

The algorithm (documented for the public in ``docs/prize-draw.md``):

1. Entries: one per participant of the competition whose best score (``best_score``,
   points) is at least the threshold and whose personal data has not been erased; the
   entry is the participant's best attempt (``best_attempt_id``). Entries are listed by
   attempt id, ascending.
2. Each entry gets a ticket: the lowercase hex SHA-256 of the UTF-8 text
   ``"<seed>:<attempt id>"`` (e.g. ``sha256("2026安全月:17")``).
3. Entries are ordered by (ticket, attempt id) ascending; the first N win, in that order
   (1st, 2nd, …). With fewer than N entries, every entry wins.

Nothing else (clock, row order, Python's ``random``) takes part, so any SHA-256 tool
gives the same list. A recorded draw keeps the entries and the winners; a second draw
for the same prize of the same competition is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.contests.models import Competition, Participant, PrizeDraw
from quizapp.contests.services import get_competition
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.core.text import FORBIDDEN_TEXT, has_hidden_characters, normalise_text
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db
from quizapp.privacy.phone import mask_name
from quizapp.publishing.services import record_audit

DEFAULT_PRIZE = "幸运奖"
PRIZE_MAX = 60
SEED_MAX = 64
WINNERS_MAX = 1000


def ticket(seed: str, attempt_id: int) -> str:
    """Return the entry's ticket: hex SHA-256 of ``"<seed>:<attempt id>"`` (UTF-8)."""
    return hashlib.sha256(f"{seed}:{attempt_id}".encode()).hexdigest()


def rank_entries(seed: str, attempt_ids: list[int]) -> list[tuple[int, str]]:
    """Return ``[(attempt id, ticket), …]`` in draw order: ticket ascending, then attempt id."""
    return sorted(((attempt_id, ticket(seed, attempt_id)) for attempt_id in attempt_ids), key=lambda pair: (pair[1], pair[0]))


def suggest_seed() -> str:
    """Return a random seed to offer staff (16 hex digits); any text of 1–64 characters will do."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Winner:
    """One winner: place (1 = first drawn), attempt, participant, best score (points), ticket; masked name and number."""

    rank: int
    attempt_id: int
    participant_id: int
    score: float
    ticket: str
    name: str
    phone: str

    def as_dict(self) -> dict:
        """Return the JSON shape ``{rank, attempt_id, name, phone, score, ticket}`` (name and phone masked)."""
        return {
            "rank": self.rank,
            "attempt_id": self.attempt_id,
            "name": self.name,
            "phone": self.phone,
            "score": self.score,
            "ticket": self.ticket,
        }


@dataclass
class DrawResult:
    """A draw, previewed or recorded: its inputs, the entries (attempt ids) and the winners in order."""

    competition: Competition
    prize: str
    threshold: float
    winners_requested: int
    seed: str
    entries: list[int]
    winners: list[Winner] = field(default_factory=list)
    draw: PrizeDraw | None = None

    def as_dict(self) -> dict:
        """Return the JSON shape of ``flask contests draw --json`` (see ``docs/prize-draw.md``)."""
        return {
            "competition_id": self.competition.id,
            "prize": self.prize,
            "threshold": self.threshold,
            "seed": self.seed,
            "winners_requested": self.winners_requested,
            "algorithm": "sha256(seed:attempt_id) ascending",
            "entry_count": len(self.entries),
            "entries": list(self.entries),
            "recorded": self.draw is not None,
            "draw_id": self.draw.id if self.draw is not None else None,
            "winners": [winner.as_dict() for winner in self.winners],
        }


def qualifying_entries(competition_id: int, threshold: float) -> list[Participant]:
    """Return the participants entered in a draw: best score ≥ *threshold* (points), not erased, by best attempt id."""
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.competition_id == competition_id,
                Participant.best_attempt_id.is_not(None),
                Participant.best_score >= threshold,
                Participant.erased_at.is_(None),
            )
            .order_by(Participant.best_attempt_id)
        )
    )


def default_threshold(competition: Competition) -> float:
    """Return the score (points) that qualifies: the competition's 抽奖资格分数, else its 及格线."""
    return competition.pass_mark if competition.prize_threshold is None else competition.prize_threshold


def _validated(competition: Competition, prize: str | None, threshold: float | None, winners: int, seed: str) -> tuple[str, float, str]:
    """Return (prize, threshold, seed) cleaned, or raise ValidationFailed naming each bad field."""
    errors: dict[str, str] = {}
    prize = normalise_text(prize or DEFAULT_PRIZE)
    if not prize or len(prize) > PRIZE_MAX:
        errors["prize"] = f"请填写奖项名称（不超过{PRIZE_MAX}个字）"
    elif FORBIDDEN_TEXT.search(prize) or has_hidden_characters(prize):
        errors["prize"] = "奖项名称中不能含有 < > & 引号 斜杠或不可见字符"  # it is published on the winners page
    seed = (seed or "").strip()
    if not seed or len(seed) > SEED_MAX or not seed.isprintable():
        errors["seed"] = f"请填写随机种子（1–{SEED_MAX}个可见字符）"
    if not isinstance(winners, int) or not 1 <= winners <= WINNERS_MAX:
        errors["winners"] = f"中奖人数须为 1–{WINNERS_MAX} 的整数"
    if threshold is None:
        threshold = default_threshold(competition)
    if not 0 <= threshold <= 100000:
        errors["threshold"] = "得分门槛须为不小于 0 的分数"
    if errors:
        raise ValidationFailed("；".join(errors.values()), fields=errors)
    return prize, float(threshold), seed


def preview_draw(competition_id: int, *, winners: int, seed: str, threshold: float | None = None, prize: str | None = None) -> DrawResult:
    """Compute the draw without recording it (a dry run); the same data and seed give the same result.

    *threshold* defaults to the competition's 抽奖资格分数 (``prize_threshold``, points) or,
    without one, its 及格线 (``pass_mark``); *prize* defaults to 幸运奖.

    Raises:
        NotFound: unknown competition.
        ValidationFailed: empty or over-long prize or seed, winners outside 1–1000, negative threshold.

    """
    competition = get_competition(competition_id)
    prize, threshold, seed = _validated(competition, prize, threshold, winners, seed)
    entrants = {participant.best_attempt_id: participant for participant in qualifying_entries(competition.id, threshold)}
    ranked = rank_entries(seed, list(entrants))[:winners]
    result = DrawResult(competition, prize, threshold, winners, seed, sorted(entrants))
    result.winners = [_winner(place, attempt_id, entrants[attempt_id], tick) for place, (attempt_id, tick) in enumerate(ranked, start=1)]
    return result


def _winner(place: int, attempt_id: int, participant: Participant, tick: str) -> Winner:
    return Winner(place, attempt_id, participant.id, participant.best_score, tick, mask_name(participant.name), participant.phone_masked)


def run_draw(
    competition_id: int,
    *,
    winners: int,
    seed: str,
    actor: str,
    threshold: float | None = None,
    prize: str | None = None,
    now: datetime | None = None,
) -> DrawResult:
    """Draw and record the winners of *prize*, with an audit entry (action ``draw``); commits.

    Raises:
        NotFound: unknown competition.
        ValidationFailed: bad inputs (see :func:`preview_draw`); no qualifying entry (``no_entries``).
        Conflict: the competition has not closed yet (``draw_before_close``), or this prize
            was already drawn for the competition (``draw_exists``).

    """
    now = now or utcnow()
    result = preview_draw(competition_id, winners=winners, seed=seed, threshold=threshold, prize=prize)
    competition = result.competition
    if competition.status_at(now) != "closed":
        raise Conflict("竞赛结束后才能正式抽奖（可以先预览）", code="draw_before_close")
    _refuse_second_draw(competition.id, result.prize)
    if not result.entries:
        message = f"没有得分达到 {result.threshold:g} 分的参赛者，无法抽奖"
        raise ValidationFailed(message, fields={"threshold": "没有符合条件的参赛者"}, code="no_entries")
    draw = PrizeDraw(
        competition_id=competition.id,
        prize=result.prize,
        threshold=result.threshold,
        winners_requested=result.winners_requested,
        seed=result.seed,
        created_by=actor,
        created_at=now,
        entries=result.entries,
        winners=[{key: value for key, value in vars(w).items() if key not in ("name", "phone")} for w in result.winners],
    )
    try:
        with db.session.begin_nested():
            db.session.add(draw)
    except IntegrityError:  # a concurrent draw of the same prize won the unique constraint
        db.session.rollback()
        _refuse_second_draw(competition.id, result.prize)
        raise
    db.session.flush()
    winner_ids = ",".join(str(winner.attempt_id) for winner in result.winners)
    detail = (
        f"抽奖 #{draw.id}「{result.prize}」种子 {result.seed}，门槛 {result.threshold:g} 分，"
        f"{len(result.entries)} 人参与，抽取 {len(result.winners)} 人；中奖答题 {winner_ids}"
    )
    record_audit(actor, "draw", target=f"competition:{competition.id}", detail=detail, now=now)
    db.session.commit()
    result.draw = draw
    return result


def _refuse_second_draw(competition_id: int, prize: str) -> None:
    existing = db.session.scalar(select(PrizeDraw).where(PrizeDraw.competition_id == competition_id, PrizeDraw.prize == prize))
    if existing is not None:
        db.session.rollback()
        when = format_local(existing.created_at, "%Y-%m-%d %H:%M")
        raise Conflict(f"本竞赛的「{prize}」已于 {when} 抽过奖（抽奖 #{existing.id}），同一奖项不能重复抽取", code="draw_exists")


def recorded_draws(competition_id: int) -> list[DrawResult]:
    """Return the competition's recorded draws, oldest first, with winners' names and numbers masked as they stand now."""
    query = select(PrizeDraw).where(PrizeDraw.competition_id == competition_id).order_by(PrizeDraw.created_at, PrizeDraw.id)
    draws = db.session.scalars(query).all()
    ids = {row["participant_id"] for draw in draws for row in draw.winners}
    people = {p.id: p for p in db.session.scalars(select(Participant).where(Participant.id.in_(ids)))} if ids else {}
    results = []
    for draw in draws:
        result = DrawResult(draw.competition, draw.prize, draw.threshold, draw.winners_requested, draw.seed, list(draw.entries), draw=draw)
        for row in draw.winners:
            person = people.get(row["participant_id"])
            name, phone = (mask_name(person.name), person.phone_masked) if person else ("", "")
            result.winners.append(Winner(row["rank"], row["attempt_id"], row["participant_id"], row["score"], row["ticket"], name, phone))
        results.append(result)
    return results
