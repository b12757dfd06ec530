"""Practice operations: find the questions on an article, grade an answer, keep the 错题本, pick 每日一题.

The answer key leaves this module only in a :class:`Feedback`, which is made after
the learner has answered; :func:`present` gives a question without it.

Practice offers exactly the questions a competition could draw now: live by
:func:`quizapp.bank.services.is_live` (active, approved, and its lifecycle item visible —
not a draft, not archived or withdrawn, not scheduled for later; :mod:`quizapp.bank.lifecycle`).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from quizapp.bank.grading import grader_for
from quizapp.bank.models import TYPE_LABELS, Question, QuestionVersion
from quizapp.bank.services import bank_fingerprint, is_live
from quizapp.contests.paper import option_labels
from quizapp.contests.presenters import answer_text
from quizapp.core.caching import memo
from quizapp.core.errors import NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.laws.citations import article_key
from quizapp.laws.models import Law, LawArticle, LawVersion
from quizapp.practice.models import Learner, MistakeBookEntry
from quizapp.reports.usage import count_use

#: 每日一题 follows the calendar day here, whatever QUIZAPP_TIMEZONE says, so every instance agrees.
DAILY_ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Feedback:
    """The result of one practice answer, shown right after it.

    ``answer_text``/``key_text`` are for people (``B``, ``ACD``, ``正确``); ``articles`` lists
    each cited article once with its quotes (:func:`cited_articles`).
    """

    is_correct: bool
    answer_text: str
    key_text: str
    explanation: str
    articles: list[CitedArticle]
    learner_key: str
    in_mistake_book: bool
    question: dict


def option_order(version: QuestionVersion, learner_key: str | None) -> list[str]:
    """Return the option ids of *version* in the order shown to the holder of *learner_key*.

    ``random.Random("<learner key>:<question uid>")`` shuffles the authored order, so a
    learner sees the same order on every reload (and the feedback labels match), while
    the key's letter differs between learners and between questions. A visitor without
    a learner cookie (*learner_key* None) gets the order of the empty key.
    """
    order = [option["id"] for option in version.options]
    random.Random(f"{learner_key or ''}:{version.question.uid}").shuffle(order)
    return order


def present(version: QuestionVersion, learner_key: str | None, order: list[str] | None = None) -> dict:
    """Return a question for answering, without its key.

    Shape: ``{version_id, uid, type, type_label, stem, blanks, options: [{id, label, text}]}``,
    options in :func:`option_order` for *learner_key* (or in *order*, a list of option ids,
    when given) labelled A, B, C … as in competitions.
    """
    by_id = {option["id"]: option for option in version.options}
    ids = order if order is not None and sorted(order) == sorted(by_id) else option_order(version, learner_key)
    return {
        "version_id": version.id,
        "uid": version.question.uid,
        "type": version.type,
        "type_label": TYPE_LABELS[version.type],
        "stem": version.stem,
        "blanks": version.blank_count,
        "options": [
            {"id": option_id, "label": label, "text": by_id[option_id]["text"]}
            for option_id, label in zip(ids, option_labels(len(ids)), strict=True)
        ],
    }


@dataclass(frozen=True)
class _BankIndex:
    """The live questions' current version ids in uid order, and those ids by cited article."""

    ids: tuple[int, ...]
    by_article: dict[tuple[str, tuple], tuple[int, ...]]


def _bank_index() -> _BankIndex:
    """Return the index for the bank as it is now (kept per process until the bank changes).

    Every home page (每日一题) and law article page (练一练) needs it; building it loads every
    legal basis of the bank, so it is built once per :func:`bank_fingerprint`, not per request.
    """
    return memo("practice.bank_index", bank_fingerprint(), _build_bank_index)


def _build_bank_index() -> _BankIndex:
    rows = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.legal_basis)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .where(is_live())
        .order_by(Question.uid)
    ).all()
    by_article: dict[tuple[str, tuple], list[int]] = {}
    for version_id, bases in rows:
        for basis in bases or []:
            key = article_key(basis)
            entry = by_article.setdefault((basis.get("law"), key), [])
            if key is not None and version_id not in entry:
                entry.append(version_id)
    return _BankIndex(tuple(version_id for version_id, _ in rows), {key: tuple(ids) for key, ids in by_article.items() if ids})


def _versions_by_id(ids: list[int]) -> list[QuestionVersion]:
    """Load the versions *ids* in that order."""
    if not ids:
        return []
    loaded = {version.id: version for version in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))}
    return [loaded[version_id] for version_id in ids if version_id in loaded]


def questions_on(articles: list[LawArticle]) -> list[QuestionVersion]:
    """Return the current versions of live questions whose legal basis names one of *articles*, by uid.

    A basis names an article when its ``law`` is the law's short name or title and its
    ``article`` (and ``suffix``) match. The bank keeps legal bases as JSON, so the
    match is made here over the live questions.
    """
    if not articles:
        return []
    law = articles[0].version.law
    names, keys = {law.short_name, law.title}, {(article.number, article.suffix) for article in articles}
    index = _bank_index()
    wanted = {version_id for name in names for key in keys for version_id in index.by_article.get((name, key), ())}
    return _versions_by_id([version_id for version_id in index.ids if version_id in wanted])


@dataclass(frozen=True)
class CitedArticle:
    """One article a question cites, with every quote of it.

    ``basis`` is the first basis naming it, ``article`` the article in force (None when the
    library lacks it), ``quotes`` the quotes of every basis naming it, in the order cited, each once.
    """

    basis: dict
    article: LawArticle | None
    quotes: list[str]


def cited_articles(legal_basis: list[dict]) -> list[CitedArticle]:
    """Return each article cited by *legal_basis* once, in first-cited order, with all its quotes.

    A question may cite one article twice with different quotes (aqsf-009: 第二十一条, the
    opening and item 1); the feedback shows that article once, with both quotes.
    """
    cited: dict[tuple, CitedArticle] = {}
    for basis in legal_basis or []:
        key = article_key(basis)
        article = None
        if key:
            article = db.session.scalar(
                select(LawArticle)
                .join(LawVersion, LawArticle.version_id == LawVersion.id)
                .join(Law, LawVersion.law_id == Law.id)
                .where(
                    (Law.short_name == basis.get("law")) | (Law.title == basis.get("law")),
                    LawVersion.is_superseded.is_(False),
                    LawArticle.number == key[0],
                    LawArticle.suffix == key[1],
                )
            )
        identity = ("article", article.id) if article is not None else ("basis", basis.get("law"), key or str(basis.get("article")))
        entry = cited.setdefault(identity, CitedArticle(basis, article, []))
        quote = (basis.get("quote") or "").strip()
        if quote and quote not in entry.quotes:
            entry.quotes.append(quote)
    return list(cited.values())


def get_question_version(version_id: int) -> QuestionVersion:
    """Return a question version that may be practised (its question is live now, :func:`is_live`).

    An older version of a live question is still accepted, so an answer to a page shown
    just before an approved edit is graded against what the learner saw.

    Raises:
        NotFound: for an unknown version, or a question that is not live (inactive, draft,
            archived, withdrawn or scheduled for later).

    """
    version = db.session.get(QuestionVersion, version_id)
    if version is None or db.session.scalar(select(Question.id).where(Question.id == version.question_id, is_live())) is None:
        raise NotFound("题目不存在")
    return version


def find_learner(key: str | None) -> Learner | None:
    """Return the learner with cookie *key*, or None."""
    return db.session.scalar(select(Learner).where(Learner.key == key)) if key else None


def answer(version_id: int, raw: object, learner_key: str | None, now: datetime) -> Feedback:
    """Grade *raw* (API answer shape) for question version *version_id* and update the learner's 错题本.

    A learner is created (with a new random key) when *learner_key* names none. A wrong
    answer adds the question to the mistake book or counts it again; a right one
    removes it. Each graded answer is counted for the year's figures
    (:func:`quizapp.reports.usage.count_use`). Commits.

    Raises:
        NotFound: for an unknown version.
        ValidationFailed: when *raw* is empty or not a valid answer of the question's type.

    """
    version = get_question_version(version_id)
    if raw is None:
        raise ValidationFailed("请先作答再提交", code="invalid_answer")
    grader = grader_for(version.type)
    parsed = grader.parse(raw, [option["id"] for option in version.options], version.blank_count)
    grade = grader.grade(version.key, parsed, 1.0)
    learner = find_learner(learner_key)
    if learner is None:
        learner = Learner(key=secrets.token_urlsafe(24), created_at=now, last_seen_at=now)
        db.session.add(learner)
        db.session.flush()
    learner.last_seen_at = now
    entry = db.session.scalar(
        select(MistakeBookEntry).where(MistakeBookEntry.learner_id == learner.id, MistakeBookEntry.question_id == version.question_id)
    )
    if grade.is_correct and entry is not None:
        db.session.delete(entry)
    elif not grade.is_correct and entry is None:
        db.session.add(MistakeBookEntry(learner_id=learner.id, question_id=version.question_id, created_at=now, last_wrong_at=now))
    elif not grade.is_correct:
        entry.record_wrong(now)
    question = present(version, learner_key)  # as it was shown: the cookie's key before any new learner
    labels = {option["id"]: option["label"] for option in question["options"]}
    feedback = Feedback(
        is_correct=grade.is_correct,
        answer_text=answer_text(version.type, parsed, labels),
        key_text=answer_text(version.type, version.key, labels),
        explanation=version.explanation,
        articles=cited_articles(version.legal_basis),
        learner_key=learner.key,
        in_mistake_book=not grade.is_correct,
        question=question,
    )
    count_use("practice_answer", now, commit=False)  # the year's figures: practice use
    db.session.commit()
    return feedback


def feedback_record(feedback: Feedback) -> dict:
    """Return what the feedback page needs to show *feedback* again, as a small JSON-able dict.

    Shape: ``{version_id, uid, option_order, is_correct, answer_text, key_text, in_mistake_book}``;
    the question, 解析 and articles are read again by :func:`restore_feedback`.
    """
    question = feedback.question
    return {
        "version_id": question["version_id"],
        "uid": question["uid"],
        "option_order": [option["id"] for option in question["options"]],
        "is_correct": feedback.is_correct,
        "answer_text": feedback.answer_text,
        "key_text": feedback.key_text,
        "in_mistake_book": feedback.in_mistake_book,
    }


def restore_feedback(record: dict, learner_key: str | None) -> Feedback:
    """Rebuild the :class:`Feedback` of a :func:`feedback_record` without grading again.

    Raises:
        NotFound: when the version is unknown or its question no longer live.

    """
    version = get_question_version(int(record["version_id"]))
    return Feedback(
        is_correct=bool(record["is_correct"]),
        answer_text=str(record["answer_text"]),
        key_text=str(record["key_text"]),
        explanation=version.explanation,
        articles=cited_articles(version.legal_basis),
        learner_key=learner_key or "",
        in_mistake_book=bool(record["in_mistake_book"]),
        question=present(version, learner_key, order=list(record.get("option_order") or [])),
    )


def mistake_book(learner_key: str | None) -> list[QuestionVersion]:
    """Return the current versions of the live questions in the learner's 错题本, oldest mistake first.

    Entries of questions that are no longer live stay stored (they come back with the question).
    """
    learner = find_learner(learner_key)
    if learner is None:
        return []
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .join(MistakeBookEntry, MistakeBookEntry.question_id == Question.id)
            .where(MistakeBookEntry.learner_id == learner.id, is_live())
            .order_by(MistakeBookEntry.id)
        )
    )


def local_day(now: datetime) -> date:
    """Return the calendar date in Asia/Shanghai at the aware instant *now*."""
    return now.astimezone(DAILY_ZONE).date()


def daily_question(day: date) -> QuestionVersion | None:
    """Return 每日一题 for *day* (a date in Asia/Shanghai), or None when the bank is empty.

    A pure function of the date and the bank: the live questions, sorted by uid, are
    shuffled once per cycle of ``len(pool)`` days by ``random.Random("quizapp-daily:<cycle>")``
    and day ``toordinal() % len(pool)`` of the cycle takes its place in that order. So
    every instance shows the same question without a job, and no question repeats
    within a cycle while the bank is unchanged.
    """
    pool = _bank_index().ids
    if not pool:
        return None
    cycle, offset = divmod(day.toordinal(), len(pool))
    order = list(range(len(pool)))
    random.Random(f"quizapp-daily:{cycle}").shuffle(order)
    return db.session.get(QuestionVersion, pool[order[offset]])


def next_uid(versions: list[QuestionVersion], uid: str) -> str | None:
    """Return the uid after *uid* in *versions* (None after the last or when *uid* is absent)."""
    uids = [version.question.uid for version in versions]
    return uids[uids.index(uid) + 1] if uid in uids and uids.index(uid) + 1 < len(uids) else None
