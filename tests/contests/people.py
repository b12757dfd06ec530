"""Participants and submitted attempts made directly in the database, with chosen ids and scores.

Draw, erasure and support tests need exact attempt ids (the draw's tickets are computed
by hand from them) and scores; the competition flow itself is tested elsewhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quizapp.contests.models import Attempt, Competition, Participant
from quizapp.extensions import db
from quizapp.privacy.phone import encrypt_phone, mask_phone, phone_lookup_hash

#: name, phone, [(attempt id, score)] — see tests/contests/test_draws.py for the hand-computed tickets.
PEOPLE = [
    ("张三", "13800138000", [(11, 50), (16, 80)]),
    ("李四", "13900139000", [(12, 90)]),
    ("王五", "13700137000", [(13, 55)]),
    ("赵六", "13600136000", [(14, 70)]),
    ("钱七", "13500135000", [(15, 60)]),
    ("孙八", "13300133000", [(17, 100), (18, 95)]),
]


def make_competition(now: datetime, *, closed: bool = True, **values) -> Competition:
    """Add a competition that ended a day before *now* (or ends a day after), pass mark 60."""
    competition = Competition(
        slug=values.pop("slug", "draw-test"),
        title=values.pop("title", "抽奖测试竞赛"),
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=1) if closed else now + timedelta(days=1),
        pass_mark=60,
        attempts_allowed=values.pop("attempts_allowed", 2),
        organizations=["甲单位", "乙单位"],
        paper_rule={"fixed": []},
        is_published=values.pop("is_published", True),
        **values,
    )
    db.session.add(competition)
    db.session.flush()
    return competition


def make_participant(competition: Competition, name: str, phone: str, attempts: list[tuple[int, float]], now: datetime) -> Participant:
    """Add a participant with submitted attempts of the given ids and scores (points); best kept as the app does."""
    participant = Participant(
        competition_id=competition.id,
        name=name,
        phone_encrypted=encrypt_phone(phone),
        phone_hmac=phone_lookup_hash(phone),
        phone_masked=mask_phone(phone),
        organization=competition.organizations[0],
        group="public",
        consent_at=now - timedelta(days=5),
    )
    db.session.add(participant)
    db.session.flush()
    for attempt_id, score in attempts:
        started = now - timedelta(days=5, minutes=attempt_id)
        attempt = Attempt(
            id=attempt_id,
            competition_id=competition.id,
            participant_id=participant.id,
            token_hash="0" * 64,
            seed="s",
            status="submitted",
            started_at=started,
            deadline_at=started + timedelta(minutes=15),
            submitted_at=started + timedelta(minutes=5),
            duration_s=300,
            score=score,
            max_score=100,
            passed=score >= competition.pass_mark,
        )
        db.session.add(attempt)
        db.session.flush()
        participant.offer_result(attempt)
    return participant


def make_people(competition: Competition, now: datetime) -> dict[str, Participant]:
    """Add :data:`PEOPLE` to *competition* and commit; returns them by name."""
    people = {name: make_participant(competition, name, phone, attempts, now) for name, phone, attempts in PEOPLE}
    db.session.commit()
    return people


def audit_rows(action: str) -> list[tuple[str, str, str]]:
    """Return ``(actor, target, detail)`` of the audit rows of *action*, oldest first."""
    from sqlalchemy import select

    from quizapp.publishing.models import AuditLog

    rows = db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)).all()
    return [(row.actor, row.target, row.detail) for row in rows]
