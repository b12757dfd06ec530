"""Scoring on submit: full marks, 少选得一半, idempotent submit, and one close under a race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from quizapp.contests import services
from quizapp.contests.models import Participant
from quizapp.contests.presenters import attempt_result
from quizapp.extensions import db
from tests.conftest import ON_POSTGRES
from tests.contests.factories import (
    answer,
    answer_all,
    attempt_row,
    correct_answer,
    items_of,
    participant_by_phone_masked,
    start,
    submit,
)


def test_all_answers_right_scores_the_maximum_and_passes(client, clock, competition):
    attempt = start(client, competition)
    items = answer_all(client, attempt)
    clock.advance(321)

    result = submit(client, attempt)

    assert result["score"] == result["max_score"] == sum(item.points for item in items) == 100
    assert result["passed"] is True
    assert result["duration_s"] == 321
    assert result["rank"] == 1
    graded = items_of(attempt["attempt_id"])
    assert all(item.is_correct and item.points_awarded == item.points for item in graded)


def test_unanswered_paper_scores_zero_and_fails(client, competition):
    attempt = start(client, competition)

    result = submit(client, attempt)

    assert (result["score"], result["passed"]) == (0, False)
    assert all(item.points_awarded == 0 and item.is_correct is False for item in items_of(attempt["attempt_id"]))


def test_score_below_the_pass_mark_fails(client, competition):
    attempt = start(client, competition)
    items = items_of(attempt["attempt_id"])
    # Answer right, in paper order, only until the next question would reach the pass mark.
    earned = 0.0
    for item in items:
        if earned + item.points >= competition.pass_mark:
            break
        answer(client, attempt, item, correct_answer(item))
        earned += item.points

    result = submit(client, attempt)

    assert result["score"] == earned < competition.pass_mark
    assert result["passed"] is False


def test_multiple_choice_subset_earns_half_points(client, competition):
    assert competition.partial_credit_multiple
    attempt = start(client, competition)
    items = answer_all(client, attempt)
    subset_item = next(item for item in items if item.version.type == "multiple_choice")
    subset = correct_answer(subset_item)[:-1]
    assert subset
    answer(client, attempt, subset_item, subset)

    result = submit(client, attempt)

    assert result["score"] == sum(item.points for item in items) - subset_item.points / 2
    graded = next(item for item in items_of(attempt["attempt_id"]) if item.id == subset_item.id)
    assert (graded.points_awarded, graded.is_correct) == (subset_item.points / 2, False)


def test_multiple_choice_with_a_wrong_option_earns_nothing(client, competition):
    attempt = start(client, competition)
    items = answer_all(client, attempt)
    item = next(item for item in items if item.version.type == "multiple_choice")
    wrong_option = next(option for option in item.option_order if option not in item.version.key)
    answer(client, attempt, item, [item.version.key[0], wrong_option])

    result = submit(client, attempt)

    assert result["score"] == sum(each.points for each in items) - item.points


def test_subset_earns_nothing_when_the_competition_has_no_partial_credit(client, competition):
    competition.partial_credit_multiple = False
    db.session.commit()
    attempt = start(client, competition)
    items = answer_all(client, attempt)
    item = next(item for item in items if item.version.type == "multiple_choice")
    answer(client, attempt, item, correct_answer(item)[:1])

    result = submit(client, attempt)

    assert result["score"] == sum(each.points for each in items) - item.points


def test_fill_blank_matches_ignore_width_space_and_case(client, competition):
    attempt = start(client, competition)
    items = answer_all(client, attempt)
    item = next(item for item in items if item.version.type == "fill_blank")
    # Full-width forms and inner spaces of the accepted answer (NFKC, whitespace removed).
    loose = [" ".join(text.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})) for text in correct_answer(item)]
    answer(client, attempt, item, loose)

    result = submit(client, attempt)

    assert result["score"] == result["max_score"]


def test_second_submit_returns_the_identical_result_and_keeps_the_best(client, clock, competition):
    attempt = start(client, competition)
    answer_all(client, attempt, wrong=3)
    clock.advance(200)
    first = submit(client, attempt)
    participant = participant_by_phone_masked("138****8000")
    best = (participant.best_attempt_id, participant.best_score, participant.best_duration_s, participant.best_submitted_at)
    clock.advance(100)

    second = submit(client, attempt)

    assert second == first
    participant = participant_by_phone_masked("138****8000")
    assert (participant.best_attempt_id, participant.best_score, participant.best_duration_s, participant.best_submitted_at) == best
    assert best[:3] == (attempt["attempt_id"], first["score"], 200)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers need PostgreSQL row locks; in-memory SQLite is one connection")
def test_two_simultaneous_submits_close_the_attempt_once(app, client, clock, competition, monkeypatch):
    attempt = start(client, competition)
    answer_all(client, attempt, wrong=2)
    db.session.rollback()
    barrier = threading.Barrier(2)
    results: list[dict] = [{}, {}]
    errors: list[BaseException] = []
    offers: list[int] = []
    original_offer = Participant.offer_result

    def counting_offer(self, closed):
        offers.append(closed.id)
        original_offer(self, closed)

    monkeypatch.setattr(Participant, "offer_result", counting_offer)
    # Each thread submits at its own instant, so the stored submitted_at shows whose close won.
    instants = [clock.now + timedelta(seconds=30), clock.now + timedelta(seconds=40)]

    def submit_in_thread(index: int) -> None:
        try:
            with app.app_context():
                loaded = services.load_attempt(attempt["attempt_id"], attempt["token"], now=instants[index])
                barrier.wait(timeout=30)
                services.submit_attempt(loaded, now=instants[index])
                results[index] = attempt_result(loaded)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=submit_in_thread, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert results[0] == results[1]
    stored = attempt_row(attempt["attempt_id"])
    expected_score = sum(item.points for item in items_of(attempt["attempt_id"])[2:])
    assert stored.score == results[0]["score"] == expected_score
    assert stored.submitted_at in instants
    assert stored.duration_s == (stored.submitted_at - stored.started_at).total_seconds()
    assert offers == [stored.id]
    participant = db.session.get(Participant, stored.participant_id)
    assert (participant.best_attempt_id, participant.best_score, participant.best_duration_s, participant.best_submitted_at) == (
        stored.id,
        stored.score,
        stored.duration_s,
        stored.submitted_at,
    )
