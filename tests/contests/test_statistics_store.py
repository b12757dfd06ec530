"""Stored statistics: the page reuses a current snapshot, recomputes small competitions, and the job refreshes stale ones.

The figures themselves are those of :mod:`tests.contests.test_statistics` (the hand-computed
sample of :func:`sample_competition`); here the question is when they are computed and what
is shown meanwhile.
"""

from __future__ import annotations

import math
import statistics as pystats
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.contests import statistics_store, tasks
from quizapp.contests.models import Attempt, PaperItem, StatisticsSnapshot
from quizapp.contests.statistics import competition_statistics, question_statistics
from quizapp.contests.statistics_store import (
    from_document,
    recompute,
    refresh_stale,
    source_fingerprint,
    statistics_page,
    to_document,
)
from quizapp.extensions import db
from tests.conftest import ON_POSTGRES
from tests.contests.sittings import make_competition, make_participant, sample_competition, sit

#: 2026-03-02 10:00 in Asia/Shanghai.
NOON_UTC = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def sample(app):
    """The hand-computed sample: 6 participants, 6 submitted attempts and one open."""
    return sample_competition()


@pytest.fixture
def computations(monkeypatch):
    """Count the full computations (calls of ``competition_statistics``) the store makes; returns the list of ids."""
    calls: list[int] = []

    def counted(competition_id: int):
        calls.append(competition_id)
        return competition_statistics(competition_id)

    monkeypatch.setattr(statistics_store, "competition_statistics", counted)
    return calls


def _page(client, competition_id: int) -> str:
    response = client.get(f"/staff/reports/competitions/{competition_id}/statistics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _late_arrival(sample, name="郑七", phone="13800000007", marks=(1, 1, 2)):
    """Add one more participant whose first attempt scores *marks* on Q1–Q3, submitted; commits."""
    versions = sample["versions"]
    person = make_participant(sample["competition"], name, phone, organization="乙单位")
    sit(person, list(zip((versions["Q1"], versions["Q2"], versions["Q3"]), marks, strict=True)), NOON_UTC, 120)
    db.session.commit()
    return person


def test_a_stored_snapshot_gives_back_the_same_figures(sample):
    stats = competition_statistics(sample["competition"].id)

    recompute(sample["competition"], NOON_UTC)
    db.session.expire_all()  # read the JSON back from the database (JSONB on PostgreSQL), not the session
    stored = db.session.get(StatisticsSnapshot, sample["competition"].id)

    assert from_document(sample["competition"], stored.data) == stats
    assert stored.computed_at == NOON_UTC and stored.fingerprint == source_fingerprint(sample["competition"]).key
    assert stored.data["format"] == statistics_store.FORMAT


def test_the_page_reuses_the_snapshot_and_shows_a_new_submission_at_once_for_a_small_competition(
    client, sample, make_staff, login_as, computations
):
    login_as(client, make_staff("reviewer"))
    competition_id = sample["competition"].id

    first = _page(client, competition_id)
    again = _page(client, competition_id)
    assert computations == [competition_id]  # the second view read the snapshot
    assert "共 5 人" in first and "共 5 人" in again and "已包含全部交卷" in again

    _late_arrival(sample)
    after = _page(client, competition_id)

    assert computations == [competition_id, competition_id]
    # 6 best scores now; the newcomer's 4 of 4 joins the 90–100% bar (was 2).
    assert "共 6 人" in after and "<title>90–100%：3</title>" in after


def test_a_large_competition_is_never_computed_by_the_page(app, client, sample, make_staff, login_as, computations):
    app.config["STATISTICS_INLINE_LIMIT"] = 2  # the sample has 6 submitted attempts
    login_as(client, make_staff("reviewer"))
    competition_id = sample["competition"].id

    before = _page(client, competition_id)
    assert "统计正在生成" in before and "每10分钟" in before and "<svg" not in before
    assert computations == []

    tasks.refresh_statistics(NOON_UTC)
    current = _page(client, competition_id)
    assert "数据截至 10:00，已包含全部交卷" in current and "共 5 人" in current

    _late_arrival(sample)
    stale = _page(client, competition_id)
    # The stored figures, with their time in Asia/Shanghai, until the job runs again.
    assert "数据截至 03月02日 10:00（每10分钟更新）" in stale and "共 5 人" in stale
    assert computations == [competition_id]

    tasks.refresh_statistics(NOON_UTC + timedelta(minutes=10))
    assert "共 6 人" in _page(client, competition_id) and computations == [competition_id, competition_id]


def test_the_job_recomputes_only_stale_competitions_and_twice_is_the_same_as_once(sample, computations):
    other = make_competition("第二场", datetime(2026, 4, 1, tzinfo=UTC))
    person = make_participant(other, "王八", "13900000008")
    sit(person, [(sample["versions"]["Q1"], 1)], other.starts_at, 60)
    empty = make_competition("无人参加", datetime(2026, 5, 1, tzinfo=UTC))
    db.session.commit()
    ids = sample["competition"].id, other.id, empty.id

    assert tasks.refresh_statistics(NOON_UTC) == {"recomputed": [ids[0], ids[1]], "claimed_elsewhere": [], "failed": []}
    stored = {row.competition_id: (row.fingerprint, row.data, row.computed_at) for row in db.session.scalars(select(StatisticsSnapshot))}
    assert tasks.refresh_statistics(NOON_UTC + timedelta(minutes=10))["recomputed"] == []
    db.session.expire_all()
    again = {row.competition_id: (row.fingerprint, row.data, row.computed_at) for row in db.session.scalars(select(StatisticsSnapshot))}
    assert again == stored and set(stored) == {ids[0], ids[1]}

    _late_arrival(sample)
    assert tasks.refresh_statistics(NOON_UTC + timedelta(minutes=20))["recomputed"] == [ids[0]]
    assert computations == [ids[0], ids[1], ids[0]]
    heartbeat = db.session.get(tasks.JobHeartbeat, tasks.STATISTICS_JOB_ID)
    assert heartbeat.ran_at == NOON_UTC + timedelta(minutes=20) and heartbeat.result["recomputed"] == [ids[0]]


def test_a_competition_claimed_by_another_run_is_left_to_it_until_the_claim_lapses(sample, computations):
    competition_id = sample["competition"].id
    db.session.add(StatisticsSnapshot(competition_id=competition_id, fingerprint="", claimed_until=NOON_UTC + timedelta(minutes=5)))
    db.session.commit()

    assert refresh_stale(NOON_UTC)["claimed_elsewhere"] == [competition_id]
    assert computations == []
    # The other run died: after its claim lapses (CLAIM_S), the next run takes the competition over.
    result = refresh_stale(NOON_UTC + timedelta(minutes=6))
    assert result["recomputed"] == [competition_id] and computations == [competition_id]
    assert db.session.get(StatisticsSnapshot, competition_id).claimed_until is None


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="two connections at once need PostgreSQL; in-memory SQLite is one connection")
def test_two_runs_at_once_compute_a_competition_once(app, sample, monkeypatch):
    competition_id = sample["competition"].id
    db.session.rollback()
    inside, release = threading.Event(), threading.Event()
    calls: list[int] = []
    results: list[dict] = []
    errors: list[BaseException] = []

    def slow(competition_id: int):
        calls.append(competition_id)
        inside.set()
        assert release.wait(timeout=30)
        return competition_statistics(competition_id)

    monkeypatch.setattr(statistics_store, "competition_statistics", slow)

    def first_run() -> None:
        try:
            with app.app_context():
                results.append(tasks.refresh_statistics(NOON_UTC))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
            inside.set()

    thread = threading.Thread(target=first_run)
    thread.start()
    assert inside.wait(timeout=30)
    # The first run is computing (its claim committed): a second run at the same moment leaves it alone.
    second = tasks.refresh_statistics(NOON_UTC)
    release.set()
    thread.join(timeout=60)

    assert not errors, errors
    assert second == {"recomputed": [], "claimed_elsewhere": [competition_id], "failed": []}
    assert results == [{"recomputed": [competition_id], "claimed_elsewhere": [], "failed": []}]
    assert calls == [competition_id]
    db.session.expire_all()
    stored = db.session.get(StatisticsSnapshot, competition_id)
    assert stored.claimed_until is None and from_document(sample["competition"], stored.data) == competition_statistics(competition_id)


def test_a_run_that_finds_the_snapshot_brought_up_to_date_meanwhile_does_not_compute_again(sample, computations, monkeypatch):
    competition = sample["competition"]
    # Another run finishes between this run's listing and its claim.
    real_claim = statistics_store._claim

    def claim_after_the_other_run(competition_id, now):
        recompute(competition, now)
        return real_claim(competition_id, now)

    monkeypatch.setattr(statistics_store, "_claim", claim_after_the_other_run)

    assert refresh_stale(NOON_UTC)["recomputed"] == []
    assert computations == [competition.id]  # the other run's computation only


def test_what_changes_the_fingerprint(sample, app):
    from quizapp.contests.erasure import erase_participant
    from quizapp.contests.support_services import grant_extra_attempt, reset_attempt

    competition = sample["competition"]
    start = source_fingerprint(competition)
    assert (start.attempts, start.submitted, start.participants, start.score_total) == (7, 6, 6, 3 + 2 + 4 + 1 + 1 + 4)

    # Erasure and an extra attempt change no figure, and so not the fingerprint either.
    stats = competition_statistics(competition.id)
    erase_participant(sample["people"]["A"].id, actor="staff:1", reason="本人申请")
    grant_extra_attempt(sample["people"]["B"].id, actor="staff:1", reason="网络中断", now=competition.starts_at + timedelta(days=1))
    assert source_fingerprint(competition).key == start.key
    assert competition_statistics(competition.id) == stats

    # A support reset submits F's open attempt as it stands (0 points): one more submitted attempt.
    reset_attempt(sample["attempts"]["F"][0].id, actor="staff:1", reason="卡住了")
    after_reset = source_fingerprint(competition)
    assert (after_reset.submitted, after_reset.score_total) == (7, start.score_total)
    assert after_reset.key != start.key

    # Changing the 单位 list changes what is counted as 其他.
    competition.organizations = ["甲单位"]
    db.session.commit()
    assert source_fingerprint(competition).key != after_reset.key


def test_two_attempts_started_at_the_same_moment_count_the_lower_id_first(app):
    from tests.contests.sittings import make_version

    competition = make_competition("同时开始", datetime(2026, 5, 1, tzinfo=UTC))
    question = make_version("S")
    person = make_participant(competition, "甲", "13600000001")
    sit(person, [(question, 0)], competition.starts_at, 60)
    sit(person, [(question, 1)], competition.starts_at, 30)
    db.session.commit()

    (row,) = question_statistics(competition.id)

    assert row.attempts == 1 and row.mean_points == 0.0


def test_discrimination_of_attempts_taken_through_the_api_matches_the_sum_of_their_item_marks(client, clock, competition):
    # The analysis takes the attempt's stored score as its total; computed here from the items
    # themselves (Moodle's sum of marks), with Python's own correlation, the indices must agree.
    from tests.contests.factories import answer_all, start, submit

    competition.partial_credit_multiple = True
    db.session.commit()
    for index, wrong in enumerate((0, 2, 5, 9)):
        attempt = start(client, competition, phone=f"1380013810{index}", name=f"人{index}")
        answer_all(client, attempt, wrong=wrong)
        clock.advance(60)
        submit(client, attempt)

    items = db.session.execute(
        select(PaperItem.attempt_id, PaperItem.question_version_id, PaperItem.points_awarded)
        .join(Attempt, Attempt.id == PaperItem.attempt_id)
        .where(Attempt.competition_id == competition.id)
    ).all()
    totals: dict[int, float] = {}
    for attempt_id, _, mark in items:
        totals[attempt_id] = totals.get(attempt_id, 0.0) + mark
    by_version: dict[int, list[tuple[float, float]]] = {}
    for attempt_id, version_id, mark in items:
        by_version.setdefault(version_id, []).append((mark, totals[attempt_id] - mark))

    checked = 0
    for row in question_statistics(competition.id):
        pairs = by_version[row.version_id]
        marks, rests = [x for x, _ in pairs], [rest for _, rest in pairs]
        if len(pairs) > 1 and pystats.pvariance(marks) > 0 and pystats.pvariance(rests) > 0:
            assert row.discrimination == pytest.approx(100 * pystats.correlation(marks, rests), abs=1e-9)
            checked += 1
        else:
            assert row.discrimination is None
        assert row.mean_points == pytest.approx(math.fsum(marks) / len(marks))
    assert checked > 0


def test_the_cli_recomputes_one_competition(runner, sample):
    result = runner.invoke(args=["contests", "statistics", str(sample["competition"].id)])
    unknown = runner.invoke(args=["contests", "statistics", "9999"])

    assert result.exit_code == 0 and "统计已更新" in result.output and "5 人有成绩" in result.output
    assert "3 个题目版本" in result.output
    assert db.session.get(StatisticsSnapshot, sample["competition"].id).data is not None
    assert unknown.exit_code == 1 and "不存在" in unknown.output


def test_the_scheduler_registers_the_statistics_job_every_ten_minutes(paused_scheduler):
    assert paused_scheduler.get_job(tasks.STATISTICS_JOB_ID).trigger.interval == timedelta(minutes=10)


def test_the_page_of_a_snapshot_document_round_trips(sample):
    stats = competition_statistics(sample["competition"].id)

    assert from_document(sample["competition"], to_document(stats)) == stats
    page = statistics_page(sample["competition"].id, NOON_UTC)
    assert page.is_current and page.computed_at == NOON_UTC and page.stats == stats
