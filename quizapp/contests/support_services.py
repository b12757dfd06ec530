"""Participant support (参赛者服务): find an attempt, close a stuck one, grant an extra attempt.

Decisions (documented in ``docs/participant-support.md``):
- Search takes an attempt id (``#123`` or ``123``), a masked number ``138****1234``, the
  last four digits together with the name, or the full number, which is turned into its
  lookup HMAC at once and never stored or logged.
- Resetting a stuck attempt closes it **scored as it stands** at that moment (the same
  rule as the deadline: every answer saved on the server counts). Nothing is voided, so
  scores, rankings and statistics never lose an attempt; if the person should have another
  go, staff also grant an extra attempt, with its own reason.
- An extra attempt adds one to the participant's allowance (``Participant.extra_attempts``,
  counted by :func:`quizapp.contests.services.start_attempt`).
Each change needs a reason and writes an audit row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from quizapp.contests.erasure import clean_reason
from quizapp.contests.models import Attempt, Participant
from quizapp.contests.services import submit_attempt
from quizapp.core.errors import Conflict, NotFound, ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.privacy.phone import normalize_phone, phone_lookup_hash
from quizapp.publishing.services import record_audit

MASKED = re.compile(r"^1\d{2}\*{4}\d{4}$")
ATTEMPT_ID = re.compile(r"^#?(\d{1,9})$")
LAST_FOUR = re.compile(r"^\d{4}$")
RESULT_LIMIT = 50
SEARCH_HELP = "答题编号（如 #123）、带星号的手机号（138****1234）、完整手机号，或手机号后四位加姓名"


@dataclass(frozen=True)
class SupportRow:
    """One participant found, with their attempts (newest first) and attempts used / allowed."""

    participant: Participant
    attempts: list[Attempt]
    attempts_allowed: int

    @property
    def attempts_used(self) -> int:
        """Return how many attempts were started (open or closed)."""
        return len(self.attempts)


def find_participants(query: str, name: str = "", competition_id: int | None = None) -> list[SupportRow]:
    """Return the participants (≤ 50, newest first) that *query* names, optionally within one competition.

    *query* forms: ``#123``/``123`` attempt id; ``138****1234`` masked number; ``1234``
    with *name* (last four digits + exact name); an 11-digit number (spaces, +86 and
    full-width digits allowed), matched by its HMAC. Erased participants are found only
    by attempt id.

    Raises:
        ValidationFailed: empty or unrecognised query, or last four digits without a name
            (field ``query``/``name``).

    """
    text = "".join((query or "").split())
    name = (name or "").strip()
    conditions = []
    if LAST_FOUR.match(text) and name:
        conditions = [Participant.phone_masked.like(f"%****{text}"), Participant.name == name]
    elif MASKED.match(text):
        conditions = [Participant.phone_masked == text]
        if name:
            conditions.append(Participant.name == name)
    elif ATTEMPT_ID.match(text):
        attempt = db.session.get(Attempt, int(ATTEMPT_ID.match(text).group(1)))
        conditions = [Participant.id == (attempt.participant_id if attempt else -1)]
    elif text:
        try:
            phone = normalize_phone(text)
        except ValidationFailed:
            raise ValidationFailed(f"无法识别的查询：请输入{SEARCH_HELP}", fields={"query": "无法识别的查询"}) from None
        conditions = [Participant.phone_hmac == phone_lookup_hash(phone)]
    else:
        raise ValidationFailed(f"请输入{SEARCH_HELP}", fields={"query": "请输入查询内容"})
    if competition_id is not None:
        conditions.append(Participant.competition_id == competition_id)
    participants = db.session.scalars(select(Participant).where(*conditions).order_by(Participant.id.desc()).limit(RESULT_LIMIT)).all()
    return [_row(participant) for participant in participants]


def _row(participant: Participant) -> SupportRow:
    attempts = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id).order_by(Attempt.id.desc())).all()
    return SupportRow(participant, list(attempts), participant.attempts_allowed)


def participant_row(participant_id: int) -> SupportRow:
    """Return one participant with their attempts, or raise NotFound."""
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("参赛者不存在")
    return _row(participant)


def get_attempt(attempt_id: int) -> Attempt:
    """Return the attempt or raise NotFound."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("答题记录不存在")
    return attempt


def reset_attempt(attempt_id: int, *, actor: str, reason: str, now: datetime | None = None) -> Attempt:
    """Close a stuck open attempt, scored as it stands at *now*; audit ``reset_attempt`` on ``attempt:<id>``; commits.

    Raises:
        NotFound: no such attempt.
        ValidationFailed: empty or over-long *reason*.
        Conflict: the attempt is already closed (``already_submitted``), e.g. a second submit.

    """
    now = now or utcnow()
    reason = clean_reason(reason)
    attempt = get_attempt(attempt_id)
    if not attempt.is_open:
        raise Conflict(f"答题 #{attempt_id} 已经交卷（得分 {attempt.score:g}），无需重置", code="already_submitted")
    submit_attempt(attempt, now)  # commits; a racing submit or sweep closing it first gives the same result
    detail = f"按已保存的答案交卷，得分 {attempt.score:g}（参赛者 #{attempt.participant_id}）：{reason}"
    record_audit(actor, "reset_attempt", target=f"attempt:{attempt.id}", detail=detail, now=now)
    db.session.commit()
    return attempt


def grant_extra_attempt(
    participant_id: int, *, actor: str, reason: str, expected: int | None = None, now: datetime | None = None
) -> Participant:
    """Give the participant one more attempt; audit ``grant_attempt`` on ``participant:<id>``; commits.

    *expected* is the ``extra_attempts`` value the staff member saw: when it no longer
    matches (a repeated submit, or a colleague granted one meanwhile) nothing changes.

    Raises:
        NotFound: no such participant.
        ValidationFailed: empty or over-long *reason*.
        Conflict: erased participant (``erased``), closed competition (``competition_closed``),
            or *expected* out of date (``stale``).

    """
    now = now or utcnow()
    reason = clean_reason(reason)
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("参赛者不存在")
    if participant.is_erased:
        raise Conflict("该参赛者的个人信息已删除，不能再增加答题次数", code="erased")
    if participant.competition.status_at(now) == "closed":
        raise Conflict("竞赛已结束，增加答题次数已无意义", code="competition_closed")
    current = participant.extra_attempts if expected is None else expected
    result = db.session.execute(
        update(Participant)
        .where(Participant.id == participant_id, Participant.extra_attempts == current)
        .values(extra_attempts=Participant.extra_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict("答题次数已被修改（可能是重复提交），请刷新后再确认", code="stale")
    allowed = participant.competition.attempts_allowed + current + 1
    detail = f"增加 1 次答题机会（共 {allowed} 次）：{reason}"
    record_audit(actor, "grant_attempt", target=f"participant:{participant_id}", detail=detail, now=now)
    db.session.commit()
    db.session.refresh(participant)
    return participant

