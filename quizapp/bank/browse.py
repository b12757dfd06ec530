"""The question-bank browser of the workspace: filtered, paginated lists and a question's history and use.

Indexes behind the filters: ``ix_question_draw`` (category, type, difficulty),
``ix_question_facet_value`` (law and tag facets), ``ix_content_item_due`` (status);
the list is ordered by the primary key. The text filter is a ``LIKE`` over the current
stem, the draft title and the uid (a scan, fine for banks of a few thousand questions).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from quizapp.bank.models import Question, QuestionFacet, QuestionVersion
from quizapp.contests.models import Competition, PaperItem
from quizapp.contests.paper import Candidate, matches
from quizapp.core.errors import NotFound
from quizapp.core.pagination import checked_page
from quizapp.extensions import db
from quizapp.publishing.models import Item, Revision

PER_PAGE = 30
#: Status filter values: the item states plus ``none`` (a question outside the lifecycle).
NO_ITEM = "none"


@dataclass(frozen=True)
class BankFilter:
    """What to list: type, category (and below), law name, difficulty 1–5, tag, item status, text."""

    type: str = ""
    category: str = ""
    law: str = ""
    difficulty: int | None = None
    tag: str = ""
    status: str = ""
    text: str = ""


@dataclass(frozen=True)
class BankRow:
    """One listed question: the row, its current (approved) version or None, its item or None, whether an edit waits."""

    question: Question
    version: QuestionVersion | None
    item: Item | None

    @property
    def stem(self) -> str:
        """Return the approved stem, or the draft's (the item title) when never approved."""
        if self.version is not None:
            return self.version.stem
        return self.item.title if self.item is not None else ""

    #: a revision newer than the live one waits (a draft, or an edit under review)
    pending: bool = False


def _facet(name: str, value: str):
    return Question.id.in_(select(QuestionFacet.question_id).where(QuestionFacet.facet == name, QuestionFacet.value == value))


def _conditions(flt: BankFilter) -> list:
    conditions = []
    if flt.type:
        conditions.append(Question.type == flt.type)
    if flt.category:
        prefix = flt.category.rstrip("/")
        conditions.append(or_(Question.category == prefix, Question.category.startswith(prefix + "/", autoescape=True)))
    if flt.difficulty:
        conditions.append(Question.difficulty == flt.difficulty)
    if flt.law:
        conditions.append(_facet("law", flt.law))
    if flt.tag:
        conditions.append(_facet("tag", flt.tag))
    if flt.status == NO_ITEM:
        conditions.append(Question.item_id.is_(None))
    elif flt.status:
        conditions.append(Item.status == flt.status)
    if flt.text:
        like = f"%{flt.text}%"
        conditions.append(or_(QuestionVersion.stem.like(like), Item.title.like(like), Question.uid.like(like)))
    return conditions


def _base(*columns):
    return (
        select(*columns)
        .outerjoin(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .outerjoin(Item, Question.item_id == Item.id)
    )


def question_page(flt: BankFilter, page: int) -> tuple[list[BankRow], int, int]:
    """Return ``(rows newest first, page, total)`` for *flt*; raise NotFound past the last page."""
    conditions = _conditions(flt)
    total = db.session.scalar(_base(func.count(Question.id)).select_from(Question).where(*conditions)) or 0
    page = checked_page(page, total, PER_PAGE)
    rows = db.session.execute(
        _base(Question, QuestionVersion, Item).where(*conditions).order_by(Question.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).all()
    item_ids = [item.id for _, _, item in rows if item is not None]
    latest = dict(db.session.execute(
        select(Revision.item_id, func.max(Revision.number)).where(Revision.item_id.in_(item_ids)).group_by(Revision.item_id)
    ).all()) if item_ids else {}  # fmt: skip
    live = dict(db.session.execute(select(Revision.item_id, Revision.number).where(
        Revision.id.in_([item.live_revision_id for _, _, item in rows if item is not None and item.live_revision_id])
    )).all()) if item_ids else {}  # fmt: skip
    return [BankRow(q, v, i, pending=i is not None and latest.get(i.id, 0) > live.get(i.id, 0)) for q, v, i in rows], page, total


def facet_values(name: str) -> list[str]:
    """Return the distinct values of facet *name* (``law`` or ``tag``), sorted."""
    return list(db.session.scalars(select(QuestionFacet.value).distinct().where(QuestionFacet.facet == name).order_by(QuestionFacet.value)))


def categories() -> list[str]:
    """Return the distinct categories in the bank, sorted."""
    return [value for value in db.session.scalars(select(Question.category).distinct().order_by(Question.category)) if value]


@dataclass(frozen=True)
class QuestionUse:
    """Where a question is used: competitions whose paper rule can draw it, and how many papers held it."""

    competitions: list[Competition]
    papers_served: int
    papers_by_version: dict[int, int]


def get_question(uid: str) -> Question:
    """Return the question *uid*.

    Raises:
        NotFound: for an unknown uid.

    """
    question = db.session.scalar(select(Question).where(Question.uid == uid))
    if question is None:
        raise NotFound("题目不存在")
    return question


def versions_of(question: Question) -> list[QuestionVersion]:
    """Return every version of *question*, newest first."""
    query = select(QuestionVersion).where(QuestionVersion.question_id == question.id).order_by(QuestionVersion.number.desc())
    return list(db.session.scalars(query))


def revisions_of(question: Question) -> list[Revision]:
    """Return every lifecycle revision of *question*'s item, newest first (empty without an item)."""
    if question.item_id is None:
        return []
    return list(db.session.scalars(select(Revision).where(Revision.item_id == question.item_id).order_by(Revision.number.desc())))


def question_use(question: Question) -> QuestionUse:
    """Return the competitions whose paper rule names or can draw *question* and the papers that held it.

    A rule "can draw" the question when its type, difficulty and category match
    (:func:`quizapp.contests.paper.matches`) or its fixed list names the uid. Papers
    served = paper items pointing at any version of the question.
    """
    candidate = Candidate(uid=question.uid, type=question.type, category=question.category, difficulty=question.difficulty,
                          version_id=question.current_version_id or 0, option_ids=(), points=None)  # fmt: skip
    using = []
    for competition in db.session.scalars(select(Competition).order_by(Competition.id.desc())):
        rule = competition.paper_rule or {}
        if question.uid in (rule.get("fixed") or []) or any(matches(part, candidate) for part in rule.get("rules") or []):
            using.append(competition)
    counts = dict(
        db.session.execute(
            select(PaperItem.question_version_id, func.count())
            .join(QuestionVersion, PaperItem.question_version_id == QuestionVersion.id)
            .where(QuestionVersion.question_id == question.id)
            .group_by(PaperItem.question_version_id)
        ).all()
    )
    return QuestionUse(using, sum(counts.values()), counts)
