"""Question bank operations: save questions as new versions, list the drawable pool."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from quizapp.bank.models import QUESTION_TYPES, Question, QuestionFacet, QuestionVersion
from quizapp.contests.paper import Candidate
from quizapp.core.caching import memo
from quizapp.core.errors import ValidationFailed
from quizapp.extensions import db
from quizapp.publishing.models import Item
from quizapp.publishing.visibility import is_visible

VERSIONED_FIELDS = ("type", "stem", "options", "key", "explanation", "legal_basis", "points")


def version_hash(data: dict) -> str:
    """Return the SHA-256 of the versioned fields of a question dict (order-independent JSON)."""
    payload = {field: data.get(field) for field in VERSIONED_FIELDS}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def save_question(data: dict) -> tuple[Question, str]:
    """Create or update the question ``data["uid"]``; return it and ``created|updated|unchanged``.

    *data* holds ``uid, type, stem, options, key, explanation, legal_basis,
    points, category, difficulty, tags`` in the shapes of
    :class:`quizapp.bank.models.QuestionVersion`. A change to a versioned field
    adds a new version; metadata (category, difficulty, tags) is updated in
    place. Does not commit: the caller's operation owns the transaction.

    Raises:
        ValidationFailed: for an unknown type or a type change of an existing question.

    """
    if data["type"] not in QUESTION_TYPES:
        raise ValidationFailed(f"未知题型 {data['type']!r}")
    question = db.session.scalar(select(Question).where(Question.uid == data["uid"]))
    digest = version_hash(data)
    outcome = "unchanged"
    if question is None:
        question = Question(uid=data["uid"], type=data["type"])
        db.session.add(question)
        outcome = "created"
    elif question.type != data["type"]:
        raise ValidationFailed(f"题目 {data['uid']} 的题型不能从 {question.type} 改为 {data['type']}")
    metadata = {"category": data.get("category", ""), "difficulty": data.get("difficulty", 3), "tags": data.get("tags", [])}
    for field, value in metadata.items():
        if getattr(question, field) != value:
            setattr(question, field, value)
            outcome = "updated" if outcome == "unchanged" else outcome
    current = question.current_version
    if current is None or current.content_hash != digest:
        number = (current.number + 1) if current else 1
        version = QuestionVersion(
            question=question,
            number=number,
            content_hash=digest,
            **{field: data.get(field) for field in VERSIONED_FIELDS},
        )
        db.session.add(version)
        question.current_version = version
        outcome = "updated" if outcome == "unchanged" else outcome
    if not question.is_active:
        question.is_active = True
        outcome = "updated" if outcome == "unchanged" else outcome
    set_facets(question, data)
    return question, outcome


def set_facets(question: Question, data: dict) -> None:
    """Store the law names of ``data["legal_basis"]`` and ``data["tags"]`` as the question's browser facets (no commit)."""
    wanted = {("law", str(entry.get("law", ""))[:200]) for entry in data.get("legal_basis") or [] if entry.get("law")}
    wanted |= {("tag", str(tag)[:200]) for tag in data.get("tags") or [] if str(tag)}
    if question.id is None:
        db.session.flush()
    rows = db.session.execute(select(QuestionFacet.facet, QuestionFacet.value).where(QuestionFacet.question_id == question.id))
    if {(row.facet, row.value) for row in rows} == wanted:
        return
    db.session.execute(delete(QuestionFacet).where(QuestionFacet.question_id == question.id))
    db.session.add_all(QuestionFacet(question_id=question.id, facet=facet, value=value) for facet, value in sorted(wanted))


def is_live(now: datetime | None = None) -> ColumnElement[bool]:
    """Return the SQL condition "drawable at *now*" on :class:`Question`.

    Active, with an approved (current) version, and its lifecycle item visible at *now*
    (:func:`quizapp.publishing.visibility.is_visible`): a never-approved draft has no
    version, an archived or not-yet-due item is not visible. A question without an item
    (written by :func:`save_question` directly, e.g. in tests) counts as approved.
    """
    visible_item = exists().where(Item.id == Question.item_id, is_visible(now))
    return Question.is_active.is_(True) & Question.current_version_id.is_not(None) & or_(Question.item_id.is_(None), visible_item)


def question_data(question: Question, version: QuestionVersion) -> dict:
    """Return *question* at *version* as the dict :func:`save_question` takes (its inverse)."""
    return {
        "uid": question.uid,
        **{field: getattr(version, field) for field in VERSIONED_FIELDS},
        "category": question.category,
        "difficulty": question.difficulty,
        "tags": question.tags,
    }


def bank_fingerprint(now: datetime | None = None) -> tuple:
    """Return a value that changes whenever the drawable bank changes (one aggregate query).

    ``(live questions at *now* (:func:`is_live`), sum and sum of squares and max of their
    current version ids, latest updated_at of any question, all questions)``: a new version
    always gets a larger id, approving, archiving or a scheduled question coming due changes
    the count or the sums, and a metadata edit (category, difficulty) moves ``updated_at``.
    Keys the per-process memos of :func:`drawable_pool` and practice.
    """
    version = Question.current_version_id
    live = is_live(now)
    row = db.session.execute(
        select(
            func.count(Question.id).filter(live),
            func.sum(version).filter(live),
            func.sum(version * version).filter(live),
            func.max(version).filter(live),
            func.max(Question.updated_at),
            func.count(Question.id),
        )
    ).one()
    return tuple(row)


def drawable_pool(now: datetime | None = None) -> list[Candidate]:
    """Return the current version of every question live at *now* (see :func:`is_live`) as paper-builder candidates.

    Kept per process for the current :func:`bank_fingerprint`: starting an attempt then costs
    one aggregate query instead of loading the whole bank (see bench/results.md). The
    candidates are frozen dataclasses, shared read-only between requests.
    """
    return memo("bank.drawable_pool", bank_fingerprint(now), lambda: _load_pool(now))


def _load_pool(now: datetime | None) -> list[Candidate]:
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(is_live(now))
    ).all()
    return [
        Candidate(
            uid=question.uid,
            type=question.type,
            category=question.category,
            difficulty=question.difficulty,
            version_id=version.id,
            option_ids=tuple(option["id"] for option in version.options),
            points=version.points,
        )
        for question, version in rows
    ]
