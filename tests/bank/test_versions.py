"""Question versions (quizapp.bank.services.save_question): a content change adds a version."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.bank.models import Question, QuestionVersion
from quizapp.bank.services import save_question
from quizapp.core.errors import ValidationFailed


def question_data(**overrides) -> dict:
    data = {
        "uid": "t-001",
        "type": "single_choice",
        "stem": "生产经营单位的主要负责人是本单位安全生产（　　）。",
        "options": [{"id": "o1", "text": "第一责任人"}, {"id": "o2", "text": "直接责任人"}, {"id": "o3", "text": "监督责任人"}],
        "key": "o1",
        "explanation": "安全生产法第五条。",
        "legal_basis": [{"law": "安全生产法", "article": 5, "quote": "生产经营单位的主要负责人是本单位安全生产第一责任人"}],
        "points": None,
        "category": "安全生产法/总则",
        "difficulty": 1,
        "tags": ["主体责任"],
    }
    data.update(overrides)
    return data


def versions_of(db, uid: str) -> list[QuestionVersion]:
    return list(
        db.session.scalars(
            select(QuestionVersion)
            .join(Question, QuestionVersion.question_id == Question.id)
            .where(Question.uid == uid)
            .order_by(QuestionVersion.number)
        )
    )


def save_and_commit(db, data: dict) -> tuple[Question, str]:
    question, outcome = save_question(data)
    db.session.commit()
    return question, outcome


def test_new_question_is_created_with_version_one(db):
    question, outcome = save_and_commit(db, question_data())
    assert outcome == "created"
    [version] = versions_of(db, "t-001")
    assert version.number == 1
    assert question.current_version_id == version.id
    assert (version.stem, version.key, version.options) == (question_data()["stem"], "o1", question_data()["options"])
    assert (question.category, question.difficulty, question.tags) == ("安全生产法/总则", 1, ["主体责任"])


def test_saving_the_same_data_again_is_unchanged_and_adds_no_version(db):
    first, _ = save_and_commit(db, question_data())
    again, outcome = save_and_commit(db, question_data())
    assert outcome == "unchanged"
    assert again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"stem": "生产经营单位的主要负责人对本单位安全生产工作（　　）负责。"},
        {"options": [{"id": "o1", "text": "第一责任人"}, {"id": "o2", "text": "直接责任人"}, {"id": "o4", "text": "间接责任人"}]},
        {"key": "o2"},
    ],
    ids=["stem", "options", "key"],
)
def test_content_change_adds_version_two_and_keeps_version_one_intact(db, change):
    original = question_data()
    save_and_commit(db, original)
    question, outcome = save_and_commit(db, question_data(**change))
    assert outcome == "updated"
    first, second = versions_of(db, "t-001")
    assert (first.number, second.number) == (1, 2)
    assert question.current_version_id == second.id
    assert (first.stem, first.options, first.key) == (original["stem"], original["options"], original["key"])
    field, value = next(iter(change.items()))
    assert getattr(second, field) == value
    assert first.content_hash != second.content_hash


def test_metadata_only_change_updates_in_place_without_a_new_version(db):
    save_and_commit(db, question_data())
    question, outcome = save_and_commit(db, question_data(category="安全生产法/从业人员", difficulty=4, tags=["培训"]))
    assert outcome == "updated"
    [version] = versions_of(db, "t-001")
    assert version.number == 1
    assert question.current_version_id == version.id
    assert (question.category, question.difficulty, question.tags) == ("安全生产法/从业人员", 4, ["培训"])


def test_type_change_of_an_existing_question_is_refused(db):
    save_and_commit(db, question_data())
    with pytest.raises(ValidationFailed):
        save_question(question_data(type="multiple_choice", key=["o1", "o2"]))
    db.session.rollback()
    [version] = versions_of(db, "t-001")
    assert version.type == "single_choice"


def test_unknown_type_is_refused(db):
    with pytest.raises(ValidationFailed):
        save_question(question_data(uid="t-002", type="essay"))
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0
