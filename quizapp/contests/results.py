"""Results of one competition (成绩): the participants list for staff and the .xlsx export.

Phone numbers are personal information (个人信息保护法 第二十八条、第五十一条): lists and
ordinary exports show the masked form (``138****1234``); only an admin's full export
decrypts ``Participant.phone_encrypted``, and each full export writes an audit row
(action ``export_full``, target ``competition:<id>``) before the file is handed out.
Role checks are the views'; this module only does what it is asked and records who.

Rows follow the ranking (best score desc, duration asc, submit time asc); participants
without a result come last, by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from quizapp.contests.models import GROUPS, Attempt, Competition, Participant
from quizapp.contests.services import get_competition
from quizapp.core.errors import ValidationFailed
from quizapp.core.pagination import checked_page, page_count
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db
from quizapp.privacy.phone import phone_decrypter
from quizapp.publishing.services import record_audit
from quizapp.reports.workbook import add_sheet, append_row, build_workbook

PER_PAGE = 50
#: Rows fetched per round trip while exporting: memory stays flat however large the competition.
EXPORT_BATCH = 500
STATUS_LABELS = {"open": "答题中", "submitted": "已交卷"}


@dataclass(frozen=True)
class ResultFilter:
    """Which participants to list or export; ``None``/empty means "any".

    ``group`` is ``public`` or ``practitioner``; ``passed`` True/False keeps those whose best
    attempt passed/failed (participants without a result are neither); ``text`` matches a
    name or a masked number (``138****1234``, or its last four digits) by substring.
    """

    organization: str | None = None
    group: str | None = None
    passed: bool | None = None
    text: str = ""

    def apply(self, query: Select, best: type[Attempt]) -> Select:
        """Return *query* narrowed by this filter (*best* is the aliased best attempt)."""
        if self.organization:
            query = query.where(Participant.organization == self.organization)
        if self.group:
            query = query.where(Participant.group == self.group)
        if self.passed is not None:
            query = query.where(best.passed.is_(self.passed))
        text = (self.text or "").strip()
        if text:
            pattern = f"%{_escape_like(text)}%"
            query = query.where(or_(Participant.name.like(pattern, escape="\\"), Participant.phone_masked.like(pattern, escape="\\")))
        return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class ParticipantResult:
    """One participant's line: identity (masked number), attempts started and their best result.

    ``best_score`` in points, ``best_duration_s`` in seconds, ``best_submitted_at`` aware UTC;
    all three and ``passed`` are None before a first submitted attempt.
    """

    id: int
    name: str
    phone_masked: str
    organization: str
    group: str
    attempts: int
    best_score: float | None
    best_duration_s: int | None
    best_submitted_at: datetime | None
    passed: bool | None

    @property
    def group_label(self) -> str:
        """Return the group in Chinese (社会群众 / 从业人员)."""
        return GROUPS.get(self.group, self.group)


@dataclass(frozen=True)
class ResultPage:
    """One page of :func:`list_participants`: its rows, the total matching, the page and the page count."""

    rows: list[ParticipantResult]
    total: int
    page: int
    pages: int
    filters: ResultFilter = field(default_factory=ResultFilter)


def _participants_query(competition_id: int, filters: ResultFilter):
    """Return (select of the participant columns with attempts and passed, best-attempt alias)."""
    best = aliased(Attempt)
    attempts = (
        select(Attempt.participant_id, func.count(Attempt.id).label("attempts"))
        .where(Attempt.competition_id == competition_id)
        .group_by(Attempt.participant_id)
        .subquery()
    )
    query = (
        select(
            Participant.id,
            Participant.name,
            Participant.phone_masked,
            Participant.organization,
            Participant.group,
            func.coalesce(attempts.c.attempts, 0),
            Participant.best_score,
            Participant.best_duration_s,
            Participant.best_submitted_at,
            best.passed,
            Participant.phone_encrypted,
        )
        .outerjoin(attempts, attempts.c.participant_id == Participant.id)
        .outerjoin(best, best.id == Participant.best_attempt_id)
        .where(Participant.competition_id == competition_id)
    )
    return filters.apply(query, best), best


def _ranked(query: Select) -> Select:
    return query.order_by(
        Participant.best_score.is_(None),
        Participant.best_score.desc(),
        Participant.best_duration_s,
        Participant.best_submitted_at,
        Participant.name,
        Participant.id,
    )


def _result(row) -> ParticipantResult:
    return ParticipantResult(*row[:10])


def list_participants(competition_id: int, filters: ResultFilter | None = None, page: int = 1, per_page: int = PER_PAGE) -> ResultPage:
    """Return one page (1-based, *per_page* rows) of the competition's participants, masked, in ranking order.

    Raises:
        NotFound: for an unknown competition, or a page past the last.

    """
    get_competition(competition_id)
    filters = filters or ResultFilter()
    query, _best = _participants_query(competition_id, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = checked_page(page, total, per_page)
    rows = db.session.execute(_ranked(query).limit(per_page).offset((page - 1) * per_page)).all()
    return ResultPage([_result(row) for row in rows], total, page, page_count(total, per_page), filters)


def organizations_of(competition_id: int) -> list[str]:
    """Return the 单位 that participants of the competition gave, sorted (for the filter menu)."""
    return list(
        db.session.scalars(
            select(Participant.organization)
            .where(Participant.competition_id == competition_id)
            .distinct()
            .order_by(Participant.organization)
        )
    )


PARTICIPANT_HEADERS = ("姓名", "手机号", "单位", "群体", "答题次数", "最好成绩", "用时（秒）", "交卷时间", "是否及格")
ATTEMPT_HEADERS = ("答题编号", "姓名", "手机号", "单位", "群体", "状态", "开始时间", "交卷时间", "用时（秒）", "得分", "满分", "是否及格")


def export_results(
    competition_id: int,
    *,
    full: bool = False,
    actor: str | None = None,
    filters: ResultFilter | None = None,
    now: datetime | None = None,
) -> IO[bytes]:
    """Write the competition's results to an .xlsx file and return it (a rewound temporary file).

    Sheets: ``参赛者`` (one row per participant: :data:`PARTICIPANT_HEADERS`, best attempt's
    score in points, duration in seconds, submit time in local time) and ``答题记录`` (one row
    per attempt: :data:`ATTEMPT_HEADERS`). Numbers are masked unless *full*; a full export
    decrypts them (an erased participant shows 已删除 as on the list; a number the key cannot decrypt is left empty) and first commits an
    ``export_full`` audit row by *actor*. Rows are streamed from the database in batches of
    :data:`EXPORT_BATCH` into XlsxWriter's constant-memory workbook
    (:mod:`quizapp.reports.workbook`), so memory use does not grow with the number of
    participants. The caller closes the file (which deletes it).

    Raises:
        NotFound: for an unknown competition.
        ValidationFailed: for a full export without an *actor*.

    """
    competition = get_competition(competition_id)
    filters = filters or ResultFilter()
    if full:
        if not actor:
            raise ValidationFailed("完整号码导出需要记录操作人", code="actor_required")
        record_audit(actor, "export_full", target=f"competition:{competition.id}", detail=competition.title, now=now)
        db.session.commit()

    return results_workbook(competition, filters, full)


def results_workbook(competition: Competition, filters: ResultFilter, full: bool) -> IO[bytes]:
    """Write the export of :func:`export_results` and return it (a rewound temporary file), recording nothing.

    The caller decides who may receive a full export and audits it (:func:`export_results`
    before handing the file out; :mod:`quizapp.contests.export_jobs` when a stored file is downloaded).
    """

    def write(workbook) -> None:
        _write_participants(workbook, competition, filters, full)
        _write_attempts(workbook, competition, filters, full)

    return build_workbook(write)


def export_rows(competition_id: int, filters: ResultFilter | None = None, *, at_most: int | None = None) -> int:
    """Return how many rows an export with *filters* writes: participants plus their attempts (headers not counted).

    With *at_most*, counting stops past that many rows (the result is then ``at_most + 1``), so
    deciding "more than the limit?" costs the same for 20,000 participants as for a million. It
    decides whether an export is written inside the request or by the background job
    (:mod:`quizapp.contests.export_jobs`).
    """
    filters = filters or ResultFilter()
    best = aliased(Attempt)
    chosen = select(Participant.id).where(Participant.competition_id == competition_id)
    if filters.passed is not None:
        chosen = chosen.outerjoin(best, best.id == Participant.best_attempt_id)
    chosen = filters.apply(chosen, best)
    people_query = chosen if at_most is None else chosen.limit(at_most + 1)
    people = db.session.scalar(select(func.count()).select_from(people_query.subquery())) or 0
    if at_most is not None and people > at_most:
        return at_most + 1
    attempts = select(Attempt.id).where(Attempt.competition_id == competition_id, Attempt.participant_id.in_(chosen))
    if at_most is not None:
        attempts = attempts.limit(at_most + 1 - people)
    return people + (db.session.scalar(select(func.count()).select_from(attempts.subquery())) or 0)


def export_filename(competition: Competition, full: bool, now: datetime | None = None) -> str:
    """Return the download name ``<title>-成绩[-完整号码]-<YYYYmmdd>.xlsx`` (local date)."""
    suffix = "-完整号码" if full else ""
    return f"{competition.title}-成绩{suffix}-{format_local(now or utcnow(), '%Y%m%d')}.xlsx".replace("/", "-")


def _phones(full: bool) -> Callable[[str, str], str]:
    """Return ``phone(masked, encrypted)``: the number to write, masked or decrypted (one Fernet for the whole export).

    An erased number keeps its marker 已删除; a number the key cannot decrypt is written empty.
    """
    if not full:
        return lambda masked, encrypted: masked
    decrypt = phone_decrypter()
    return lambda masked, encrypted: (decrypt(encrypted) or "") if encrypted else masked


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _write_participants(workbook, competition: Competition, filters: ResultFilter, full: bool) -> None:
    sheet = add_sheet(workbook, "参赛者", PARTICIPANT_HEADERS, widths=(10, 14, 24, 10, 9, 9, 10, 20, 9))
    query, _best = _participants_query(competition.id, filters)
    phone = _phones(full)
    for row in db.session.execute(_ranked(query).execution_options(yield_per=EXPORT_BATCH)):
        (_id, name, masked, organization, group, attempts, best_score, best_duration_s, best_submitted_at, passed, encrypted) = row
        append_row(
            sheet,
            (
                name,
                phone(masked, encrypted),
                organization,
                GROUPS.get(group, group),
                attempts,
                best_score,
                best_duration_s,
                best_submitted_at,
                _yes_no(passed),
            ),
        )


def _write_attempts(workbook, competition: Competition, filters: ResultFilter, full: bool) -> None:
    sheet = add_sheet(workbook, "答题记录", ATTEMPT_HEADERS, widths=(9, 10, 14, 24, 10, 8, 20, 20, 10, 8, 8, 9))
    participants, _best = _participants_query(competition.id, filters)
    chosen = participants.with_only_columns(Participant.id).subquery()
    query = (
        select(
            Attempt.id,
            Participant.name,
            Participant.phone_masked,
            Participant.phone_encrypted,
            Participant.organization,
            Participant.group,
            Attempt.status,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.duration_s,
            Attempt.score,
            Attempt.max_score,
            Attempt.passed,
        )
        .join(Participant, Participant.id == Attempt.participant_id)
        .where(Attempt.competition_id == competition.id, Attempt.participant_id.in_(select(chosen.c.id)))
        .order_by(Attempt.started_at, Attempt.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    phone = _phones(full)
    for row in db.session.execute(query):
        (attempt_id, name, masked, encrypted, organization, group, status, started, submitted, duration, score, max_score, passed) = row
        append_row(
            sheet,
            (
                attempt_id,
                name,
                phone(masked, encrypted),
                organization,
                GROUPS.get(group, group),
                STATUS_LABELS.get(status, status),
                started,
                submitted,
                duration,
                score,
                max_score,
                _yes_no(passed),
            ),
        )
