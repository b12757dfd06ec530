"""Results list and .xlsx export: ranking order, filters, masked and full numbers, the audit row."""

from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.contests.results import (
    ATTEMPT_HEADERS,
    PARTICIPANT_HEADERS,
    ResultFilter,
    export_filename,
    export_results,
    list_participants,
    organizations_of,
)
from quizapp.core.errors import NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.sittings import SAMPLE_START, make_participant, sample_competition


@pytest.fixture
def sample(app):
    """The sample competition of :func:`sample_competition`."""
    return sample_competition()


def _sheets(handle) -> dict[str, list[tuple]]:
    try:
        workbook = load_workbook(handle, read_only=True)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    finally:
        handle.close()


def test_participants_are_listed_in_ranking_order_with_attempt_counts(sample):
    page = list_participants(sample["competition"].id)

    # C and E both best 4: C took 500 s, E's best (second) attempt 600 s; F has no result and comes last.
    assert [(row.name, row.attempts, row.best_score, row.best_duration_s, row.passed) for row in page.rows] == [
        ("孙三", 1, 4, 500, True),
        ("周五", 2, 4, 600, True),
        ("赵一", 1, 3, 300, True),
        ("钱二", 1, 2, 200, True),
        ("李四", 1, 1, 100, False),
        ("吴六", 1, None, None, None),
    ]
    assert page.rows[0].phone_masked == "138****0003"
    assert (page.total, page.page, page.pages) == (6, 1, 1)


def test_filters_narrow_the_list_and_pages_past_the_last_are_not_found(sample):
    competition_id = sample["competition"].id

    def names(**filters) -> list[str]:
        return [row.name for row in list_participants(competition_id, ResultFilter(**filters)).rows]

    assert names(organization="乙单位") == ["孙三", "吴六"]
    assert names(group="practitioner") == ["钱二", "李四", "吴六"]
    assert names(passed=False) == ["李四"]
    assert names(passed=True, group="public") == ["孙三", "周五", "赵一"]
    assert names(text="0004") == ["李四"]
    assert names(text="赵") == ["赵一"]
    assert names(text="%") == []  # LIKE wildcards are matched literally
    second = list_participants(competition_id, page=2, per_page=4)
    assert [row.name for row in second.rows] == ["李四", "吴六"] and second.pages == 2
    with pytest.raises(NotFound):
        list_participants(competition_id, page=3, per_page=4)
    assert organizations_of(competition_id) == sorted(["甲单位", "乙单位", "某某公司"])


def test_masked_export_has_one_row_per_participant_and_per_attempt_without_an_audit_row(sample):
    competition = sample["competition"]

    sheets = _sheets(export_results(competition.id))

    assert list(sheets) == ["参赛者", "答题记录"]
    participants = sheets["参赛者"]
    assert participants[0] == PARTICIPANT_HEADERS
    # C: best 4 in 500 s, submitted 2026-03-01 10:02 local (+ 500 s) → 10:10:20.
    assert participants[1] == ("孙三", "138****0003", "乙单位", "社会群众", 1, 4, 500, datetime(2026, 3, 1, 10, 10, 20), "是")
    assert participants[4] == ("钱二", "138****0002", "甲单位", "从业人员", 1, 2, 200, datetime(2026, 3, 1, 10, 4, 20), "是")
    assert participants[6] == ("吴六", "138****0006", "乙单位", "从业人员", 1, None, None, None, None)
    assert len(participants) == 7
    attempts = sheets["答题记录"]
    assert attempts[0] == ATTEMPT_HEADERS
    assert len(attempts) == 1 + 7
    e_second = sample["attempts"]["E"][1]
    assert (e_second.id, "周五", "138****0005", "甲单位", "社会群众", "已交卷") == attempts[6][:6]
    assert attempts[6][8:] == (600, 4, 4, "是")
    assert attempts[7][:6] == (sample["attempts"]["F"][0].id, "吴六", "138****0006", "乙单位", "从业人员", "答题中")
    assert attempts[7][7:] == (None, None, None, 4, None)
    assert all("138" not in str(cell) or "****" in str(cell) for row in participants + attempts for cell in row)
    assert db.session.scalars(select(AuditLog)).all() == []


def test_full_export_decrypts_the_numbers_and_writes_an_audit_row(sample):
    competition = sample["competition"]

    sheets = _sheets(export_results(competition.id, full=True, actor="staff:1", now=SAMPLE_START))

    assert [row[1] for row in sheets["参赛者"][1:]] == [
        "13800000003", "13800000005", "13800000001", "13800000002", "13800000004", "13800000006",
    ]  # fmt: skip
    assert sheets["答题记录"][1][2] == "13800000001"
    entries = db.session.scalars(select(AuditLog)).all()
    assert [(entry.actor, entry.action, entry.target, entry.at) for entry in entries] == [
        ("staff:1", "export_full", f"competition:{competition.id}", SAMPLE_START)
    ]


def test_full_export_needs_an_actor_and_an_existing_competition(sample):
    with pytest.raises(ValidationFailed):
        export_results(sample["competition"].id, full=True)
    with pytest.raises(NotFound):
        export_results(9999)
    assert db.session.scalars(select(AuditLog)).all() == []


def test_export_follows_the_filter_and_writes_formulas_as_text(sample):
    competition = sample["competition"]
    make_participant(competition, '=HYPERLINK("http://x")', "13800000009", "乙单位")
    db.session.commit()

    sheets = _sheets(export_results(competition.id, filters=ResultFilter(organization="乙单位")))

    names = [row[0] for row in sheets["参赛者"][1:]]
    assert names[0] == "孙三" and sorted(names[1:]) == sorted(['=HYPERLINK("http://x")', "吴六"])
    assert [row[1] for row in sheets["答题记录"][1:]] == ["孙三", "吴六"]
    with export_results(competition.id) as handle:
        workbook = load_workbook(handle)
    cell = next(cell for row in workbook["参赛者"].iter_rows() for cell in row if str(cell.value).startswith("="))
    assert cell.data_type == "s"


def test_an_erased_participant_exports_as_erased_and_keeps_the_result(sample):
    from quizapp.contests.erasure import erase_participant

    erase_participant(sample["people"]["A"].id, actor="staff:2", reason="本人申请删除")
    broken = sample["people"]["B"]
    broken.phone_encrypted = "not-a-fernet-token"  # e.g. the key was changed
    db.session.commit()

    sheets = _sheets(export_results(sample["competition"].id, full=True, actor="staff:1"))

    rows = {row[6]: row for row in sheets["参赛者"][1:]}  # keyed by duration: names are gone
    assert rows[300][:2] == ("已删除", "已删除") and rows[300][5] == 3  # A's score still counts
    assert rows[200][:2] == ("钱二", None)  # undecryptable: an empty cell, never the ciphertext


def test_export_filename_names_the_competition_and_the_local_date(sample):
    competition = sample["competition"]
    assert export_filename(competition, False, now=SAMPLE_START) == "统计样例-成绩-20260301.xlsx"
    assert export_filename(competition, True, now=SAMPLE_START) == "统计样例-成绩-完整号码-20260301.xlsx"


def test_export_streams_in_batches_smaller_than_the_competition(sample, monkeypatch):
    # Two rows per round trip: six participants and seven attempts take several batches, all rows arrive in order.
    monkeypatch.setattr("quizapp.contests.results.EXPORT_BATCH", 2)

    sheets = _sheets(export_results(sample["competition"].id))

    assert [row[0] for row in sheets["参赛者"][1:]] == ["孙三", "周五", "赵一", "钱二", "李四", "吴六"]
    assert [row[1] for row in sheets["答题记录"][1:]] == ["赵一", "钱二", "孙三", "李四", "周五", "周五", "吴六"]
