"""Competition models: the event, its participants, their attempts and responses."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.errors import Conflict
from quizapp.core.timeutil import utcnow
from quizapp.core.types import JSONDoc, UTCDateTime
from quizapp.extensions import db

GROUPS = {"public": "社会群众", "practitioner": "从业人员"}
#: Who may take part (``Competition.audience``): everyone, or one of :data:`GROUPS`.
AUDIENCES = {"all": "社会群众和从业人员", "public": "仅社会群众", "practitioner": "仅从业人员"}
OTHER_ORGANIZATION = "其他"


class Competition(db.Model):
    """A 知识竞赛: an open window, a paper rule, limits and ranking.

    ``paper_rule`` shape: ``{"fixed": ["<question uid>", …]}`` or
    ``{"rules": [{"category": "安全生产法", "type": "single_choice", "count": 10,
    "difficulty": [1, 2]}]}``; ``default_points`` maps type → points.
    """

    __tablename__ = "competition"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_limit_s: Mapped[int] = mapped_column(default=900)
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    pass_mark: Mapped[float] = mapped_column(default=60)
    partial_credit_multiple: Mapped[bool] = mapped_column(default=False)
    organizations: Mapped[list] = mapped_column(JSONDoc, default=list)
    allow_other_organization: Mapped[bool] = mapped_column(default=True)
    #: ``all`` or a :data:`GROUPS` key: the groups whose entry is accepted (see :data:`AUDIENCES`).
    audience: Mapped[str] = mapped_column(String(20), default="all", server_default="all")
    #: 有奖问答 settings shown on the competition page: what is won, the score (points) that
    #: qualifies for the draw (``None``: the pass mark) and how many winners are planned.
    prize_description: Mapped[str] = mapped_column(Text, default="", server_default="")
    prize_threshold: Mapped[float | None] = mapped_column()
    prize_winners: Mapped[int | None] = mapped_column()
    #: Set when staff create or edit the competition in the workspace; content sync then
    #: leaves it alone and reports a conflict (see :func:`quizapp.content.sync.sync_competition`).
    staff_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    default_points: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    paper_rule: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Shown to the public: the home page, the JSON API list, its page, leaderboard and start
    #: (:func:`quizapp.contests.services.get_public_competition`). A competition made in code
    #: starts as a draft (草稿, 未发布) until staff publish it (:func:`quizapp.contests.actions.publish`);
    #: rows older than the column (server default) and content files without ``status: draft``
    #: are published.
    is_published: Mapped[bool] = mapped_column(default=False, server_default=true())
    #: Days after ``ends_at`` that participants' names and numbers are kept (个人信息保护法
    #: 第十九条, 第四十七条); ``None`` keeps them. See :mod:`quizapp.contests.erasure`.
    retention_days: Mapped[int | None] = mapped_column()

    def erasure_due_at(self) -> datetime | None:
        """Return when the retention period ends (UTC), or None without a period or an end."""
        if self.retention_days is None or self.ends_at is None:
            return None
        return self.ends_at + timedelta(days=self.retention_days)

    def status_at(self, now: datetime) -> str:
        """Return ``upcoming``, ``open`` or ``closed`` at *now* (aware UTC)."""
        if now < self.starts_at:
            return "upcoming"
        if self.ends_at is not None and now >= self.ends_at:
            return "closed"
        return "open"

    @property
    def status(self) -> str:
        """Return the status on the server clock now."""
        return self.status_at(utcnow())

    @property
    def is_open(self) -> bool:
        """Return whether attempts may start now."""
        return self.status == "open"


class Participant(db.Model):
    """A person taking part in one competition (参赛者), keyed by the phone HMAC.

    The number itself is stored only Fernet-encrypted (``phone_encrypted``) and
    masked (``phone_masked``); ``phone_hmac`` serves lookups and attempt counting.
    Ranking columns (``best_*``) hold the participant's best submitted attempt,
    so the leaderboard is one index scan. ``extra_attempts`` are granted by staff
    on top of the competition's allowance. ``erased_at`` is set when the name and
    number were erased (:mod:`quizapp.contests.erasure`); the row, its 单位, group
    and scores stay for statistics.
    """

    __tablename__ = "participant"
    __table_args__ = (
        UniqueConstraint("competition_id", "phone_hmac"),
        Index("ix_participant_organization", "competition_id", "organization"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    phone_encrypted: Mapped[str] = mapped_column(Text)
    phone_hmac: Mapped[str] = mapped_column(String(64))
    phone_masked: Mapped[str] = mapped_column(String(20))
    organization: Mapped[str] = mapped_column(String(100))
    group: Mapped[str] = mapped_column("participant_group", String(20))
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    best_attempt_id: Mapped[int | None] = mapped_column()
    best_score: Mapped[float | None] = mapped_column()
    best_duration_s: Mapped[int | None] = mapped_column()
    best_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extra_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship()

    @property
    def is_erased(self) -> bool:
        """Return whether the name and number have been erased."""
        return self.erased_at is not None

    @property
    def attempts_allowed(self) -> int:
        """Return the attempts this participant may start: the competition's allowance plus grants."""
        return self.competition.attempts_allowed + (self.extra_attempts or 0)

    def offer_result(self, attempt: Attempt) -> None:
        """Keep *attempt* as the best if it ranks above the current best."""
        candidate = (-attempt.score, attempt.duration_s, attempt.submitted_at)
        if self.best_score is None or candidate < (-self.best_score, self.best_duration_s, self.best_submitted_at):
            self.best_attempt_id = attempt.id
            self.best_score = attempt.score
            self.best_duration_s = attempt.duration_s
            self.best_submitted_at = attempt.submitted_at


class Attempt(db.Model):
    """One sitting (答题) of a participant: its paper, deadline and result.

    ``token_hash`` is the SHA-256 of the bearer token handed out once at start.
    ``deadline_at`` is the earlier of start + time limit and the competition's end.
    """

    __tablename__ = "attempt"
    __table_args__ = (
        Index("ix_attempt_open_deadline", "status", "deadline_at"),
        # At most one open attempt per participant, enforced by the database so two
        # racing starts cannot both succeed (SQLite has no SELECT … FOR UPDATE).
        Index(
            "uq_attempt_one_open_per_participant",
            "participant_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="open")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column()
    max_score: Mapped[float] = mapped_column(default=0)
    duration_s: Mapped[int | None] = mapped_column()
    passed: Mapped[bool | None] = mapped_column()

    competition: Mapped[Competition] = relationship()
    participant: Mapped[Participant] = relationship()
    items: Mapped[list[PaperItem]] = relationship(
        order_by="PaperItem.position", back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        """Return whether the attempt still takes responses (status, not clock)."""
        return self.status == "open"

    def remaining_s(self, now: datetime) -> int:
        """Return whole seconds left before the deadline at *now* (0 when past)."""
        return max(0, int((self.deadline_at - now).total_seconds()))

    def accepts_at(self, now: datetime, grace_s: int) -> bool:
        """Return whether a response or submit at *now* is within deadline + grace."""
        return self.is_open and now <= self.deadline_at + timedelta(seconds=grace_s)

    def closing_values(self, score: float, submitted_at: datetime, pass_mark: float) -> dict:
        """Return the column values that close this attempt with *score*.

        ``submitted_at`` is capped at the deadline (the grace period never adds
        time) and ``duration_s`` counts whole seconds from start to it.

        Raises:
            Conflict: when the attempt is already closed.

        """
        if not self.is_open:
            raise Conflict("本次答题已经交卷", code="already_submitted")
        closed_at = min(submitted_at, self.deadline_at)
        return {
            "status": "submitted",
            "submitted_at": closed_at,
            "duration_s": max(0, int((closed_at - self.started_at).total_seconds())),
            "score": score,
            "passed": score >= pass_mark,
        }


class PaperItem(db.Model):
    """One question of an attempt's paper (试卷), pinned to a question version.

    ``option_order`` lists the version's option ids in the order shown (labels
    A, B, C … follow it). ``answer`` holds the saved response (the API shape of
    the type) and ``points_awarded`` its grade once the attempt is scored.
    """

    __tablename__ = "paper_item"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    option_order: Mapped[list] = mapped_column(JSONDoc, default=list)
    points: Mapped[float] = mapped_column()
    answer: Mapped[object | None] = mapped_column(JSONDoc)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    points_awarded: Mapped[float | None] = mapped_column()
    is_correct: Mapped[bool | None] = mapped_column()

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version = relationship("QuestionVersion")

    @property
    def is_answered(self) -> bool:
        """Return whether a response has been saved."""
        return self.answer is not None


class PrizeDraw(db.Model):
    """A recorded 抽奖 (:mod:`quizapp.contests.draws`): who drew what with which seed, and the result.

    ``entries`` lists the attempt ids that took part (sorted ascending) and ``winners``
    ``[{"rank", "attempt_id", "participant_id", "score", "ticket"}, …]`` in draw order,
    so anyone can re-run the draw from the published seed. Names and numbers are not
    copied here: pages read them (masked) from the participant, so erasure reaches them.
    One draw per prize of a competition (``uq_prize_draw_prize``).
    """

    __tablename__ = "prize_draw"
    __table_args__ = (UniqueConstraint("competition_id", "prize", name="uq_prize_draw_prize"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    prize: Mapped[str] = mapped_column(String(60))
    threshold: Mapped[float] = mapped_column()
    winners_requested: Mapped[int] = mapped_column()
    seed: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    entries: Mapped[list] = mapped_column(JSONDoc, default=list)
    winners: Mapped[list] = mapped_column(JSONDoc, default=list)

    competition: Mapped[Competition] = relationship()


Index(
    "ix_participant_leaderboard",
    Participant.competition_id,
    Participant.best_score.desc(),
    Participant.best_duration_s,
    Participant.best_submitted_at,
)


class StatisticsSnapshot(db.Model):
    """The stored statistics of one competition (:mod:`quizapp.contests.statistics_store`).

    As Moodle's quiz_statistics report does, the figures are computed once, stored with
    the time (``computed_at``, UTC) and the source they came from, and reused while that
    source is unchanged. ``fingerprint`` is the cheap summary of the attempts and
    participants the figures were computed from (see ``statistics_store.source_fingerprint``);
    ``data`` the figures as JSON (``None`` until first computed); ``compute_ms`` how long
    the computation took (milliseconds). ``claimed_until`` (UTC) is set by the scheduled
    job while it recomputes, so two runs never compute the same competition at once.
    """

    __tablename__ = "statistics_snapshot"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict | None] = mapped_column(JSONDoc)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    compute_ms: Mapped[int | None] = mapped_column()
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


#: Status of an :class:`ExportJob`, in Chinese for the results page.
EXPORT_STATUSES = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败"}


class ExportJob(db.Model):
    """A results export built in the background (:mod:`quizapp.contests.export_jobs`) for a large competition.

    ``is_full`` is fixed when the job is requested (an admin's full-number export, or a masked
    one) and never changes; ``filters`` holds the results list's filters as
    ``{"organization", "group", "passed", "text"}``. ``status`` moves queued → running (claimed
    by a conditional UPDATE) → done or failed. The finished file is stored in
    :class:`ExportChunk` rows so that any app instance can serve it; ``size_bytes`` is its
    length. ``error`` says why a job failed. Jobs and their files are deleted a retention
    period after ``finished_at`` (个人信息保护法 第十九条).
    """

    __tablename__ = "export_job"
    __table_args__ = (
        Index("ix_export_job_competition", "competition_id", "created_at"),
        Index("ix_export_job_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competition.id", ondelete="CASCADE"))
    is_full: Mapped[bool] = mapped_column(default=False)
    filters: Mapped[dict] = mapped_column(JSONDoc, default=dict)
    requested_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    size_bytes: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(300), default="")

    competition: Mapped[Competition] = relationship()

    @property
    def status_label(self) -> str:
        """Return the status in Chinese (排队中 / 生成中 / 已完成 / 失败)."""
        return EXPORT_STATUSES.get(self.status, self.status)


class ExportChunk(db.Model):
    """One piece (at most ``export_jobs.CHUNK_BYTES``) of a stored export file, in order of ``position`` from 0."""

    __tablename__ = "export_chunk"

    job_id: Mapped[int] = mapped_column(ForeignKey("export_job.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
