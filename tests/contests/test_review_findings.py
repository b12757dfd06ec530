"""Faults found by a fresh-eyes review (issue #2), each now a test."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from quizapp.contests.models import OTHER_ORGANIZATION, Attempt
from quizapp.contests.ranking import organization_ranking
from quizapp.extensions import db
from tests.contests.factories import API, answer_all, attempt_row, auth, entrant, start, submit

HUGE = 2**63


def test_a_number_keeps_the_name_and_unit_of_its_first_registration(client, competition):
    first = start(client, competition, name="张三丰", organization=competition.organizations[1])
    answer_all(client, first)
    submit(client, first)

    response = client.post(
        f"{API}/competitions/{competition.id}/attempts",
        json=entrant(competition, name="冒名者", organization=OTHER_ORGANIZATION, other_organization="某某公司"),
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "identity_mismatch"
    entries = client.get(f"{API}/competitions/{competition.id}/leaderboard").get_json()["entries"]
    assert [(entry["name"], entry["organization"]) for entry in entries] == [("张**", competition.organizations[1])]


def test_only_successful_starts_count_against_the_rate_limit(app, client, competition):
    app.config["ATTEMPT_START_LIMIT"] = "2 per minute"
    url = f"{API}/competitions/{competition.id}/attempts"
    for _ in range(3):
        assert client.post(url, json=entrant(competition, phone="12345")).status_code == 422
    assert client.post(url, json=entrant(competition, phone="13800000001")).status_code == 201
    assert client.post(url, json=entrant(competition, phone="13800000002")).status_code == 201

    refused = client.post(url, json=entrant(competition, phone="13800000003"))

    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"


@pytest.mark.parametrize(
    "path",
    [
        f"/competitions/{HUGE}",
        f"/competitions/{HUGE}/leaderboard",
        f"/attempts/{HUGE}/q/1",
        f"{API}/attempts/{HUGE}",
        f"{API}/competitions/{HUGE}/leaderboard",
        f"{API}/competitions/{2**31}",
    ],
)
def test_ids_beyond_the_integer_range_are_not_found(client, competition, path):
    response = client.get(path)

    assert response.status_code == 404


def test_a_body_over_the_size_limit_gets_413_in_json(client, competition):
    body = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'

    response = client.post(f"{API}/competitions/{competition.id}/attempts", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_absurdly_nested_json_is_a_400_not_a_crash(client, competition):
    attempt = start(client, competition)
    question = attempt["questions"][0]["id"]
    body = "[" * 100_000 + "]" * 100_000

    response = client.put(
        f"{API}/attempts/{attempt['attempt_id']}/responses/{question}",
        data=body,
        content_type="application/json",
        headers=auth(attempt["token"]),
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_the_database_refuses_a_second_open_attempt_for_one_participant(client, competition):
    first = attempt_row(start(client, competition)["attempt_id"])
    twin = Attempt(
        competition_id=first.competition_id,
        participant_id=first.participant_id,
        token_hash="0" * 64,
        seed="twin",
        started_at=first.started_at,
        deadline_at=first.deadline_at,
    )
    db.session.add(twin)

    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("phone", ["12345678901", "10000000000", "11111111111"])
def test_numbers_outside_mobile_ranges_are_refused(client, competition, phone):
    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone=phone))

    assert response.status_code == 422
    assert "phone" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "<b>赵</b>六"),
        ("other_organization", "<img src=x onerror=alert(1)>"),
        ("name", "\u200b"),  # found by review: an invisible name topped the leaderboard as "\u200b*"
        ("name", "\u202e王五六"),  # a right-to-left override hid the surname after masking
        ("name", "A\u0301\u0301\u0301\u0301"),
        ("other_organization", "某\u200d公司"),
    ],
)
def test_markup_in_names_and_free_text_units_is_refused(client, competition, field, value):
    body = entrant(competition, organization=OTHER_ORGANIZATION, **{"other_organization": "某某公司", field: value})

    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=body)

    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_free_text_units_are_ranked_together_as_other(client, competition):
    for phone, name, unit in (("13800000001", "甲", "自编单位一"), ("13800000002", "乙", "自编单位二")):
        attempt = start(client, competition, phone=phone, name=name, organization=OTHER_ORGANIZATION, other_organization=unit)
        submit(client, attempt)
    listed = start(client, competition, phone="13800000003", name="丙")
    answer_all(client, listed)
    submit(client, listed)

    rows = {row.organization: row.participants for row in organization_ranking(competition)}

    assert rows == {competition.organizations[0]: 1, OTHER_ORGANIZATION: 2}


def test_a_refreshed_start_url_leads_back_to_the_entry_form(client, competition):
    response = client.get(f"/competitions/{competition.id}/start")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}#entry")
