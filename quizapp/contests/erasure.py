"""Erasing participants' personal information (个人信息保护法): after the retention period, or on request.

Rules: personal information is kept no longer than the purpose needs and is deleted
when the retention period ends or the person asks (个人信息保护法 第十九条, 第四十七条).
Erasure overwrites, in the participant row, the name with ``已删除``, the encrypted
number with ``""``, the masked number with ``已删除`` and the lookup HMAC with
``erased:<participant id>`` (unique, and never equal to an HMAC of any number), and sets
``erased_at``. Nothing is kept from which they could be recovered; 单位, group, consent
time, attempts, answers and scores stay, so rankings and statistics still add up.
Attempt ids and prize draws keep working; pages show ``已删除``. The competition's stored
results exports (which hold the names and numbers as they were) are deleted in the same
transaction (:func:`quizapp.contests.export_jobs.discard_exports`).

A person erased while the competition is still open is a stranger to it afterwards:
entering again with the same number creates a new participant.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, literal, select, update

from quizapp.contests.export_jobs import discard_exports
from quizapp.contests.models import Competition, Participant
from quizapp.core.errors import NotFound, ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.privacy.phone import ERASED
from quizapp.publishing.services import record_audit

REASON_MAX = 200
ERASED_HMAC_PREFIX = "erased:"


def _erased_values(now: datetime) -> dict:
    """Return the column values of an erased participant (usable in an UPDATE over many rows)."""
    return {
        "name": ERASED,
        "phone_encrypted": "",
        "phone_masked": ERASED,
        "phone_hmac": literal(ERASED_HMAC_PREFIX) + cast(Participant.id, String),
        "erased_at": now,
    }


def clean_reason(reason: str | None) -> str:
    """Return the stripped reason (1–200 characters) or raise ValidationFailed (field ``reason``)."""
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(f"请填写原因（不超过{REASON_MAX}个字）", fields={"reason": f"请填写原因（不超过{REASON_MAX}个字）"})
    return reason


def erase_participant(participant_id: int, *, actor: str, reason: str, now: datetime | None = None) -> bool:
    """Erase one participant's name and number on request; audit ``erase`` on ``participant:<id>``; commits.

    Returns True when erased now, False when it had been erased already (a second
    submit changes nothing and writes no audit row).

    Raises:
        NotFound: no such participant.
        ValidationFailed: empty or over-long *reason*.

    """
    now = now or utcnow()
    reason = clean_reason(reason)
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise NotFound("参赛者不存在")
    result = db.session.execute(
        update(Participant)
        .where(Participant.id == participant_id, Participant.erased_at.is_(None))
        .values(**_erased_values(now))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    detail = f"应本人要求删除姓名和手机号（竞赛 #{participant.competition_id}）：{reason}"
    record_audit(actor, "erase", target=f"participant:{participant_id}", detail=detail, now=now)
    discard_exports(participant.competition_id)
    db.session.commit()
    db.session.refresh(participant)
    return True


def erase_expired(actor: str, now: datetime | None = None) -> dict[int, int]:
    """Erase names and numbers of every competition whose retention period has ended; commits.

    A competition's period ends ``retention_days`` days after ``ends_at`` (UTC); without
    either it never ends. Returns ``{competition id: participants erased in this run}``
    for the competitions where any were; writes one audit row (``erase`` on
    ``competition:<id>``, by *actor*, the scheduler's ``system:scheduler``) for each. Safe to run twice: erased rows are skipped.
    """
    now = now or utcnow()
    competitions = db.session.scalars(
        select(Competition).where(Competition.retention_days.is_not(None), Competition.ends_at.is_not(None)).order_by(Competition.id)
    ).all()
    erased: dict[int, int] = {}
    for competition in competitions:
        if competition.erasure_due_at() > now:
            continue
        ids = list(
            db.session.scalars(
                update(Participant)
                .where(Participant.competition_id == competition.id, Participant.erased_at.is_(None))
                .values(**_erased_values(now))
                .returning(Participant.id)
                .execution_options(synchronize_session=False)
            )
        )
        if ids:
            erased[competition.id] = len(ids)
            detail = f"保存期限（竞赛结束后 {competition.retention_days} 天）届满，删除 {len(ids)} 名参赛者的姓名和手机号"
            record_audit(actor, "erase", target=f"competition:{competition.id}", detail=detail, now=now)
            discard_exports(competition.id)
    db.session.commit()
    db.session.expire_all()
    return erased
