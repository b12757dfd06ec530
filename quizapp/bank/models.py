"""Question bank models.

A :class:`Question` is the editable item; every change creates a new
:class:`QuestionVersion`. Papers point at versions, so editing a question
never changes a paper already given or its score.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.timeutil import utcnow
from quizapp.core.types import JSONDoc, UTCDateTime
from quizapp.extensions import db

QUESTION_TYPES = ("single_choice", "multiple_choice", "true_false", "fill_blank")
TYPE_LABELS = {"single_choice": "单选题", "multiple_choice": "多选题", "true_false": "判断题", "fill_blank": "填空题"}


class Question(db.Model):
    """A bank question (题目), identified across imports by its stable ``uid``."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_draw", "category", "type", "difficulty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(200), default="")
    difficulty: Mapped[int] = mapped_column(default=3)
    tags: Mapped[list] = mapped_column(JSONDoc, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_version.id", use_alter=True, name="fk_question_current_version")
    )
    #: The lifecycle item (kind ``question``) whose live revision is the current version; see quizapp.bank.lifecycle.
    #: No ON DELETE: items are never deleted (SQLite could not reflect the option for ``db check``).
    item_id: Mapped[int | None] = mapped_column(ForeignKey("content_item.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    item = relationship("Item", foreign_keys=[item_id])

    @property
    def type_label(self) -> str:
        """Return the Chinese name of the type (单选题 …)."""
        return TYPE_LABELS[self.type]


class QuestionVersion(db.Model):
    """One immutable version of a question: stem, options, key, points.

    Shapes (JSON columns):
        options: ``[{"id": "<opaque>", "text": "…"}]`` in authoring order (choice types).
        key: single_choice ``"<option id>"``; multiple_choice ``["<option id>", …]``;
             true_false ``true|false``; fill_blank ``[["accepted", "alternative"], …]`` per blank.
        legal_basis: ``[{"law": "安全生产法", "article": 28, "quote": "…"}]``.
    """

    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    type: Mapped[str] = mapped_column(String(20))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list] = mapped_column(JSONDoc, default=list)
    key: Mapped[object] = mapped_column("answer_key", JSONDoc)
    explanation: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[list] = mapped_column(JSONDoc, default=list)
    points: Mapped[float | None] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    @property
    def blank_count(self) -> int:
        """Return the number of blanks (fill_blank), else 0."""
        return len(self.key) if self.type == "fill_blank" else 0


class QuestionFacet(db.Model):
    """One searchable value of a question for the bank browser: ``facet`` is ``law`` or ``tag``.

    Kept by :func:`quizapp.bank.services.save_question` (law names of the current version's
    legal basis, the question's tags) so the law and tag filters use an index, not JSON.
    """

    __tablename__ = "question_facet"
    __table_args__ = (Index("ix_question_facet_value", "facet", "value", "question_id"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


UPLOAD_STATES = ("checked", "rejected", "imported")
UPLOAD_STATE_LABELS = {"checked": "待确认", "rejected": "有错误，未导入", "imported": "已导入"}


class BankUpload(db.Model):
    """A bank file uploaded in the workspace, kept in the database until it is imported.

    ``status``: ``checked`` (dry run done, waiting for confirmation), ``rejected`` (the dry
    run or the import found errors: nothing imported), ``imported``. ``report`` is the
    :meth:`~quizapp.bank.formats.report.ImportReport.as_dict` of the dry run; ``result`` that
    of the import. ``uploader`` is the actor (``staff:<id>``); times are UTC.
    """

    __tablename__ = "bank_upload"
    __table_args__ = (Index("ix_bank_upload_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(20), default="")
    category: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploader: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="checked")
    report: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    result: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    confirmed_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_label(self) -> str:
        """Return the Chinese name of the status."""
        return UPLOAD_STATE_LABELS[self.status]
