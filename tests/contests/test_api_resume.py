"""Resuming an attempt with its bearer token; one open attempt per phone; attempts allowed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.contests.models import Attempt, Participant
from tests.contests.factories import API, answer, auth, correct_answer, count, entrant, items_of, start, submit


def test_resume_returns_saved_responses_and_remaining_seconds_from_the_server_clock(client, clock, competition):
    attempt = start(client, competition)
    items = items_of(attempt["attempt_id"])
    answer(client, attempt, items[0], correct_answer(items[0]))
    answer(client, attempt, items[3], correct_answer(items[3]))
    clock.advance(125)

    state = client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=auth(attempt["token"])).get_json()

    assert state["status"] == "open"
    assert state["remaining_s"] == competition.time_limit_s - 125
    assert state["responses"] == {str(items[0].id): correct_answer(items[0]), str(items[3].id): correct_answer(items[3])}
    assert [question["id"] for question in state["questions"]] == [item.id for item in items]
    assert state["deadline_at"] == attempt["deadline_at"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer "},
    ],
    ids=["missing", "wrong", "other-scheme", "empty"],
)
def test_resume_without_the_right_token_is_a_401_json_error(client, competition, headers):
    attempt = start(client, competition)

    response = client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=headers)

    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_one_attempts_token_does_not_open_another(client, competition):
    mine = start(client, competition)
    other = start(client, competition, phone="13900139000")

    response = client.get(f"{API}/attempts/{other['attempt_id']}", headers=auth(mine["token"]))

    assert response.status_code == 401


def test_saving_and_submitting_need_the_token_too(client, competition):
    attempt = start(client, competition)
    item = items_of(attempt["attempt_id"])[0]
    url = f"{API}/attempts/{attempt['attempt_id']}"

    put = client.put(f"{url}/responses/{item.id}", json={"answer": correct_answer(item)})
    post = client.post(f"{url}/submit", headers=auth("wrong"))

    assert (put.status_code, post.status_code) == (401, 401)
    assert items_of(attempt["attempt_id"])[0].answer is None
    assert count(Attempt) == 1 and client.get(url, headers=auth(attempt["token"])).get_json()["status"] == "open"


def test_unknown_attempt_is_a_404(client, competition):
    attempt = start(client, competition)

    response = client.get(f"{API}/attempts/{attempt['attempt_id'] + 1000}", headers=auth(attempt["token"]))

    assert response.status_code == 404


@pytest.mark.parametrize("phone", ["+86 138-0013-8000", "0086 13800138000", "１３８ ００１３ ８０００"])
def test_second_start_with_the_same_phone_while_open_is_a_409_without_token(client, competition, phone):
    first = start(client, competition)

    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone=phone))

    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "attempt_open_elsewhere"
    assert "token" not in response.get_data(as_text=True)
    assert first["token"] not in response.get_data(as_text=True)
    assert (count(Participant), count(Attempt)) == (1, 1)


def test_new_attempts_start_after_submit_until_the_allowance_is_used_up(client, competition):
    starts = []
    for _ in range(competition.attempts_allowed):
        attempt = start(client, competition, phone="+86 138 0013 8000")
        starts.append(attempt["attempt_id"])
        submit(client, attempt)

    refused = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition))

    assert len(set(starts)) == competition.attempts_allowed == 3
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "attempts_used_up"
    assert "token" not in refused.get_data(as_text=True)
    assert (count(Participant), count(Attempt)) == (1, competition.attempts_allowed)


def test_a_later_start_with_the_same_identity_keeps_one_participant(client, competition, db):
    submit(client, start(client, competition))

    start(client, competition, phone="+86 138-0013-8000")

    db.session.expire_all()
    participant = db.session.scalars(select(Participant)).one()
    assert (participant.name, participant.organization) == ("张三", competition.organizations[0])
