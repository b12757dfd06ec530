"""Participant support: search by attempt id, masked or full number, last four + name; reset; extra attempt."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.contests import erasure
from quizapp.contests.models import Attempt, Participant
from quizapp.contests.support_services import find_participants, grant_extra_attempt, participant_row, reset_attempt
from quizapp.core.errors import Conflict, NotFound, ValidationFailed
from quizapp.extensions import db
from tests.contests.factories import API, answer, auth, correct_answer, entrant, items_of, start
from tests.contests.people import audit_rows, make_competition, make_people


@pytest.fixture
def people(app, clock):
    """The six people of :data:`tests.contests.people.PEOPLE` in a competition that closed yesterday."""
    competition = make_competition(clock.now)
    return make_people(competition, clock.now)


def names(rows) -> list[str]:
    return [row.participant.name for row in rows]


@pytest.mark.parametrize(
    ("query", "name", "found"),
    [
        ("#16", "", ["张三"]),
        ("11", "", ["张三"]),  # any attempt of the person
        ("138****8000", "", ["张三"]),
        ("138****8000", "李四", []),
        ("8000", "张三", ["张三"]),
        ("8000", "李四", []),
        ("13800138000", "", ["张三"]),
        ("+86 138 0013 8000", "", ["张三"]),
        ("13912345678", "", []),
        ("#999", "", []),
    ],
)
def test_search_forms(people, query, name, found):
    assert names(find_participants(query, name)) == found


def test_search_rows_carry_attempts_newest_first_and_the_allowance(people):
    [row] = find_participants("138****8000")
    assert [a.id for a in row.attempts] == [16, 11]
    assert (row.attempts_used, row.attempts_allowed) == (2, 2)


def test_search_can_be_limited_to_a_competition(people, clock):
    other = make_competition(clock.now, slug="other")
    assert find_participants("13800138000", competition_id=other.id) == []
    assert names(find_participants("13800138000", competition_id=people["张三"].competition_id)) == ["张三"]


@pytest.mark.parametrize("query", ["", "张三", "138****80", "1380013800x"])
def test_unrecognised_searches_say_what_to_type(people, query):
    with pytest.raises(ValidationFailed) as refused:
        find_participants(query)
    assert "query" in refused.value.fields and "答题编号" in refused.value.message


def test_erased_people_are_found_by_attempt_id_only(people, clock):
    erasure.erase_participant(people["张三"].id, actor="staff:1", reason="本人要求", now=clock.now)

    assert find_participants("13800138000") == [] and find_participants("138****8000") == []
    assert find_participants("8000", "张三") == []
    assert names(find_participants("#16")) == ["已删除"]


def test_full_number_search_stores_and_logs_nothing(people, caplog):
    find_participants("13800138000")
    assert "13800138000" not in caplog.text
    assert audit_rows("search") == []


# ---- reset a stuck attempt ----------------------------------------------------------------------


def test_reset_closes_an_open_attempt_scored_as_it_stands(client, competition, clock):
    attempt = start(client, competition)
    first, *_ = items_of(attempt["attempt_id"])
    answer(client, attempt, first, correct_answer(first))
    clock.advance(120)

    closed = reset_attempt(attempt["attempt_id"], actor="staff:2", reason="考生手机没电，无法回到原设备", now=clock.now)

    assert (closed.status, closed.score, closed.duration_s) == ("submitted", first.points, 120)
    participant = db.session.get(Participant, closed.participant_id)
    assert participant.best_attempt_id == closed.id and participant.best_score == first.points
    [(actor, target, detail)] = audit_rows("reset_attempt")
    assert (actor, target) == ("staff:2", f"attempt:{closed.id}")
    assert "考生手机没电" in detail and f"得分 {first.points:g}" in detail
    # the participant can start again (the allowance counts the closed attempt: 3 allowed, 1 used)
    start(client, competition)


def test_reset_of_a_closed_attempt_is_refused_and_changes_nothing(people, clock):
    with pytest.raises(Conflict) as refused:
        reset_attempt(16, actor="staff:2", reason="误操作", now=clock.now)
    assert refused.value.code == "already_submitted"
    with pytest.raises(NotFound):
        reset_attempt(999, actor="staff:2", reason="x", now=clock.now)
    with pytest.raises(ValidationFailed):
        reset_attempt(16, actor="staff:2", reason="", now=clock.now)
    assert audit_rows("reset_attempt") == []


# ---- extra attempts ------------------------------------------------------------------------------


def test_an_extra_attempt_lets_a_participant_start_once_more(client, competition, clock):
    competition.attempts_allowed = 1
    db.session.commit()
    attempt = start(client, competition)
    client.post(f"{API}/attempts/{attempt['attempt_id']}/submit", headers=auth(attempt["token"]))
    refused = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "attempts_used_up"
    participant_id = db.session.scalar(select(Attempt.participant_id))

    granted = grant_extra_attempt(participant_id, actor="staff:5", reason="断网重考", expected=0, now=clock.now)

    assert granted.extra_attempts == 1 and participant_row(participant_id).attempts_allowed == 2
    second = start(client, competition)
    client.post(f"{API}/attempts/{second['attempt_id']}/submit", headers=auth(second["token"]))
    third = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition))
    assert third.status_code == 409 and "2次" in third.get_json()["error"]["message"]
    [(actor, target, detail)] = audit_rows("grant_attempt")
    assert (actor, target) == ("staff:5", f"participant:{participant_id}")
    assert "断网重考" in detail and "共 2 次" in detail


def test_a_repeated_grant_with_the_same_expected_count_adds_nothing(client, competition, clock):
    attempt = start(client, competition)
    participant_id = db.session.scalar(select(Attempt.participant_id).where(Attempt.id == attempt["attempt_id"]))
    grant_extra_attempt(participant_id, actor="staff:5", reason="补考", expected=0, now=clock.now)

    with pytest.raises(Conflict) as refused:
        grant_extra_attempt(participant_id, actor="staff:5", reason="补考", expected=0, now=clock.now)

    assert refused.value.code == "stale"
    db.session.expire_all()
    assert db.session.get(Participant, participant_id).extra_attempts == 1 and len(audit_rows("grant_attempt")) == 1


def test_no_extra_attempt_after_the_close_or_for_an_erased_participant(people, clock):
    with pytest.raises(Conflict) as closed:
        grant_extra_attempt(people["李四"].id, actor="staff:5", reason="补考", now=clock.now)
    assert closed.value.code == "competition_closed"
    erasure.erase_participant(people["张三"].id, actor="staff:1", reason="本人要求", now=clock.now)
    with pytest.raises(Conflict) as erased:
        grant_extra_attempt(people["张三"].id, actor="staff:5", reason="补考", now=clock.now)
    assert erased.value.code == "erased" and audit_rows("grant_attempt") == []
