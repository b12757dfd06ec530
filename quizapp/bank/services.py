"""Question bank operations: save questions as new versions, list the drawable pool."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from quizapp.bank.models import QUESTION_TYPES, Question, QuestionVersion
from quizapp.contests.paper import Candidate
from quizapp.core.caching import memo
from quizapp.core.errors import ValidationFailed
from quizapp.extensions import db

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
    return question, outcome


def question_data(question: Question, version: QuestionVersion) -> dict:
    """Return *question* at *version* as the dict :func:`save_question` takes (its inverse)."""
    return {
        "uid": question.uid,
        **{field: getattr(version, field) for field in VERSIONED_FIELDS},
        "category": question.category,
        "difficulty": question.difficulty,
        "tags": question.tags,
    }


def bank_fingerprint() -> tuple:
    """Return a value that changes whenever the drawable bank changes (one aggregate query).

    ``(active questions, sum and sum of squares and max of their current version ids, latest
    updated_at of any question)``: a new version always gets a larger id, activating or
    deactivating changes the count or the sums, and a metadata edit (category, difficulty)
    moves ``updated_at``. Keys the per-process memos of :func:`drawable_pool` and practice.
    """
    version = Question.current_version_id
    active = Question.is_active.is_(True)
    row = db.session.execute(
        select(
            func.count(Question.id).filter(active),
            func.sum(version).filter(active),
            func.sum(version * version).filter(active),
            func.max(version).filter(active),
            func.max(Question.updated_at),
            func.count(Question.id),
        )
    ).one()
    return tuple(row)


def drawable_pool() -> list[Candidate]:
    """Return every active question's current version as paper-builder candidates.

    Kept per process for the current :func:`bank_fingerprint`: starting an attempt then costs
    one aggregate query instead of loading the whole bank (see bench/results.md). The
    candidates are frozen dataclasses, shared read-only between requests.
    """
    return memo("bank.drawable_pool", bank_fingerprint(), _load_pool)


def _load_pool() -> list[Candidate]:
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.is_active.is_(True))
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
