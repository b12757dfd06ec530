"""Practice shows options shuffled per learner and question, and answers redirect to their feedback (PRG)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import render_template_string
from sqlalchemy import select

from quizapp.bank.models import Question
from quizapp.extensions import db
from quizapp.practice import services
from quizapp.practice.learner import COOKIE_NAME, learner_key
from quizapp.practice.models import MistakeBookEntry
from tests.contests.factories import inputs_of
from tests.practice.test_practice import PRACTICE_28, _fields, _on_article_28

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def _key_first_single_choice():
    """Return a single-choice version whose key is its first authored option."""
    questions = db.session.scalars(select(Question).where(Question.type == "single_choice").order_by(Question.uid))
    versions = [question.current_version for question in questions]
    return next(v for v in versions if v.key == v.options[0]["id"])


def _shown_ids(page: str) -> list[str]:
    return [field.get("value") for field in inputs_of(page) if field.get("name") == "choice"]


def test_the_key_of_a_first_authored_option_is_shown_under_different_letters_to_different_learners(practice_library):
    version = _key_first_single_choice()
    labels = set()
    for number in range(12):
        learner = f"learner-{number}"
        question = services.present(version, learner)
        assert question == services.present(version, learner)  # stable across reloads
        assert [o["label"] for o in question["options"]] == ["A", "B", "C", "D"][: len(version.options)]
        assert {o["id"] for o in question["options"]} == {o["id"] for o in version.options}
        shown = next(o["label"] for o in question["options"] if o["id"] == version.key)
        labels.add(shown)
        feedback = services.answer(version.id, version.key, learner, NOW)  # graded by option id
        assert feedback.is_correct and feedback.key_text == shown == feedback.answer_text
    assert len(labels) > 1


def test_the_page_and_its_feedback_use_the_order_shown_to_this_learner(client, practice_library):
    version = _on_article_28()[0]
    shown = _shown_ids(client.get(PRACTICE_28).get_data(as_text=True))
    assert shown == [o["id"] for o in services.present(version, None)["options"]]
    client.post(PRACTICE_28, data=_fields(version, right=False))
    key = client.get_cookie(COOKIE_NAME)
    assert key is not None
    page = client.get(PRACTICE_28).get_data(as_text=True)
    with client.application.test_request_context(headers={"Cookie": f"{COOKIE_NAME}={key.value}"}):
        expected = [o["id"] for o in services.present(version, learner_key())["options"]]
    assert _shown_ids(page) == expected


def test_an_answer_redirects_to_its_feedback_and_reloading_it_counts_nothing_again(client, practice_library):
    version = _on_article_28()[0]
    response = client.post(PRACTICE_28, data=_fields(version, right=False))
    assert response.status_code == 303 and f"{PRACTICE_28}?feedback={version.question.uid}" in response.headers["Location"]
    for _ in range(2):
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "回答错误" in page and "已收入错题本" in page and "错题本共 1 题" in page
        assert db.session.scalar(select(MistakeBookEntry.wrong_count)) == 1


def test_a_feedback_url_without_an_answer_behind_it_shows_the_question(app, client, practice_library):
    version = _on_article_28()[0]
    stranger = app.test_client().get(f"{PRACTICE_28}?feedback={version.question.uid}")
    assert stranger.status_code == 302 and stranger.headers["Location"].endswith(f"{PRACTICE_28}?q={version.question.uid}")


def test_the_daily_partial_shows_the_options_in_this_learners_order(app, monkeypatch, practice_library):
    days = [NOW + timedelta(days=n) for n in range(60)]
    day = next(d for d in days if services.daily_question(services.local_day(d)).type == "single_choice")
    monkeypatch.setattr("quizapp.practice.views.utcnow", lambda: day)
    today = services.daily_question(services.local_day(day))
    with app.test_request_context("/"):
        html = render_template_string('{% include "laws/_daily_question.html" %}')
    assert _shown_ids(html) == [o["id"] for o in services.present(today, None)["options"]]
