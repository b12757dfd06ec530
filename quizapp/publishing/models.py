"""Publishing models: an item, its revisions, the audit log and the job heartbeat.

States (草稿 / 待审核 / 已排期 / 已发布 / 已归档)::

    draft ──submit──▶ in_review ──schedule──▶ scheduled ──(publish_at ≤ now)──▶ published ──archive──▶ archived
      │                   │ └────publish──────────────────────────────────────▶ published
      └────publish / schedule (staff with both roles, content sync)
    in_review / scheduled ──withdraw──▶ draft;   archived ──restore──▶ draft

Transitions are methods that raise :class:`InvalidTransition` on an invalid move and
never commit; each returns the :class:`AuditLog` row it added to the session.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.errors import Conflict
from quizapp.core.timeutil import utcnow
from quizapp.core.types import JSONDoc, UTCDateTime
from quizapp.extensions import db
from quizapp.search.fulltext import index_table

STATES = ("draft", "in_review", "scheduled", "published", "archived")
STATE_LABELS = {"draft": "草稿", "in_review": "待审核", "scheduled": "已排期", "published": "已发布", "archived": "已归档"}
SYSTEM_PREFIX = "system:"

#: Per-kind hooks run when a revision becomes live (``hook(item, revision)``), e.g. the question
#: kind saves a new bank version (:mod:`quizapp.bank.lifecycle`). Register with :func:`register_live_hook`.
LIVE_HOOKS: dict = {}


def register_live_hook(kind: str, hook) -> None:
    """Run ``hook(item, revision)`` whenever a revision of an item of *kind* becomes live (in the same transaction)."""
    LIVE_HOOKS[kind] = hook


#: Per-kind guards run before an item leaves the site through the workflow (archive, withdraw):
#: ``guard(item, action, now)`` raises :class:`~quizapp.core.errors.Conflict` to refuse, e.g. a
#: question that a live competition's paper still needs (:mod:`quizapp.contests.paper_guard`).
RETIRE_GUARDS: dict = {}


def register_retire_guard(kind: str, guard) -> None:
    """Run ``guard(item, action, now)`` before an item of *kind* is archived or withdrawn; it raises to refuse."""
    RETIRE_GUARDS[kind] = guard


class InvalidTransition(Conflict):
    """A state change that the lifecycle does not allow (409 ``invalid_transition``)."""

    code = "invalid_transition"


class Item(db.Model):
    """A piece of published content of one kind, identified across syncs by its stable ``uid``.

    The listing columns (``title`` … ``search_text``) are copied from the live revision
    when it becomes live, so lists, filters and search never parse JSON.
    """

    __tablename__ = "content_item"
    __table_args__ = (
        UniqueConstraint("kind", "period", name="uq_content_item_kind_period"),
        Index("ix_content_item_listing", "kind", "dated"),
        Index("ix_content_item_due", "status", "publish_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expire_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    live_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_revision.id", use_alter=True, name="fk_content_item_live_revision")
    )
    #: The revision submitted for review (any item) or, on a published item, waiting for its
    #: ``pending_publish_at`` while the live revision stays up (see quizapp/publishing/workflow.py).
    pending_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_revision.id", use_alter=True, name="fk_content_item_pending_revision")
    )
    #: When the pending revision of a published item replaces the live one (UTC); the sweep applies it.
    pending_publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    dated: Mapped[date | None] = mapped_column(Date)
    industry: Mapped[str | None] = mapped_column(String(60), index=True)
    category: Mapped[str | None] = mapped_column(String(120), index=True)
    period: Mapped[str | None] = mapped_column(String(7))
    is_featured: Mapped[bool] = mapped_column(default=False)
    body_text: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    live_revision: Mapped[Revision | None] = relationship(foreign_keys=[live_revision_id], post_update=True)
    pending_revision: Mapped[Revision | None] = relationship(foreign_keys=[pending_revision_id], post_update=True)

    @property
    def status_label(self) -> str:
        """Return the Chinese name of the status (已发布 …)."""
        return STATE_LABELS[self.status]

    def _move(self, to: str, allowed_from: tuple[str, ...], actor: str, action: str, now: datetime) -> AuditLog:
        if self.status not in allowed_from:
            raise InvalidTransition(f"不能从“{STATE_LABELS[self.status]}”{_ACTION_LABELS[action]}")
        entry = AuditLog(actor=actor, action=action, item=self, from_state=self.status, to_state=to, at=now)
        self.status = to
        db.session.add(entry)
        return entry

    def submit(self, actor: str, now: datetime | None = None) -> AuditLog:
        """Send a draft for review (draft → in_review)."""
        self._require_revision()
        return self._move("in_review", ("draft",), actor, "submit", now or utcnow())

    def schedule(self, publish_at: datetime, actor: str, now: datetime | None = None, revision: Revision | None = None) -> AuditLog:
        """Schedule *revision* (default: the latest) to go live at *publish_at* (aware, stored UTC).

        From draft, in_review or scheduled (rescheduling). Raises InvalidTransition otherwise,
        and ValueError for a naive *publish_at*.
        """
        if publish_at.tzinfo is None:
            raise ValueError("publish_at must be timezone-aware")
        entry = self._move("scheduled", ("draft", "in_review", "scheduled"), actor, "schedule", now or utcnow())
        self.publish_at = publish_at
        self.make_live(revision or self._require_revision())
        return entry

    def publish(self, actor: str, now: datetime | None = None, revision: Revision | None = None) -> AuditLog:
        """Publish *revision* (default: the latest) now (draft/in_review/scheduled → published)."""
        now = now or utcnow()
        entry = self._move("published", ("draft", "in_review", "scheduled"), actor, "publish", now)
        self.publish_at = self.publish_at if self.publish_at and self.publish_at <= now else now
        self.published_at = now
        self.make_live(revision or self._require_revision())
        return entry

    def archive(self, actor: str, now: datetime | None = None) -> AuditLog:
        """Take the item off the site (published/scheduled → archived)."""
        return self._move("archived", ("published", "scheduled"), actor, "archive", now or utcnow())

    def withdraw(self, actor: str, now: datetime | None = None) -> AuditLog:
        """Return an item under review or scheduled to draft."""
        return self._move("draft", ("in_review", "scheduled"), actor, "withdraw", now or utcnow())

    def restore(self, actor: str, now: datetime | None = None) -> AuditLog:
        """Return an archived item to draft, to be published again."""
        return self._move("draft", ("archived",), actor, "restore", now or utcnow())

    def make_live(self, revision: Revision) -> None:
        """Point at *revision*, copy its listing columns and run the kind's live hook, if any (status unchanged)."""
        if revision.item is not self and revision.item_id != self.id:
            raise ValueError("revision belongs to another item")
        self.live_revision = revision
        for column, value in (revision.listing or {}).items():
            setattr(self, column, _column_value(column, value))
        hook = LIVE_HOOKS.get(self.kind)
        if hook is not None:
            hook(self, revision)

    def latest_revision(self) -> Revision | None:
        """Return the newest revision (live or waiting), or None."""
        if self.id is None:
            return None
        return db.session.scalar(select(Revision).where(Revision.item_id == self.id).order_by(Revision.number.desc()).limit(1))

    def _require_revision(self) -> Revision:
        revision = self.latest_revision()
        if revision is None:
            raise InvalidTransition("内容为空，不能提交或发布", code="no_revision")
        return revision


def _column_value(column: str, value):
    if column == "dated" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


_ACTION_LABELS = {"submit": "提交审核", "schedule": "排期", "publish": "发布", "archive": "归档", "withdraw": "撤回", "restore": "恢复"}


class Revision(db.Model):
    """One immutable version of an item's content.

    Shapes:
        content: the kind's fields (see :mod:`quizapp.publicity.kinds`), Markdown as strings.
        listing: the item columns this revision sets when live
            (``title, summary, dated (ISO date), industry, category, period, is_featured, body_text, search_text``).
        actor: ``system:content-sync``, ``system:scheduler`` or a staff id such as ``staff:42``.
    """

    __tablename__ = "content_revision"
    __table_args__ = (UniqueConstraint("item_id", "number", name="uq_content_revision_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    content: Mapped[dict] = mapped_column(JSONDoc)
    listing: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item] = relationship(foreign_keys=[item_id])

    @property
    def is_system(self) -> bool:
        """Return whether a system actor (not staff) wrote this revision."""
        return self.actor.startswith(SYSTEM_PREFIX)


class AuditLog(db.Model):
    """Who did what to which item or target, from which state to which, and when (UTC). Rows are never updated.

    ``target`` names what is not a content item: ``"competition:5"``, ``"participant:12"``,
    ``"user:3"``, ``"draw:2"``, ``"question:<uid>"``. ``actor`` is ``staff:<id>`` or ``system:<job>``.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_item", "item_id", "at"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_target", "target", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("content_item.id", ondelete="SET NULL"))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str | None] = mapped_column(String(12))
    target: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[Item | None] = relationship(foreign_keys=[item_id])


class ItemPresence(db.Model):
    """Who has an item's edit page open: one row per (item, staff user), ``seen_at`` (UTC) refreshed by each visit and ping."""

    __tablename__ = "item_presence"

    item_id: Mapped[int] = mapped_column(ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobHeartbeat(db.Model):
    """The last run of a scheduled job: when (UTC) and what it did (``{"published": 2, …}``)."""

    __tablename__ = "job_heartbeat"

    job_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[dict] = mapped_column(JSONDoc, default=dict)


#: The item's ``search_text`` is indexed for /search: FTS5 on SQLite, a GIN index on PostgreSQL.
ITEM_FTS = "content_item_fts"
ITEM_GIN_INDEX = "ix_content_item_search_text"
index_table(Item.__table__, ITEM_FTS, ITEM_GIN_INDEX)
