"""Practice offers only live questions (:func:`quizapp.bank.services.is_live`), as competitions draw them.

A question that is archived, back in draft awaiting approval, or scheduled for later keeps its
``is_active`` flag and its version, yet must be absent from 练一练 on its article, from 每日一题
and from the 错题本, and an answer to it is a 404.
"""

from __future__ import annotations

from datetime import date, timedelta

from markupsafe import escape
from sqlalchemy import select

from quizapp.bank import lifecycle
from quizapp.bank.models import Question
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.laws.services import get_article, get_version
from quizapp.practice import services
from tests.laws.factories import SAFETY_LAW
from tests.practice.test_practice import PRACTICE_28, _fields

EDITOR, REVIEWER = "staff:1", "staff:2"


def on_article_28() -> list[str]:
    """Return the uids 练一练 offers on 安全生产法 第二十八条."""
    return [version.question.uid for version in services.questions_on([get_article(get_version(SAFETY_LAW), 28)])]


def citing_28(uid: str) -> dict:
    """A single-choice question citing 安全生产法 第二十八条, as save_question takes it."""
    return {
        "uid": uid,
        "type": "single_choice",
        "stem": f"{uid}：生产经营单位应当对从业人员进行什么？",
        "options": [{"id": "o1", "text": "安全生产教育和培训"}, {"id": "o2", "text": "文艺培训"}],
        "key": "o1",
        "explanation": "安全生产法第二十八条。",
        "legal_basis": [{"law": "安全生产法", "article": 28}],
        "points": None,
        "category": "安全生产法/从业人员",
        "difficulty": 1,
        "tags": [],
    }


def question(uid: str) -> Question:
    return db.session.scalar(select(Question).where(Question.uid == uid))


def test_an_archived_question_leaves_article_practice_the_mistake_book_and_answers(client, practice_library):
    uids = on_article_28()
    archived = question(uids[0])
    version = archived.current_version
    client.post(PRACTICE_28, data=_fields(version, right=False))
    assert str(escape(version.stem)) in client.get("/practice/mistakes").get_data(as_text=True)

    archived.item.archive(REVIEWER, utcnow())
    db.session.commit()

    assert on_article_28() == uids[1:]
    assert f"本条 {len(uids) - 1} 题" in client.get(f"/laws/{SAFETY_LAW}/28").get_data(as_text=True)
    assert "错题本是空的" in client.get("/practice/mistakes").get_data(as_text=True)
    assert archived.is_active and archived.current_version_id == version.id  # only the lifecycle says "not live"
    assert client.post(PRACTICE_28, data=_fields(version, right=True)).status_code == 404
    assert client.post("/practice/mistakes", data=_fields(version, right=True)).status_code == 404


def test_questions_awaiting_approval_or_scheduled_for_later_are_not_practised(client, practice_library):
    now = utcnow()
    before = on_article_28()
    lifecycle.publish(citing_28("zz-live"), REVIEWER, now)
    lifecycle.save_draft(citing_28("zz-never-approved"), EDITOR, now)
    later, _ = lifecycle.save_draft(citing_28("zz-later"), EDITOR, now)
    later.schedule(now + timedelta(days=1), REVIEWER, now)
    withdrawn, _ = lifecycle.save_draft(citing_28("zz-withdrawn"), EDITOR, now)
    withdrawn.schedule(now + timedelta(days=1), REVIEWER, now)
    withdrawn.withdraw(REVIEWER, now)  # back to draft, awaiting approval again
    db.session.commit()

    assert on_article_28() == sorted([*before, "zz-live"])
    # The scheduled and withdrawn ones have an active question and a version: is_active alone let them through.
    for uid in ("zz-later", "zz-withdrawn"):
        stored = question(uid)
        assert stored.is_active and stored.current_version_id is not None
        assert client.post(PRACTICE_28, data=_fields(stored.current_version, right=True)).status_code == 404


def test_the_daily_question_cycle_holds_exactly_the_live_questions(practice_library):
    everything = set(db.session.scalars(select(Question.uid)))
    archived = question(on_article_28()[0])
    archived.item.archive(REVIEWER, utcnow())
    db.session.commit()

    live = everything - {archived.uid}
    # Days cycle * n … cycle * n + n − 1 make one whole cycle: each question of the pool once.
    first = (date(2026, 6, 1).toordinal() // len(live) + 1) * len(live)
    shown = [services.daily_question(date.fromordinal(first + offset)).question.uid for offset in range(len(live))]
    assert sorted(shown) == sorted(live)
