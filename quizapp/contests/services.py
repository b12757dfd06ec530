"""Competition operations: start an attempt, save a response, submit, expire.

The rules (issue #2 contracts):
- deadline = the earlier of start + time limit and the competition's end;
  responses and submits are accepted up to ``RESPONSE_GRACE_S`` (10 s) after it;
- an attempt left open past deadline + grace is scored as it stands;
- attempts allowed are counted per phone HMAC (plus extra attempts granted by staff);
  a second open attempt is refused (409);
- submitting twice returns the same result (a conditional UPDATE decides the winner).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.bank.grading import grader_for
from quizapp.bank.models import QuestionVersion
from quizapp.bank.services import drawable_pool
from quizapp.contests.entrants import Entrant, find_or_create_participant, validate_entrant
from quizapp.contests.models import Attempt, Competition, PaperItem, Participant
from quizapp.contests.paper import PaperRuleError, build_paper
from quizapp.core.errors import Conflict, DomainError, NotFound, Unauthorized
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db

#: What a citizen reads when the competition's paper cannot be built (the detail is for staff only).
PAPER_UNAVAILABLE = "本竞赛暂时无法开始答题，请稍后再试或联系主办单位"
OPEN_ELSEWHERE = "该手机号已有一场未完成的答题，请在开始答题的设备（浏览器）上继续作答"


class CompetitionNotOpen(DomainError):
    """The competition is upcoming or closed (403)."""

    status = 403
    code = "competition_not_open"


class DeadlinePassed(DomainError):
    """A response or submit arrived after deadline + grace (403)."""

    status = 403
    code = "deadline_passed"


def get_competition(competition_id: int) -> Competition:
    """Return the competition or raise NotFound."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise NotFound("竞赛不存在")
    return competition


def get_public_competition(competition_id: int) -> Competition:
    """Return the competition if it is published (:attr:`Competition.is_published`), else raise NotFound.

    Every public page and API endpoint of one competition goes through here, so a draft
    answers 404 exactly like an id that never existed (its title does not leak).
    Staff preview a draft at ``/staff/competitions/<id>/preview``.
    """
    competition = get_competition(competition_id)
    if not competition.is_published:
        raise NotFound("竞赛不存在")
    return competition


def list_competitions(*, published_only: bool = True) -> list[Competition]:
    """Return the published competitions (every one with ``published_only=False``), soonest start first."""
    query = select(Competition).order_by(Competition.starts_at, Competition.id)
    if published_only:
        query = query.where(Competition.is_published.is_(True))
    return list(db.session.scalars(query))


def start_attempt(competition_id: int, entrant: Entrant, now: datetime | None = None) -> tuple[Attempt, str]:
    """Start an attempt and return it with its bearer token (shown once, stored hashed).

    Raises:
        NotFound: unknown or unpublished competition.
        CompetitionNotOpen: outside the window (403).
        ValidationFailed: bad name, phone, 单位, group or missing consent (422, per field).
        Conflict: an attempt is open (on this or another device) or the attempts allowed are used (409).
        PaperRuleError: the bank cannot satisfy the paper rule (409, with :data:`PAPER_UNAVAILABLE`;
            nothing is saved, the rule's detail goes to the log).

    """
    now = now or utcnow()
    competition = get_public_competition(competition_id)
    if competition.status_at(now) != "open":
        message = "竞赛尚未开始" if competition.status_at(now) == "upcoming" else "竞赛已结束"
        raise CompetitionNotOpen(message)
    name, phone, organization = validate_entrant(competition, entrant)
    try:
        # The paper is drawn before anything is written: on SQLite, pysqlite commits the
        # participant's SAVEPOINT by itself, so a rollback after it could not undo the row.
        seed, planned = _draw_paper(competition, now)
        participant = find_or_create_participant(competition, name, phone, organization, entrant.group, now)
        db.session.flush()
        _close_expired_attempts_of(participant, now)
        _check_may_start(competition, participant)
        token = secrets.token_urlsafe(32)
        attempt = _new_attempt(competition, participant, token, now, seed, planned)
        db.session.commit()
    except IntegrityError:  # a concurrent start won the one-open-attempt index
        db.session.rollback()
        raise Conflict(OPEN_ELSEWHERE, code="attempt_open_elsewhere") from None
    except PaperRuleError as exc:
        # One transaction: a start that cannot build its paper leaves no participant behind
        # (they would count in statistics and the year's 参与人次). Citizens get a plain message;
        # staff see the rule's problem on the competition's workspace page.
        db.session.rollback()
        current_app.logger.warning("competition %s: paper cannot be built: %s", competition_id, exc.message)
        raise PaperRuleError(PAPER_UNAVAILABLE) from None
    except Exception:
        db.session.rollback()
        raise
    _load_versions(attempt)  # the caller shows the paper: one query, not one per question
    return attempt, token


def _load_versions(attempt: Attempt) -> None:
    """Load the question versions of the attempt's paper in one query (``item.version`` then needs none)."""
    items = attempt.items
    ids = {item.question_version_id for item in items}
    versions = {version.id: version for version in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))}
    for item in items:
        set_committed_value(item, "version", versions[item.question_version_id])


def _check_may_start(competition: Competition, participant: Participant) -> None:
    """Refuse a second open attempt or one beyond the allowance (Conflict, 409)."""
    attempts = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)).all()
    open_attempt = next((attempt for attempt in attempts if attempt.is_open), None)
    if open_attempt is not None:
        retry_at = format_local(open_attempt.deadline_at + timedelta(seconds=_grace_s()), "%H:%M")
        db.session.rollback()
        raise Conflict(f"{OPEN_ELSEWHERE}；如无法回到原设备，可在 {retry_at} 后重新开始", code="attempt_open_elsewhere")
    if len(attempts) >= participant.attempts_allowed:  # the allowance plus staff grants
        db.session.rollback()
        raise Conflict(f"每人最多可参加{participant.attempts_allowed}次，您的次数已用完", code="attempts_used_up")


def _draw_paper(competition: Competition, now: datetime) -> tuple[str, list]:
    """Draw a paper from the bank live at *now*; return its seed and planned items. Raises PaperRuleError."""
    seed = secrets.token_hex(8)
    planned = build_paper(
        competition.paper_rule,
        drawable_pool(now),
        seed,
        shuffle_questions=competition.shuffle_questions,
        shuffle_options=competition.shuffle_options,
        default_points=competition.default_points or {},
    )
    return seed, planned


def _new_attempt(competition: Competition, participant: Participant, token: str, now: datetime, seed: str, planned: list) -> Attempt:
    """Create the attempt with the paper drawn by :func:`_draw_paper`."""
    deadline = now + timedelta(seconds=competition.time_limit_s)
    if competition.ends_at is not None:
        deadline = min(deadline, competition.ends_at)
    attempt = Attempt(
        competition_id=competition.id,
        participant_id=participant.id,
        token_hash=hash_token(token),
        seed=seed,
        started_at=now,
        deadline_at=deadline,
        max_score=sum(item.points for item in planned),
    )
    attempt.items = [
        PaperItem(position=index, question_version_id=item.candidate.version_id, option_order=list(item.option_order), points=item.points)
        for index, item in enumerate(planned, start=1)
    ]
    db.session.add(attempt)
    return attempt


def attempts_used(participant_id: int) -> int:
    """Return how many attempts the participant has started (open or closed)."""
    return db.session.scalar(select(func.count(Attempt.id)).where(Attempt.participant_id == participant_id))


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which an attempt token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def load_attempt(attempt_id: int, token: str | None, now: datetime | None = None) -> Attempt:
    """Return the attempt if *token* is its bearer token, scoring it first if it expired.

    Raises:
        NotFound: no such attempt, or its competition is not published (a content file set back
            to ``status: draft``; staff cannot withdraw a competition that has attempts).
        Unauthorized: missing or wrong token (401).

    """
    attempt = db.session.get(Attempt, attempt_id, options=[joinedload(Attempt.competition)])
    if attempt is None or not attempt.competition.is_published:
        raise NotFound("答题记录不存在")
    if not token or not hmac.compare_digest(attempt.token_hash, hash_token(token)):
        raise Unauthorized("无法验证答题凭证：请使用开始答题时的设备（浏览器）查看或继续")
    return refresh_attempt(attempt, now or utcnow())


def refresh_attempt(attempt: Attempt, now: datetime) -> Attempt:
    """Score an open attempt whose deadline + grace has passed, as it stands."""
    if attempt.is_open and not attempt.accepts_at(now, _grace_s()):
        _close(attempt, attempt.deadline_at)
    return attempt


def _grace_s() -> int:
    return int(current_app.config.get("RESPONSE_GRACE_S", 10))


@dataclass(frozen=True)
class SavedResponse:
    """What was stored for one paper item: its id, the answer (the stored shape, None when cleared), when (aware UTC)."""

    item_id: int
    answer: object
    answered_at: datetime


def save_response(attempt: Attempt, item_id: int, raw_answer: object, now: datetime | None = None) -> SavedResponse:
    """Validate and save the answer to one paper item; returns what was saved.

    The values are taken before the commit, which expires the item: reading them back
    afterwards would cost one more SELECT on every answer (bench/results.md).

    *raw_answer* has the API shape of the item's type (see ``quizapp.bank.grading``);
    ``None`` clears the saved answer.

    Raises:
        NotFound: the item is not on this attempt's paper.
        Conflict: the attempt is already submitted (409).
        DeadlinePassed: after deadline + grace (403).
        ValidationFailed: an answer of the wrong shape or with unknown options (422).

    """
    now = now or utcnow()
    # One row with its version, not the whole paper: this runs for every answer (bench/results.md).
    item = db.session.scalar(
        select(PaperItem).where(PaperItem.attempt_id == attempt.id, PaperItem.id == item_id).options(joinedload(PaperItem.version))
    )
    if item is None:
        raise NotFound("本试卷中没有这道题")
    _check_accepts(attempt, now)
    if raw_answer is None:
        answer = None
    else:
        version = item.version
        answer = grader_for(version.type).parse(raw_answer, item.option_order, version.blank_count)
    item.answer = answer
    item.answered_at = now
    saved = SavedResponse(item.id, answer, now)
    db.session.commit()
    return saved


def _check_accepts(attempt: Attempt, now: datetime) -> None:
    # Lateness first: load_attempt has already closed an attempt past deadline + grace,
    # and the caller must learn why (403 deadline_passed), not just that it is closed.
    if now > attempt.deadline_at + timedelta(seconds=_grace_s()):
        raise DeadlinePassed("答题时间已到，系统已按已保存的答案自动交卷")
    if attempt.status != "open":
        raise Conflict("本次答题已经交卷，答案不能再修改", code="already_submitted")


def submit_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Submit (交卷) and score the attempt; a second submit returns the same result.

    Past deadline + grace the attempt has already been scored as it stood
    (by :func:`load_attempt`), and that result is returned.
    """
    now = now or utcnow()
    if attempt.is_open:
        _close(attempt, now)
    return attempt


def _close(attempt: Attempt, submitted_at: datetime) -> None:
    """Grade every item and close the attempt once, even when two requests race.

    The conditional ``UPDATE … WHERE status = 'open'`` lets exactly one caller
    close it; the loser rolls back and reads the winner's result.
    """
    competition = attempt.competition
    _load_versions(attempt)
    grades = {item.id: _grade(item, competition.partial_credit_multiple) for item in attempt.items}
    score = round(sum(grade.points for grade in grades.values()), 2)
    values = attempt.closing_values(score, submitted_at, competition.pass_mark)
    result = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "open").values(**values)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return
    for item in attempt.items:
        item.points_awarded, item.is_correct = grades[item.id].points, grades[item.id].is_correct
    db.session.refresh(attempt, attribute_names=list(values))
    participant = db.session.scalar(select(Participant).where(Participant.id == attempt.participant_id).with_for_update())
    participant.offer_result(attempt)
    db.session.commit()


def _grade(item: PaperItem, partial: bool):
    version = item.version
    return grader_for(version.type).grade(version.key, item.answer, item.points, partial=partial)


def expire_overdue_attempts(now: datetime | None = None) -> int:
    """Score every open attempt past deadline + grace as it stands; return how many.

    Safe to run twice and concurrently with requests (each close is conditional).
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=_grace_s())
    overdue = db.session.scalars(select(Attempt).where(Attempt.status == "open", Attempt.deadline_at < cutoff)).all()
    for attempt in overdue:
        _close(attempt, attempt.deadline_at)
    return len(overdue)


def _close_expired_attempts_of(participant: Participant, now: datetime) -> None:
    for attempt in db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id, Attempt.status == "open")):
        refresh_attempt(attempt, now)

