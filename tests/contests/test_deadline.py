"""The deadline runs on the server clock: grace, refusal, scoring as it stood, and the sweep."""

from __future__ import annotations

from datetime import timedelta

from quizapp.contests.tasks import sweep_overdue_attempts
from tests.contests.factories import API, answer, attempt_row, auth, correct_answer, iso, items_of, start, submit


def _state(client, attempt, **kwargs) -> dict:
    headers = {**auth(attempt["token"]), **kwargs.pop("headers", {})}
    response = client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=headers, **kwargs)
    assert response.status_code == 200
    return response.get_json()


def test_remaining_seconds_fall_as_the_server_clock_advances(client, clock, competition):
    attempt = start(client, competition)
    limit = competition.time_limit_s

    seen = [_state(client, attempt)["remaining_s"]]
    for step in (1, 59, 300):
        clock.advance(step)
        seen.append(_state(client, attempt)["remaining_s"])

    assert seen == [limit, limit - 1, limit - 60, limit - 360]


def test_client_cannot_extend_the_time_by_header_query_or_body(client, clock, competition):
    attempt = start(client, competition)
    item = items_of(attempt["attempt_id"])[0]
    clock.advance(200)
    future = (clock.now + timedelta(hours=5)).isoformat()
    claims = {"remaining_s": 99_999, "deadline_at": future, "now": future, "client_time": future, "time_limit_s": 99_999}

    client.put(
        f"{API}/attempts/{attempt['attempt_id']}/responses/{item.id}",
        json={"answer": correct_answer(item), **claims},
        headers={**auth(attempt["token"]), "Date": "Mon, 01 Jan 2035 00:00:00 GMT", "X-Client-Time": future},
    )
    state = _state(
        client,
        attempt,
        query_string=claims,
        headers={"Date": "Mon, 01 Jan 2035 00:00:00 GMT", "X-Client-Time": future, "X-Remaining-S": "99999"},
    )

    assert state["remaining_s"] == competition.time_limit_s - 200
    assert state["deadline_at"] == attempt["deadline_at"]
    assert attempt_row(attempt["attempt_id"]).deadline_at == iso(attempt["deadline_at"])


def test_deadline_is_capped_at_the_competition_end(client, clock, competition, db):
    competition.ends_at = clock.now + timedelta(seconds=120)
    db.session.commit()

    attempt = start(client, competition)

    assert iso(attempt["deadline_at"]) == competition.ends_at
    assert attempt["remaining_s"] == 120


def test_response_is_accepted_up_to_ten_seconds_after_the_deadline_and_refused_after(client, clock, competition):
    attempt = start(client, competition)
    items = items_of(attempt["attempt_id"])
    before, in_grace, too_late = items[0], items[1], items[2]
    deadline = iso(attempt["deadline_at"])
    answer(client, attempt, before, correct_answer(before))

    clock.now = deadline + timedelta(seconds=10)
    accepted = answer(client, attempt, in_grace, correct_answer(in_grace))
    clock.now = deadline + timedelta(seconds=11)
    refused = answer(client, attempt, too_late, correct_answer(too_late))

    assert accepted.status_code == 200
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "deadline_passed"
    state = _state(client, attempt)
    assert state["status"] == "submitted"
    assert state["remaining_s"] == 0
    assert state["responses"] == {str(before.id): correct_answer(before), str(in_grace.id): correct_answer(in_grace)}
    assert state["result"]["score"] == before.points + in_grace.points
    assert state["result"]["duration_s"] == competition.time_limit_s
    assert iso(state["result"]["submitted_at"]) == deadline


def test_reading_an_overdue_attempt_scores_it_as_it_stood_at_the_deadline(client, clock, competition):
    attempt = start(client, competition)
    item = items_of(attempt["attempt_id"])[0]
    answer(client, attempt, item, correct_answer(item))
    clock.advance(competition.time_limit_s + 3600)

    state = _state(client, attempt)

    assert state["status"] == "submitted"
    assert state["result"]["score"] == item.points
    assert state["result"]["duration_s"] == competition.time_limit_s
    assert iso(state["result"]["submitted_at"]) == iso(attempt["deadline_at"])


def test_submit_in_the_grace_period_counts_the_time_up_to_the_deadline_only(client, clock, competition):
    attempt = start(client, competition)
    clock.now = iso(attempt["deadline_at"]) + timedelta(seconds=5)

    result = submit(client, attempt)

    assert result["duration_s"] == competition.time_limit_s
    assert iso(result["submitted_at"]) == iso(attempt["deadline_at"])


def test_submit_after_the_grace_period_returns_the_result_scored_at_the_deadline(client, clock, competition):
    attempt = start(client, competition)
    item = items_of(attempt["attempt_id"])[0]
    answer(client, attempt, item, correct_answer(item))
    clock.now = iso(attempt["deadline_at"]) + timedelta(seconds=11)

    result = submit(client, attempt)

    assert (result["score"], result["duration_s"]) == (item.points, competition.time_limit_s)


def test_sweep_closes_overdue_open_attempts_once(client, clock, competition):
    overdue = start(client, competition)
    answered = items_of(overdue["attempt_id"])[:2]
    for item in answered:
        answer(client, overdue, item, correct_answer(item))
    submitted = start(client, competition, phone="13900139000")
    submit(client, submitted)
    clock.advance(competition.time_limit_s)
    late_starter = start(client, competition, phone="13700137000")

    at_grace_end = sweep_overdue_attempts(clock.advance(10))
    first = sweep_overdue_attempts(clock.advance(1))
    second = sweep_overdue_attempts(clock.now)

    assert (at_grace_end, first, second) == (0, 1, 0)
    closed = attempt_row(overdue["attempt_id"])
    assert closed.status == "submitted"
    assert closed.score == sum(item.points for item in answered)
    assert closed.duration_s == competition.time_limit_s
    assert closed.submitted_at == closed.deadline_at
    assert closed.participant.best_attempt_id == closed.id
    assert attempt_row(late_starter["attempt_id"]).status == "open"


def test_a_new_start_after_an_abandoned_attempt_scores_the_old_one_first(client, clock, competition):
    abandoned = start(client, competition)
    item = items_of(abandoned["attempt_id"])[0]
    answer(client, abandoned, item, correct_answer(item))
    clock.advance(competition.time_limit_s + 11)

    again = start(client, competition, phone="+86 138 0013 8000")

    old = attempt_row(abandoned["attempt_id"])
    assert again["attempt_id"] != abandoned["attempt_id"]
    assert (old.status, old.score, old.duration_s) == ("submitted", item.points, competition.time_limit_s)
