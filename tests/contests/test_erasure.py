"""Erasing names and numbers (个人信息保护法): after the retention period, and on request.

Afterwards the person cannot be found by their number, their attempts and scores stay,
and every page that reads participants still works.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.contests import erasure, tasks
from quizapp.contests.models import Attempt, Participant
from quizapp.contests.ranking import leaderboard, organization_ranking
from quizapp.core.errors import NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.privacy.phone import decrypt_phone, phone_lookup_hash
from quizapp.publishing.models import JobHeartbeat
from tests.contests.factories import API, answer_all, auth, start, submit
from tests.contests.people import PEOPLE, audit_rows, make_competition, make_people

DAY = 86400


def by_phone(phone: str) -> Participant | None:
    return db.session.scalar(select(Participant).where(Participant.phone_hmac == phone_lookup_hash(phone)))


def scores() -> list[tuple[int, float]]:
    return [tuple(row) for row in db.session.execute(select(Attempt.id, Attempt.score).order_by(Attempt.id))]


@pytest.fixture
def kept_30_days(app, clock):
    """A competition that closed yesterday, keeping personal data 30 days after its end."""
    competition = make_competition(clock.now, retention_days=30)
    make_people(competition, clock.now)
    return competition


def test_the_job_waits_for_the_end_of_the_retention_period(kept_30_days, clock):
    # ends_at = now - 1 day, so the period ends 29 days from now.
    assert tasks.erase_expired_personal_data(clock.advance(29 * DAY - 1)) == {"erased": 0, "competitions": 0}
    assert by_phone("13800138000").name == "张三"

    assert tasks.erase_expired_personal_data(clock.advance(1)) == {"erased": 6, "competitions": 1}
    assert db.session.get(JobHeartbeat, tasks.ERASE_JOB_ID).result == {"erased": 6, "competitions": 1}


def test_after_erasure_no_name_or_number_is_left_but_scores_and_rankings_are(kept_30_days, clock):
    before_scores = scores()
    before_ranking = [(s.rank, s.score) for s in leaderboard(kept_30_days.id)]
    before_organizations = organization_ranking(kept_30_days)

    tasks.erase_expired_personal_data(clock.advance(30 * DAY))

    people = db.session.scalars(select(Participant).order_by(Participant.id)).all()
    assert {(p.name, p.phone_encrypted, p.phone_masked) for p in people} == {("已删除", "", "已删除")}
    assert [p.phone_hmac for p in people] == [f"erased:{p.id}" for p in people]
    assert all(p.erased_at == clock.now for p in people)
    assert [by_phone(phone) for _, phone, _ in PEOPLE] == [None] * 6
    assert decrypt_phone(people[0].phone_encrypted) is None
    assert scores() == before_scores
    assert [(s.rank, s.score) for s in leaderboard(kept_30_days.id)] == before_ranking
    assert organization_ranking(kept_30_days) == before_organizations
    assert {p.organization for p in people} == {"甲单位"}
    every_value = " ".join(str(value) for table in db.metadata.sorted_tables for row in db.session.execute(select(table)) for value in row)
    for name, phone, _ in PEOPLE:
        assert name not in every_value and phone not in every_value and phone[-4:] not in every_value


def test_the_job_is_idempotent_and_audits_once_per_competition(kept_30_days, clock):
    later = clock.advance(30 * DAY)
    tasks.erase_expired_personal_data(later)
    assert tasks.erase_expired_personal_data(later + timedelta(hours=1)) == {"erased": 0, "competitions": 0}

    [(actor, target, detail)] = audit_rows("erase")
    assert (actor, target) == ("system:scheduler", f"competition:{kept_30_days.id}")
    assert "6 名参赛者" in detail and "30 天" in detail


def test_competitions_without_a_period_or_an_end_keep_their_data(app, clock):
    kept = make_competition(clock.now, slug="keep")
    endless = make_competition(clock.now, slug="endless", retention_days=0)
    endless.ends_at = None
    make_participant_rows = make_people(kept, clock.now)
    db.session.commit()

    assert tasks.erase_expired_personal_data(clock.advance(3650 * DAY)) == {"erased": 0, "competitions": 0}
    assert make_participant_rows["张三"].name == "张三"


def test_leaderboard_pages_and_api_work_after_erasure(kept_30_days, clock, client):
    tasks.erase_expired_personal_data(clock.advance(30 * DAY))

    page = client.get(f"/competitions/{kept_30_days.id}/leaderboard")
    api = client.get(f"{API}/competitions/{kept_30_days.id}/leaderboard")

    assert page.status_code == 200 and "已删除" in page.get_data(as_text=True) and "已**" not in page.get_data(as_text=True)
    assert api.status_code == 200
    assert {row["name"] for row in api.get_json()["entries"]} == {"已删除"}


def test_erasure_on_request_touches_one_person_once_with_an_audit_row(kept_30_days, clock):
    zhang = by_phone("13800138000")

    assert erasure.erase_participant(zhang.id, actor="staff:3", reason="本人来电要求删除", now=clock.now) is True
    assert erasure.erase_participant(zhang.id, actor="staff:3", reason="本人来电要求删除", now=clock.now) is False

    db.session.expire_all()
    assert db.session.get(Participant, zhang.id).name == "已删除" and by_phone("13800138000") is None
    assert by_phone("13900139000").name == "李四"
    assert [(16, 80.0)] == [(a, s) for a, s in scores() if a == 16]
    [(actor, target, detail)] = audit_rows("erase")
    assert (actor, target) == ("staff:3", f"participant:{zhang.id}")
    assert "本人来电要求删除" in detail and "张三" not in detail and "8000" not in detail


def test_erasure_on_request_needs_a_reason_and_an_existing_participant(kept_30_days, clock):
    zhang = by_phone("13800138000")
    with pytest.raises(ValidationFailed) as refused:
        erasure.erase_participant(zhang.id, actor="staff:3", reason="  ", now=clock.now)
    assert refused.value.fields == {"reason": "请填写原因（不超过200个字）"}
    with pytest.raises(NotFound):
        erasure.erase_participant(9999, actor="staff:3", reason="x", now=clock.now)
    assert by_phone("13800138000").name == "张三" and audit_rows("erase") == []


def test_an_erased_entrant_of_an_open_competition_keeps_their_result_page_and_may_enter_anew(client, competition, clock):
    first = start(client, competition, name="张三", phone="13800138000")
    answer_all(client, first, wrong=1)
    result = submit(client, first)
    participant_id = db.session.scalar(select(Attempt.participant_id).where(Attempt.id == first["attempt_id"]))

    erasure.erase_participant(participant_id, actor="staff:1", reason="本人要求", now=clock.now)

    again = client.get(f"{API}/attempts/{first['attempt_id']}", headers=auth(first["token"]))
    assert again.status_code == 200 and again.get_json()["result"]["score"] == result["score"]
    assert client.get(f"/competitions/{competition.id}/leaderboard").status_code == 200
    start(client, competition, name="张三", phone="13800138000")
    assert db.session.scalar(select(func.count(Participant.id))) == 2
    assert by_phone("13800138000").id != participant_id


def test_the_scheduler_registers_the_hourly_erasure_job(paused_scheduler):
    assert paused_scheduler.get_job(tasks.ERASE_JOB_ID).trigger.interval == timedelta(hours=1)


def test_the_results_export_works_after_erasure_and_shows_no_number(kept_30_days, clock):
    from openpyxl import load_workbook

    from quizapp.contests.results import export_results

    tasks.erase_expired_personal_data(clock.advance(30 * DAY))

    with export_results(kept_30_days.id, full=True, actor="staff:1", now=clock.now) as handle:
        workbook = load_workbook(handle, read_only=True)
        cells = [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
        workbook.close()

    assert cells.count("已删除") >= 6
    for name, phone, _ in PEOPLE:
        assert name not in cells and phone not in cells
