"""Migration 678c315e5671: an upgraded database keeps its questions drawable (each gets a published item)."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select, text

from quizapp.bank.models import Question, QuestionFacet
from quizapp.bank.services import drawable_pool
from quizapp.extensions import db
from quizapp.publishing.models import Item, Revision
from tests.test_migrations import fresh_app, keep_logging  # noqa: F401  (fixtures)

BEFORE = "7b0839638c5d"


def test_existing_questions_get_published_items_and_stay_drawable(fresh_app):  # noqa: F811
    upgrade(revision=BEFORE)
    with db.engine.begin() as connection:
        for qid, uid, active in ((1, "old-001", True), (2, "old-002", False)):
            connection.execute(text(
                "INSERT INTO question (id, uid, type, category, difficulty, tags, is_active, created_at, updated_at) "
                "VALUES (:id, :uid, 'true_false', '法规', 3, '[\"旧标签\"]', :active, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            ), {"id": qid, "uid": uid, "active": active})  # fmt: skip
            connection.execute(text(
                "INSERT INTO question_version (id, question_id, number, type, stem, options, answer_key, explanation, legal_basis, "
                "points, content_hash, created_at) VALUES (:id, :id, 1, 'true_false', :stem, '[]', 'true', '', "
                "'[{\"law\": \"中华人民共和国安全生产法\", \"article\": 3, \"quote\": \"\"}]', NULL, 'h', '2026-01-01 00:00:00')"
            ), {"id": qid, "stem": f"旧题 {uid}"})  # fmt: skip
            connection.execute(text("UPDATE question SET current_version_id = :id WHERE id = :id"), {"id": qid})

    upgrade()

    items = {item.uid: item for item in db.session.scalars(select(Item).where(Item.kind == "question"))}
    assert {uid: item.status for uid, item in items.items()} == {"question:old-001": "published", "question:old-002": "archived"}
    live = db.session.get(Revision, items["question:old-001"].live_revision_id)
    assert (live.actor, live.content["stem"], live.content["key"]) == ("system:migration", "旧题 old-001", True)
    assert [question.item_id for question in db.session.scalars(select(Question).order_by(Question.id))] == [
        items["question:old-001"].id, items["question:old-002"].id
    ]
    assert [candidate.uid for candidate in drawable_pool()] == ["old-001"]
    facets = {tuple(row) for row in db.session.execute(select(QuestionFacet.question_id, QuestionFacet.facet, QuestionFacet.value))}
    assert (1, "law", "中华人民共和国安全生产法") in facets and (1, "tag", "旧标签") in facets
