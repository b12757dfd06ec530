"""Background results exports: request, claim once, build, store in chunks, read back, expire after a day."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from quizapp.contests import export_jobs, tasks
from quizapp.contests.export_jobs import (
    RETENTION_S,
    STALE_S,
    build_export,
    describe_filters,
    read_chunks,
    record_download,
    request_export,
    run_export_jobs,
    stored_export,
)
from quizapp.contests.models import ExportChunk, ExportJob
from quizapp.contests.results import ATTEMPT_HEADERS, PARTICIPANT_HEADERS, ResultFilter, export_rows
from quizapp.core.errors import DomainError, NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.conftest import ON_POSTGRES
from tests.contests.sittings import SAMPLE_START, make_competition, sample_competition

T0 = SAMPLE_START + timedelta(days=40)  # the competition is over; the clock of the export


@pytest.fixture
def sample(app):
    """The sample competition of :func:`sample_competition`."""
    return sample_competition()


def _stored_sheets(job_id: int) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(b"".join(read_chunks(job_id))), read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    finally:
        workbook.close()


def _chunks(job_id: int | None = None) -> int:
    query = select(func.count()).select_from(ExportChunk)
    if job_id is not None:
        query = query.where(ExportChunk.job_id == job_id)
    return db.session.scalar(query)


def _audit() -> list[tuple[str, str, str]]:
    return [(entry.actor, entry.action, entry.target) for entry in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_rows_count_participants_and_their_attempts_under_the_filter(sample):
    competition_id = sample["competition"].id
    assert export_rows(competition_id) == 6 + 7  # six participants, E has two attempts
    assert export_rows(competition_id, ResultFilter(organization="乙单位")) == 2 + 2  # 孙三 and 吴六, one attempt each
    assert export_rows(competition_id, ResultFilter(passed=False)) == 1 + 1  # 李四


def test_a_requested_job_is_built_by_the_scheduled_job_and_reads_back_cell_by_cell(sample, monkeypatch):
    monkeypatch.setattr(export_jobs, "CHUNK_BYTES", 1000)  # several chunks for a file of a few kilobytes
    competition = sample["competition"]
    job, created = request_export(competition.id, full=False, actor="staff:7", now=T0)
    assert created and (job.status, job.is_full, job.requested_by, job.created_at) == ("queued", False, "staff:7", T0)

    result = tasks.build_exports(now=T0 + timedelta(seconds=15))

    assert result == {"built": [job.id], "not_built": [], "deleted": 0, "stale": 0}
    db.session.refresh(job)
    assert (job.status, job.started_at, job.finished_at, job.error) == ("done", T0 + timedelta(seconds=15), T0 + timedelta(seconds=15), "")
    assert job.size_bytes == len(b"".join(read_chunks(job.id))) and _chunks(job.id) == -(-job.size_bytes // 1000) > 1
    sheets = _stored_sheets(job.id)
    assert list(sheets) == ["参赛者", "答题记录"]
    participants, attempts = sheets["参赛者"], sheets["答题记录"]
    assert participants[0] == PARTICIPANT_HEADERS and attempts[0] == ATTEMPT_HEADERS
    # Ranking order; first attempts start at 10:00 local + one minute each (A…E), so C submits 10:02 + 500 s = 10:10:20.
    assert participants[1:] == [
        ("孙三", "138****0003", "乙单位", "社会群众", 1, 4, 500, datetime(2026, 3, 1, 10, 10, 20), "是"),
        ("周五", "138****0005", "甲单位", "社会群众", 2, 4, 600, datetime(2026, 3, 2, 9, 10, 0), "是"),
        ("赵一", "138****0001", "甲单位", "社会群众", 1, 3, 300, datetime(2026, 3, 1, 10, 5, 0), "是"),
        ("钱二", "138****0002", "甲单位", "从业人员", 1, 2, 200, datetime(2026, 3, 1, 10, 4, 20), "是"),
        ("李四", "138****0004", "某某公司", "从业人员", 1, 1, 100, datetime(2026, 3, 1, 10, 4, 40), "否"),
        ("吴六", "138****0006", "乙单位", "从业人员", 1, None, None, None, None),
    ]
    assert [row[1:3] for row in attempts[1:]] == [
        ("赵一", "138****0001"), ("钱二", "138****0002"), ("孙三", "138****0003"), ("李四", "138****0004"),
        ("周五", "138****0005"), ("周五", "138****0005"), ("吴六", "138****0006"),
    ]  # fmt: skip
    # E's second attempt: 2026-03-02 09:00 local, 600 s, 4 of 4 points.
    assert attempts[6][5:] == ("已交卷", datetime(2026, 3, 2, 9, 0), datetime(2026, 3, 2, 9, 10), 600, 4, 4, "是")
    assert _audit() == []  # a masked export is not audited


def test_the_job_applies_the_filters_it_was_requested_with(sample):
    competition = sample["competition"]
    filters = ResultFilter(organization="乙单位", group="public")
    job, _ = request_export(competition.id, full=False, actor="staff:7", filters=filters, now=T0)

    assert build_export(job.id, now=T0)

    sheets = _stored_sheets(job.id)
    assert [row[0] for row in sheets["参赛者"][1:]] == ["孙三"]
    assert [row[1] for row in sheets["答题记录"][1:]] == ["孙三"]
    assert describe_filters(job) == "乙单位；社会群众"


def test_a_job_claimed_twice_is_built_once(sample):
    job, _ = request_export(sample["competition"].id, full=False, actor="staff:7", now=T0)

    assert build_export(job.id, now=T0) is True
    chunks = _chunks(job.id)
    assert build_export(job.id, now=T0 + timedelta(seconds=1)) is False  # a second scheduler, or a second run
    assert run_export_jobs(now=T0 + timedelta(seconds=2))["built"] == []

    assert _chunks(job.id) == chunks
    db.session.refresh(job)
    assert (job.status, job.finished_at) == ("done", T0)


def test_a_job_another_scheduler_claimed_first_is_left_to_it(sample, monkeypatch):
    job, _ = request_export(sample["competition"].id, full=False, actor="staff:7", now=T0)
    real_claim = export_jobs._claim

    def raced(job_id, now):
        # The other scheduler's UPDATE lands between our SELECT of queued jobs and our own claim.
        db.session.execute(ExportJob.__table__.update().where(ExportJob.id == job_id).values(status="running", started_at=now))
        db.session.commit()
        return real_claim(job_id, now)

    monkeypatch.setattr(export_jobs, "_claim", raced)

    assert run_export_jobs(now=T0) == {"built": [], "not_built": [job.id], "deleted": 0, "stale": 0}
    assert _chunks() == 0


def test_a_repeated_request_returns_the_pending_job_and_other_filters_get_their_own(sample):
    competition_id = sample["competition"].id
    first, created = request_export(competition_id, full=False, actor="staff:7", now=T0)
    again, created_again = request_export(competition_id, full=False, actor="staff:8", now=T0)
    other, created_other = request_export(competition_id, full=False, actor="staff:7", filters=ResultFilter(passed=True), now=T0)
    full, created_full = request_export(competition_id, full=True, actor="staff:1", now=T0)

    assert (created, created_again, created_other, created_full) == (True, False, True, True)
    assert again.id == first.id and len({first.id, other.id, full.id}) == 3


def test_a_full_job_decrypts_and_is_audited_when_requested_and_at_each_download(sample):
    competition = sample["competition"]
    job, _ = request_export(competition.id, full=True, actor="staff:1", now=T0)
    assert _audit() == [("staff:1", "export_full_request", f"competition:{competition.id}")]

    build_export(job.id, now=T0)
    assert len(_audit()) == 1  # building hands nothing out
    sheets = _stored_sheets(job.id)
    assert [row[1] for row in sheets["参赛者"][1:]] == [
        "13800000003", "13800000005", "13800000001", "13800000002", "13800000004", "13800000006",
    ]  # fmt: skip
    assert sheets["答题记录"][1][2] == "13800000001"

    record_download(stored_export(job.id, competition.id, allow_full=True), "staff:1", now=T0)
    record_download(stored_export(job.id, competition.id, allow_full=True), "staff:2", now=T0)
    target = f"competition:{competition.id}"
    assert _audit()[1:] == [("staff:1", "export_full", target), ("staff:2", "export_full", target)]


def test_a_full_file_is_refused_without_the_right_and_a_masked_one_stays_masked(sample):
    competition_id = sample["competition"].id
    full, _ = request_export(competition_id, full=True, actor="staff:1", now=T0)
    masked, _ = request_export(competition_id, full=False, actor="staff:7", now=T0)
    run_export_jobs(now=T0)

    with pytest.raises(DomainError) as refused:
        stored_export(full.id, competition_id, allow_full=False)
    assert refused.value.status == 403
    assert stored_export(masked.id, competition_id, allow_full=True).is_full is False
    assert all("****" in row[1] for row in _stored_sheets(masked.id)["参赛者"][1:])
    with pytest.raises(NotFound):
        stored_export(masked.id, competition_id + 1, allow_full=True)  # another competition's URL


def test_a_queued_or_unknown_job_has_no_file_and_a_request_needs_an_actor(sample):
    competition_id = sample["competition"].id
    job, _ = request_export(competition_id, full=False, actor="staff:7", now=T0)
    with pytest.raises(NotFound):
        stored_export(job.id, competition_id, allow_full=True)
    with pytest.raises(NotFound):
        stored_export(9999, competition_id, allow_full=True)
    with pytest.raises(ValidationFailed):
        request_export(competition_id, full=False, actor="")
    with pytest.raises(NotFound):
        request_export(9999, full=False, actor="staff:7")


def test_files_are_deleted_a_day_after_they_were_finished(sample):
    competition_id = sample["competition"].id
    job, _ = request_export(competition_id, full=True, actor="staff:1", now=T0)
    build_export(job.id, now=T0 + timedelta(minutes=1))
    later, _ = request_export(competition_id, full=False, actor="staff:7", now=T0 + timedelta(hours=2))
    build_export(later.id, now=T0 + timedelta(hours=2))

    just_before = run_export_jobs(now=T0 + timedelta(minutes=1, seconds=RETENTION_S - 1))
    assert just_before["deleted"] == 0 and _chunks(job.id) > 0

    due = run_export_jobs(now=T0 + timedelta(minutes=1, seconds=RETENTION_S))
    assert due["deleted"] == 1
    assert db.session.get(ExportJob, job.id, populate_existing=True) is None and _chunks(job.id) == 0
    assert _chunks(later.id) > 0  # finished later, kept until its own day is over
    with pytest.raises(NotFound):
        stored_export(job.id, competition_id, allow_full=True)


def test_a_job_left_running_is_failed_after_an_hour_and_a_failed_build_keeps_no_file(sample, monkeypatch):
    competition_id = sample["competition"].id
    stuck, _ = request_export(competition_id, full=False, actor="staff:7", now=T0)
    assert export_jobs._claim(stuck.id, T0)  # its process died while building

    assert run_export_jobs(now=T0 + timedelta(seconds=STALE_S - 1))["stale"] == 0
    assert run_export_jobs(now=T0 + timedelta(seconds=STALE_S))["stale"] == 1
    db.session.refresh(stuck)
    assert stuck.status == "failed" and "重新导出" in stuck.error

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(export_jobs, "results_workbook", broken)
    job, _ = request_export(competition_id, full=False, actor="staff:7", now=T0)
    assert build_export(job.id, now=T0) is False
    db.session.refresh(job)
    assert (job.status, job.error, job.finished_at) == ("failed", "生成失败：RuntimeError", T0)
    assert _chunks(job.id) == 0


def test_the_scheduler_registers_the_export_job_every_15_seconds_and_it_records_a_heartbeat(paused_scheduler):
    from quizapp.publishing.models import JobHeartbeat

    assert paused_scheduler.get_job(tasks.EXPORT_JOB_ID).trigger.interval == timedelta(seconds=15)
    tasks.build_exports(now=T0)
    heartbeat = db.session.get(JobHeartbeat, tasks.EXPORT_JOB_ID)
    assert (heartbeat.ran_at, heartbeat.result) == (T0, {"built": [], "not_built": [], "deleted": 0, "stale": 0})


def test_erasing_a_participant_deletes_the_competitions_stored_exports(sample):
    from quizapp.contests.erasure import erase_participant

    competition_id = sample["competition"].id
    other = make_competition("另一场", SAMPLE_START, slug="other")
    db.session.commit()
    full, _ = request_export(competition_id, full=True, actor="staff:1", now=T0)
    kept, _ = request_export(other.id, full=False, actor="staff:1", now=T0)
    run_export_jobs(now=T0)
    assert "13800000001" in [row[1] for row in _stored_sheets(full.id)["参赛者"]]

    erase_participant(sample["people"]["A"].id, actor="staff:2", reason="本人申请删除", now=T0)

    assert db.session.get(ExportJob, full.id, populate_existing=True) is None and _chunks(full.id) == 0
    assert db.session.get(ExportJob, kept.id).status == "done" and _chunks(kept.id) > 0  # another competition's file stays


def test_the_scheduled_erasure_deletes_the_stored_exports_too(sample):
    from quizapp.contests.erasure import erase_expired

    competition = sample["competition"]
    competition.retention_days = 1
    db.session.commit()
    competition_id, due = competition.id, competition.ends_at + timedelta(days=1)
    job, _ = request_export(competition_id, full=False, actor="staff:7", now=T0)
    job_id = job.id
    build_export(job_id, now=T0)

    erased = erase_expired("system:scheduler", now=due)

    assert erased == {competition_id: 6}
    assert db.session.get(ExportJob, job_id) is None and _chunks() == 0


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="two connections at once need PostgreSQL; in-memory SQLite is one connection")
def test_two_schedulers_at_once_build_a_job_once(app, sample, monkeypatch):
    job, _ = request_export(sample["competition"].id, full=False, actor="staff:7", now=T0)
    job_id = job.id
    db.session.rollback()
    inside, release = threading.Event(), threading.Event()
    calls: list[int] = []
    results: list[dict] = []
    errors: list[BaseException] = []
    real_workbook = export_jobs.results_workbook

    def slow(competition, filters, full):
        calls.append(competition.id)
        inside.set()
        assert release.wait(timeout=30)
        return real_workbook(competition, filters, full)

    monkeypatch.setattr(export_jobs, "results_workbook", slow)

    def first_scheduler() -> None:
        try:
            with app.app_context():
                results.append(tasks.build_exports(now=T0))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
            inside.set()

    thread = threading.Thread(target=first_scheduler)
    thread.start()
    assert inside.wait(timeout=30)
    # The first scheduler is writing the file (its claim committed): the second one, on its own connection, leaves it alone.
    second_claim = build_export(job_id, now=T0)
    second_run = run_export_jobs(now=T0)
    release.set()
    thread.join(timeout=60)

    assert not errors, errors
    assert second_claim is False and second_run == {"built": [], "not_built": [], "deleted": 0, "stale": 0}
    assert results == [{"built": [job_id], "not_built": [], "deleted": 0, "stale": 0}]
    assert calls == [sample["competition"].id]
    db.session.expire_all()
    assert db.session.get(ExportJob, job_id).status == "done" and _chunks(job_id) >= 1


def test_counting_rows_stops_past_the_limit_asked_for(sample):
    competition_id = sample["competition"].id
    assert export_rows(competition_id, at_most=13) == 13  # exactly the limit: counted whole
    assert export_rows(competition_id, at_most=12) == 13  # one past the limit is enough to know
    assert export_rows(competition_id, at_most=4) == 5  # already the six participants are too many
    assert export_rows(competition_id, ResultFilter(passed=True, group="public"), at_most=100) == 3 + 4  # 孙三, 周五 (2), 赵一
