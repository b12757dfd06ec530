"""Editing a question makes a new version: given papers, their scores and reviews keep the old one."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import escape

from quizapp.bank.services import question_data, save_question
from quizapp.contests.presenters import review_items
from quizapp.extensions import db
from tests.contests.factories import (
    API,
    answer_all,
    attempt_row,
    auth,
    correct_answer,
    items_of,
    start,
    start_in_browser,
    submit,
)


def _edit(version, **changes) -> None:
    """Save the question of *version* again with *changes* (a new version) and commit."""
    question = version.question
    data = question_data(question, version)
    data.update(changes)
    save_question(data)
    db.session.commit()


def _fix_the_paper(competition, items) -> None:
    """Make every later paper hold the same questions, so a new attempt surely meets the edited one."""
    competition.paper_rule = {"fixed": [item.version.question.uid for item in items]}
    db.session.commit()


def test_edit_after_submit_leaves_the_attempt_on_the_old_version(client, clock, competition):
    given = start(client, competition)
    items = answer_all(client, given)
    _fix_the_paper(competition, items)
    result = submit(client, given)
    edited = next(item for item in items if item.version.type == "single_choice")
    old_version_id, old_stem, old_key = edited.question_version_id, edited.version.stem, edited.version.key
    new_key = next(option for option in edited.option_order if option != old_key)
    new_stem = old_stem + "（修订）"

    _edit(edited.version, stem=new_stem, key=new_key)

    assert edited.version.question.current_version_id != old_version_id
    assert items_of(given["attempt_id"])[items.index(edited)].question_version_id == old_version_id
    state = client.get(f"{API}/attempts/{given['attempt_id']}", headers=auth(given["token"])).get_json()
    shown = next(question for question in state["questions"] if question["id"] == edited.id)
    assert shown["stem"] == old_stem
    assert submit(client, given) == result
    assert attempt_row(given["attempt_id"]).score == result["score"] == result["max_score"]
    reviewed = next(row for row in review_items(attempt_row(given["attempt_id"])) if row["id"] == edited.id)
    assert (reviewed["stem"], reviewed["key"], reviewed["is_correct"]) == (old_stem, old_key, True)


def test_new_attempt_after_an_edit_gets_and_is_graded_on_the_new_version(client, competition):
    first = start(client, competition)
    items = items_of(first["attempt_id"])
    _fix_the_paper(competition, items)
    edited = next(item for item in items if item.version.type == "single_choice")
    old_version_id, old_key = edited.question_version_id, edited.version.key
    new_key = next(option for option in edited.option_order if option != old_key)
    _edit(edited.version, stem=edited.version.stem + "（修订）", key=new_key)

    later = start(client, competition, phone="13900139000")
    later_items = items_of(later["attempt_id"])
    same_question = next(item for item in later_items if item.version.question_id == edited.version.question_id)
    answer_all(client, later)
    result = submit(client, later)

    assert same_question.question_version_id != old_version_id
    assert (same_question.version.stem, same_question.version.key) == (edited.version.stem + "（修订）", new_key)
    assert correct_answer(same_question) == new_key
    assert result["score"] == result["max_score"]
    shown = next(question for question in later["questions"] if question["id"] == same_question.id)
    assert shown["stem"].endswith("（修订）")


def test_review_after_close_shows_the_version_that_was_given(client, clock, competition):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")
    edited = items[0]
    old_stem, old_explanation = edited.version.stem, edited.version.explanation
    _edit(edited.version, stem="完全改写的题干（修订）", explanation="完全改写的解析（修订）")
    competition.ends_at = clock.now - timedelta(seconds=1)
    db.session.commit()

    html = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)

    assert str(escape(old_stem)) in html and str(escape(old_explanation)) in html
    assert "（修订）" not in html
