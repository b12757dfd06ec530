"""Practice models: an anonymous :class:`Learner` and their mistake book (错题本).

A learner has no account: the id lives in a long-lived signed cookie on their
device (see :mod:`quizapp.practice.learner`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.bank.models import Question
from quizapp.core.timeutil import utcnow
from quizapp.core.types import UTCDateTime
from quizapp.extensions import db


class Learner(db.Model):
    """An anonymous learner, known by the random ``key`` (32 URL-safe characters) in their cookie."""

    __tablename__ = "learner"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MistakeBookEntry(db.Model):
    """One question in a learner's mistake book: how often it was answered wrong, and when last.

    Rule: a wrong answer adds the question (or counts once more); one right answer,
    in any practice, takes it out again.
    """

    __tablename__ = "mistake_book_entry"
    __table_args__ = (UniqueConstraint("learner_id", "question_id", name="uq_mistake_book_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    wrong_count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_wrong_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()

    def record_wrong(self, now: datetime) -> None:
        """Count one more wrong answer at *now*."""
        self.wrong_count += 1
        self.last_wrong_at = now
