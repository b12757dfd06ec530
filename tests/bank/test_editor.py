"""The question editor in the content workflow (/staff/content/kinds/question): write, review, approve, edit."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.bank import lifecycle
from quizapp.bank.models import Question
from quizapp.bank.services import drawable_pool
from quizapp.publishing.models import Item
from tests.bank.test_lifecycle import question

FORM = {
    "uid": "ed-001",
    "type": "single_choice",
    "stem": "生产经营单位的主要负责人对本单位的安全生产工作负什么责任？",
    "options": "* 全面负责\n部分负责\n不负责",
    "explanation": "安全生产法第五条。",
    "legal_basis": "安全生产法 5",
    "category": "安全生产法/总则",
    "difficulty": "2",
    "tags": "主要负责人，职责",
    "save": "1",
}


def test_editor_writes_a_question_reviewer_approves_and_only_then_it_is_drawn(client, db, make_staff, login_as):
    editor, reviewer = make_staff("editor"), make_staff("reviewer")
    login_as(client, editor)
    saved = client.post("/staff/content/kinds/question/new", data=FORM)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    item = db.session.scalar(select(Item).where(Item.kind == "question"))
    assert item.status == "draft" and drawable_pool() == []
    client.post(f"/staff/content/items/{item.id}/submit")
    assert drawable_pool() == []

    client.post("/staff/logout")
    login_as(client, reviewer)
    client.post(f"/staff/content/items/{item.id}/approve", data={"approve-publish_now": "1"})

    stored = db.session.scalar(select(Question).where(Question.uid == "ed-001"))
    version = stored.current_version
    assert (version.stem, version.key) == (FORM["stem"], version.options[0]["id"])
    assert version.legal_basis == [{"law": "安全生产法", "article": 5, "quote": ""}]
    assert (stored.category, stored.difficulty, stored.tags, stored.item_id) == ("安全生产法/总则", 2, ["主要负责人", "职责"], item.id)
    assert [candidate.uid for candidate in drawable_pool()] == ["ed-001"]


def test_an_edit_of_a_published_question_waits_for_approval(client, db, make_staff, login_as):
    item, _ = lifecycle.publish(question(), "system:content-sync")
    db.session.commit()
    first = db.session.scalar(select(Question).where(Question.uid == "lc-001")).current_version_id
    editor, reviewer = make_staff("editor"), make_staff("reviewer")
    login_as(client, editor)
    page = client.get(f"/staff/content/items/{item.id}/edit").get_data(as_text=True)
    assert "* 第一责任人" in page and "安全生产法" in page
    edited = {**FORM, "uid": "lc-001", "stem": "修改后的题干？", "options": "* 第一责任人\n间接责任人", "legal_basis": "安全生产法 5"}
    assert client.post(f"/staff/content/items/{item.id}/edit", data=edited).status_code == 302
    client.post(f"/staff/content/items/{item.id}/submit")
    assert [candidate.version_id for candidate in drawable_pool()] == [first]

    client.post("/staff/logout")
    login_as(client, reviewer)
    client.post(f"/staff/content/items/{item.id}/approve", data={"approve-publish_now": "1"})
    current = db.session.scalar(select(Question).where(Question.uid == "lc-001")).current_version
    assert current.stem == "修改后的题干？" and current.number == 2
    assert [candidate.version_id for candidate in drawable_pool()] == [current.id]


def test_a_broken_question_form_names_the_field_and_saves_nothing(client, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    response = client.post("/staff/content/kinds/question/new", data={**FORM, "options": "全面负责\n部分负责"})
    assert response.status_code == 422 and "单选题需要恰好一个正确选项" in response.get_data(as_text=True)
    assert db.session.scalar(select(Item).where(Item.kind == "question")) is None


def test_a_reviewer_cannot_write_questions_and_anonymous_visitors_log_in(client, db, make_staff, login_as):
    assert "/staff/login" in client.get("/staff/content/kinds/question/new").location
    login_as(client, make_staff("reviewer"))
    assert client.post("/staff/content/kinds/question/new", data=FORM).status_code == 403


def test_the_type_of_an_approved_question_cannot_change_in_the_form(client, db, make_staff, login_as):
    item, _ = lifecycle.publish(question(), "system:content-sync")
    db.session.commit()
    login_as(client, make_staff("editor"))
    edited = {**FORM, "uid": "lc-001", "type": "true_false", "answer": "true", "options": ""}
    response = client.post(f"/staff/content/items/{item.id}/edit", data=edited)
    assert response.status_code == 422 and "不能改题型" in response.get_data(as_text=True)
    assert item.latest_revision().number == 1
