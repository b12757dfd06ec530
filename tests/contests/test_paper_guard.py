"""A question a live competition's paper needs cannot be archived; a citizen never sees an internal paper error.

Review finding: archiving ``sgtl-016`` while a published competition's fixed paper named it
succeeded silently, the public page still offered 开始答题, and starting showed citizens
"试卷中的题目不存在或已停用：sgtl-016".
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.bank.lifecycle import question_item
from quizapp.bank.models import Question
from quizapp.bank.services import drawable_pool
from quizapp.contests import actions, admin
from quizapp.contests.models import Participant
from quizapp.contests.paper_guard import competitions_needing
from quizapp.core.errors import Conflict
from quizapp.extensions import db
from quizapp.publishing import workflow
from quizapp.publishing.models import Item
from tests.contests.factories import API, count, entrant, start_form
from tests.contests.staffing import settings

ACTOR = "staff:7"


@pytest.fixture
def live(clock, synced):
    """Publish an open competition over the starter bank with the fixed paper sgtl-012, sgtl-016."""
    competition = admin.create_competition(
        settings(
            slug="guard-fixed",
            title="事故报告条例测验",
            starts_at=clock.now - timedelta(hours=1),
            ends_at=clock.now + timedelta(days=3),
            paper_rule={"fixed": ["sgtl-012", "sgtl-016"]},
            default_points={},
        ),
        ACTOR,
        clock.now,
    )
    return actions.publish(competition.id, ACTOR, clock.now)


def _archive_outside_the_guard(uid: str, now) -> None:
    """Archive a question's item directly (as a content file or an old data fault might), bypassing the workflow."""
    question_item(uid).archive(ACTOR, now)
    db.session.commit()


def test_archiving_a_question_a_live_fixed_paper_names_is_refused_naming_the_competition(live, clock):
    item = question_item("sgtl-016")
    with pytest.raises(Conflict) as caught:
        workflow.archive(item.id, ACTOR, clock.now)
    assert caught.value.code == "question_in_use"
    assert f"《事故报告条例测验》（编号 {live.id}）" in caught.value.message
    assert db.session.get(Item, item.id).status == "published"
    # A question no paper names is archived as before.
    other = question_item("sgtl-001")
    assert workflow.archive(other.id, ACTOR, clock.now).status == "archived"


def test_the_content_page_shows_the_refusal(live, clock, client, make_staff, login_as):
    login_as(client, make_staff("reviewer"))
    item = question_item("sgtl-016")
    response = client.post(f"/staff/content/items/{item.id}/archive", data={})
    assert response.status_code == 409
    assert "事故报告条例测验" in response.get_data(as_text=True)
    assert db.session.get(Item, item.id).status == "published"


def test_a_closed_or_draft_competition_does_not_hold_its_questions(live, clock):
    actions.close_early(live.id, ACTOR, clock.now)
    draft = admin.create_competition(
        settings(slug="guard-draft", starts_at=clock.now, ends_at=clock.now + timedelta(days=1),
                 paper_rule={"fixed": ["sgtl-016"]}, default_points={}),  # fmt: skip
        ACTOR,
        clock.now,
    )
    assert draft.is_published is False
    assert competitions_needing("sgtl-016", clock.now + timedelta(seconds=1)) == []


def test_draw_rules_hold_a_question_only_when_it_is_one_too_few(clock, synced):
    category = db.session.scalar(select(Question.category).where(Question.uid == "sgtl-016"))
    matching = [candidate.uid for candidate in drawable_pool(clock.now) if candidate.category == category]
    assert "sgtl-016" in matching
    competition = admin.create_competition(
        settings(slug="guard-draw", starts_at=clock.now + timedelta(days=1), ends_at=clock.now + timedelta(days=3),
                 paper_rule={"rules": [{"category": category, "count": len(matching)}]}, default_points={}),  # fmt: skip
        ACTOR,
        clock.now,
    )
    actions.publish(competition.id, ACTOR, clock.now)
    assert [row.id for row in competitions_needing("sgtl-016", clock.now)] == [competition.id]
    admin.update_competition(
        competition.id,
        admin.replace_settings(admin.CompetitionSettings.of(competition),
                               paper_rule={"rules": [{"category": category, "count": len(matching) - 1}]}),  # fmt: skip
        ACTOR,
        now=clock.now,
    )
    assert competitions_needing("sgtl-016", clock.now) == []


def test_a_citizen_who_hits_an_unsatisfiable_paper_gets_a_plain_message(live, clock, client):
    _archive_outside_the_guard("sgtl-016", clock.now)
    response = client.post(f"{API}/competitions/{live.id}/attempts", json=entrant(live))
    body = response.get_json()
    assert response.status_code == 409
    assert body["error"]["code"] == "paper_rule_unsatisfiable"
    assert "本竞赛暂时无法开始答题" in body["error"]["message"]
    assert "sgtl" not in body["error"]["message"]

    page = client.post(f"/competitions/{live.id}/start", data=start_form(live))
    text = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "本竞赛暂时无法开始答题" in text and "sgtl-016" not in text


def test_a_failed_start_leaves_no_participant(live, clock, client):
    _archive_outside_the_guard("sgtl-016", clock.now)
    before = count(Participant)
    client.post(f"{API}/competitions/{live.id}/attempts", json=entrant(live))
    client.post(f"/competitions/{live.id}/start", data=start_form(live, phone="13900139000"))
    db.session.expire_all()
    assert count(Participant) == before == 0
