"""POST /api/v1/competitions/{id}/attempts: the paper, validation, window and rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.contests.models import OTHER_ORGANIZATION, Attempt, Competition, Participant
from quizapp.contests.paper import option_labels
from quizapp.contests.presenters import paper_size
from tests.contests.factories import API, count, entrant, iso, items_of, start


def test_start_returns_token_deadline_and_the_paper_in_shown_order(client, clock, competition):
    body = start(client, competition)

    assert isinstance(body["attempt_id"], int)
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert body["deadline_at"].endswith("+08:00")
    assert iso(body["deadline_at"]) == clock.now + timedelta(seconds=competition.time_limit_s)
    assert body["remaining_s"] == competition.time_limit_s
    items = items_of(body["attempt_id"])
    assert len(body["questions"]) == len(items) == paper_size(competition)
    for shown, item in zip(body["questions"], items, strict=True):
        version = item.version
        assert {"id", "type", "stem", "blanks", "options"} <= set(shown)
        assert (shown["id"], shown["type"], shown["stem"], shown["blanks"]) == (item.id, version.type, version.stem, version.blank_count)
        texts = {option["id"]: option["text"] for option in version.options}
        assert shown["options"] == [
            {"id": option_id, "label": label, "text": texts[option_id]}
            for option_id, label in zip(item.option_order, option_labels(len(item.option_order)), strict=True)
        ]


def test_option_labels_run_a_b_c_in_order_on_every_choice_question(client, competition):
    body = start(client, competition)

    choice_questions = [q for q in body["questions"] if q["type"] in ("single_choice", "multiple_choice")]
    assert choice_questions
    for question in choice_questions:
        labels = [option["label"] for option in question["options"]]
        assert labels == [chr(ord("A") + index) for index in range(len(labels))]


def test_start_stores_the_participant_with_its_group_and_consent_time(client, clock, competition, db):
    body = start(client, competition, group="practitioner", name=" 李四 ")

    participant = db.session.scalar(select(Participant))
    attempt = db.session.get(Attempt, body["attempt_id"])
    assert (participant.name, participant.group, participant.consent_at) == ("李四", "practitioner", clock.now)
    assert attempt.participant_id == participant.id


def test_other_organization_is_stored_as_the_free_text(client, competition, db):
    start(client, competition, organization=OTHER_ORGANIZATION, other_organization="  某某物业公司 ")

    assert db.session.scalar(select(Participant.organization)) == "某某物业公司"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "23800138000"}, "phone"),
        ({"phone": "+1 415 555 0100"}, "phone"),
        ({"consent": False}, "consent"),
        ({"consent": "true"}, "consent"),
        ({"consent": None}, "consent"),
        ({"organization": "不在名单里的单位"}, "organization"),
        ({"organization": ""}, "organization"),
        ({"organization": OTHER_ORGANIZATION}, "other_organization"),
        ({"organization": OTHER_ORGANIZATION, "other_organization": "   "}, "other_organization"),
        ({"group": "vip"}, "group"),
        ({"group": ""}, "group"),
        ({"name": ""}, "name"),
        ({"name": "名" * 21}, "name"),
    ],
)
def test_invalid_entry_is_refused_with_422_naming_the_field(client, competition, overrides, field):
    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, **overrides))

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"] and error["fields"][field]
    assert (count(Participant), count(Attempt)) == (0, 0)


def test_missing_consent_field_is_refused_like_a_false_one(client, competition):
    body = entrant(competition)
    del body["consent"]

    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=body)

    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"consent"}


def test_every_invalid_field_is_reported_at_once(client, competition):
    body = entrant(competition, phone="1", group="vip", consent=False)

    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=body)

    assert set(response.get_json()["error"]["fields"]) == {"phone", "group", "consent"}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("name=张三&phone=13800138000", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ('["a", "list"]', "application/json"),
    ],
)
def test_non_json_object_body_is_a_400(client, competition, data, content_type):
    response = client.post(f"{API}/competitions/{competition.id}/attempts", data=data.encode(), content_type=content_type)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert count(Participant) == 0


def test_non_string_field_is_a_400(client, competition):
    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone=13800138000))

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_unknown_competition_is_a_404(client, competition, db):
    missing = db.session.scalar(select(Competition.id).order_by(Competition.id.desc())) + 1000

    response = client.post(f"{API}/competitions/{missing}/attempts", json=entrant(competition))

    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_upcoming_competition_refuses_to_start_with_403(client, clock, competition, db):
    # Pin the server clock a day before any competition starts, so the test does not depend on today's date.
    clock.now = min(c.starts_at for c in db.session.scalars(select(Competition))) - timedelta(days=1)
    listed = client.get(f"{API}/competitions").get_json()["competitions"]
    upcoming = [c for c in listed if c["status"] == "upcoming" and c["slug"].startswith("xiaofang-2026")]
    assert len(upcoming) == 1

    response = client.post(f"{API}/competitions/{upcoming[0]['id']}/attempts", json=entrant(competition, organization="区消防救援大队"))

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "competition_not_open"
    assert count(Participant) == 0


def test_closed_competition_refuses_to_start_with_403(client, clock, competition):
    clock.now = competition.ends_at

    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition))

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "competition_not_open"


def test_starts_beyond_the_rate_limit_get_429(app, client, competition):
    app.config["ATTEMPT_START_LIMIT"] = "2 per minute"
    phones = ["13800138001", "13800138002", "13800138003"]

    statuses = [
        client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone=phone)).status_code
        for phone in phones[:2]
    ]
    refused = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone=phones[2]))

    assert statuses == [201, 201]
    assert refused.status_code == 429
    assert refused.is_json and refused.get_json()["error"]["code"] == "rate_limited"
    assert count(Attempt) == 2
