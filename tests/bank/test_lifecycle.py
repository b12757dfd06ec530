"""Questions on the content lifecycle (quizapp.bank.lifecycle): drafts are never drawn, approval makes the version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import func, select

from quizapp.bank import lifecycle
from quizapp.bank.models import Question, QuestionFacet, QuestionVersion
from quizapp.bank.services import drawable_pool
from quizapp.content.sync import sync_content
from quizapp.core.errors import ValidationFailed
from quizapp.publishing.models import AuditLog, Item, Revision
from quizapp.publishing.services import revise_live

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
EDITOR, REVIEWER = "staff:1", "staff:2"


def question(uid: str = "lc-001", **changes) -> dict:
    """A single-choice question as save_question takes it."""
    data = {
        "uid": uid,
        "type": "single_choice",
        "stem": "生产经营单位的主要负责人是本单位安全生产的什么人？",
        "options": [{"id": "o1", "text": "第一责任人"}, {"id": "o2", "text": "间接责任人"}],
        "key": "o1",
        "explanation": "安全生产法第五条。",
        "legal_basis": [{"law": "中华人民共和国安全生产法", "article": 5, "quote": ""}],
        "points": None,
        "category": "安全生产法/总则",
        "difficulty": 2,
        "tags": ["主要负责人"],
    }
    data.update(changes)
    return data


def pool_uids(now=NOW) -> dict[str, int]:
    return {candidate.uid: candidate.version_id for candidate in drawable_pool(now)}


def test_a_draft_is_never_drawn_but_can_be_browsed(db):
    item, revision = lifecycle.save_draft(question(), EDITOR, NOW)
    db.session.commit()

    stored = db.session.scalar(select(Question).where(Question.uid == "lc-001"))
    assert (item.uid, item.kind, item.status, revision.number, revision.actor) == ("question:lc-001", "question", "draft", 1, EDITOR)
    assert (stored.current_version_id, stored.item_id, stored.category, stored.difficulty) == (None, item.id, "安全生产法/总则", 2)
    assert pool_uids() == {}
    item.submit(EDITOR, NOW)
    db.session.commit()
    assert pool_uids() == {}
    facets = {tuple(row) for row in db.session.execute(select(QuestionFacet.facet, QuestionFacet.value))}
    assert facets == {("law", "中华人民共和国安全生产法"), ("tag", "主要负责人")}


def test_approval_makes_the_first_version_and_the_question_drawable(db):
    item, _ = lifecycle.save_draft(question(), EDITOR, NOW)
    item.submit(EDITOR, NOW)
    item.publish(REVIEWER, NOW)
    db.session.commit()

    stored = db.session.scalar(select(Question).where(Question.uid == "lc-001"))
    assert stored.current_version.number == 1
    assert stored.current_version.stem == question()["stem"]
    assert pool_uids() == {"lc-001": stored.current_version_id}
    actions = db.session.execute(select(AuditLog.actor, AuditLog.action).where(AuditLog.item_id == item.id).order_by(AuditLog.id)).all()
    assert actions == [(EDITOR, "create"), (EDITOR, "submit"), (REVIEWER, "publish")]


def test_an_edited_published_question_keeps_its_version_in_papers_until_approved(db):
    item, _ = lifecycle.publish(question(), REVIEWER, NOW)
    db.session.commit()
    first = db.session.scalar(select(Question).where(Question.uid == "lc-001")).current_version_id

    _, edit = lifecycle.save_draft(question(stem="修改后的题干：主要负责人是什么人？"), EDITOR, NOW + timedelta(hours=1))
    db.session.commit()
    assert item.status == "published" and edit.number == 2
    assert pool_uids() == {"lc-001": first}
    assert db.session.scalar(select(func.count()).select_from(QuestionVersion)) == 1

    revise_live(item, edit, REVIEWER, NOW + timedelta(hours=2))
    db.session.commit()
    current = db.session.scalar(select(Question).where(Question.uid == "lc-001")).current_version
    assert (current.number, current.stem) == (2, "修改后的题干：主要负责人是什么人？")
    assert pool_uids() == {"lc-001": current.id} and current.id != first


def test_an_archived_question_drops_out_of_new_papers(db):
    item, _ = lifecycle.publish(question(), REVIEWER, NOW)
    lifecycle.publish(question("lc-002", stem="另一题？"), REVIEWER, NOW)
    db.session.commit()
    item.archive(REVIEWER, NOW)
    db.session.commit()
    assert set(pool_uids()) == {"lc-002"}


def test_a_question_scheduled_ahead_is_drawn_from_its_time(db):
    item, _ = lifecycle.save_draft(question(), EDITOR, NOW)
    item.schedule(NOW + timedelta(days=1), REVIEWER, NOW)
    db.session.commit()
    assert pool_uids(NOW) == {}
    assert set(pool_uids(NOW + timedelta(days=1))) == {"lc-001"}


def test_a_type_change_of_an_approved_question_is_refused(db):
    lifecycle.publish(question(), REVIEWER, NOW)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        lifecycle.save_draft(question(type="true_false", options=[], key=True), EDITOR, NOW)


def test_a_long_uid_gets_a_short_stable_item_uid():
    uid = "x" * 80
    assert len(lifecycle.item_uid(uid)) == 80
    assert lifecycle.item_uid(uid) == lifecycle.item_uid(uid) != lifecycle.item_uid("x" * 79 + "y")
    assert lifecycle.item_uid("aqsf-001") == "question:aqsf-001"


def test_content_sync_publishes_bank_questions_as_items(db, content_dir):
    report = sync_content(content_dir)

    count = db.session.scalar(select(func.count()).select_from(Question))
    items = db.session.scalars(select(Item).where(Item.kind == "question")).all()
    assert report.questions["created"] == count == len(items) > 0
    assert {item.status for item in items} == {"published"}
    actors = set(db.session.scalars(select(Revision.actor).join(Item, Revision.item_id == Item.id).where(Item.kind == "question")))
    assert actors == {"system:content-sync"}
    assert len(drawable_pool()) == count
    assert dict(sync_content(content_dir).questions) == {"unchanged": count}


def test_content_sync_leaves_a_staff_edited_question_alone_and_reports_it(db, content_dir, tmp_path):
    import shutil

    sync_content(content_dir)
    uid = db.session.scalar(select(Question.uid).order_by(Question.uid).limit(1))
    version = db.session.scalar(select(Question).where(Question.uid == uid)).current_version
    from quizapp.bank.services import question_data

    lifecycle.save_draft({**question_data(version.question, version), "explanation": "工作人员改写的解析。"}, EDITOR, NOW)
    db.session.commit()
    copy = tmp_path / "content"
    shutil.copytree(content_dir, copy)
    bank = next(path for path in (copy / "banks").glob("*.yaml") if f"id: {uid}" in path.read_text(encoding="utf-8"))
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace(version.stem.splitlines()[0], version.stem.splitlines()[0] + "（文件修改）", 1), encoding="utf-8")

    report = sync_content(copy)
    assert report.questions["conflict"] == 1
    assert any(uid in message for message in report.conflicts)
    assert db.session.scalar(select(Question).where(Question.uid == uid)).current_version_id == version.id


def test_the_public_site_never_lists_question_items(client, db, content_dir):
    # Compare whole entry titles and links: a question stem's opening words may well appear in a
    # case's text too (and which stem comes first without ORDER BY differs between databases).
    sync_content(content_dir)
    question_titles = set(db.session.scalars(select(Item.title).where(Item.kind == "question")))
    assert len(question_titles) > 100
    assert "question:" not in client.get("/sitemap.xml").get_data(as_text=True)
    feed = client.get("/feed.xml")
    assert feed.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    entries = list(ElementTree.fromstring(feed.get_data()).iter(f"{atom}entry"))
    titles = {entry.findtext(f"{atom}title") for entry in entries}
    assert entries and not titles & question_titles
    assert all("/questions/" not in link.get("href", "") for entry in entries for link in entry.iter(f"{atom}link"))
