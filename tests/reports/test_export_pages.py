"""Results export pages for a large competition: queued, built by the job, listed, downloaded by the right roles."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.contests import tasks
from quizapp.contests.models import ExportJob
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.sittings import sample_competition


@pytest.fixture
def sample(app):
    """The hand-computed sample competition: 6 participants and 7 attempts, 13 rows."""
    return sample_competition()


@pytest.fixture
def large(app):
    """Make the sample's 13 rows count as large (the inline limit is 20,000 rows in production)."""
    app.config["EXPORT_INLINE_ROWS"] = 12


def _base(sample) -> str:
    return f"/staff/reports/competitions/{sample['competition'].id}"


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def _jobs() -> list[ExportJob]:
    return list(db.session.scalars(select(ExportJob).order_by(ExportJob.id)))


def _audit_actions() -> list[str]:
    return [entry.action for entry in db.session.scalars(select(AuditLog).where(AuditLog.action.like("export%")).order_by(AuditLog.id))]


def test_a_small_competition_still_downloads_at_once(client, sample, make_staff, login_as):
    login_as(client, make_staff("editor"))

    page = client.get(f"{_base(sample)}/results").get_data(as_text=True)
    response = client.get(f"{_base(sample)}/results.xlsx")
    data = response.get_data()
    response.close()  # closes (and so deletes) the streamed temporary file

    assert "后台生成" not in page and "http-equiv" not in page
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert [row[0] for row in _sheets(data)["参赛者"][1:]] == ["孙三", "周五", "赵一", "钱二", "李四", "吴六"]
    assert _jobs() == []


def test_a_large_masked_export_is_queued_built_and_downloaded(client, sample, make_staff, login_as, large):
    login_as(client, make_staff("editor"))
    base = _base(sample)

    direct = client.get(f"{base}/results.xlsx?group=")  # the list's (empty) filters go back with the redirect
    assert direct.status_code == 303 and direct.headers["Location"] == f"{base}/results?group="
    direct.close()
    assert _jobs() == []  # a GET never queues anything
    assert "后台生成 Excel（号码打码）" in client.get(f"{base}/results").get_data(as_text=True)

    queued = client.post(f"{base}/exports")
    client.post(f"{base}/exports")  # a second click joins the pending job
    assert queued.status_code == 303
    [job] = _jobs()
    assert (job.status, job.is_full) == ("queued", False)
    waiting = client.get(f"{base}/results").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="10">' in waiting and "排队中" in waiting

    tasks.build_exports()

    page = client.get(f"{base}/results").get_data(as_text=True)
    link = f"{base}/exports/{job.id}.xlsx"
    assert "http-equiv" not in page and "已完成" in page and link in page
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(response.get_data()))
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"] and response.headers["Cache-Control"] == "private, no-cache"
    sheets = _sheets(response.get_data())
    assert sheets["参赛者"][1] == ("孙三", "138****0003", "乙单位", "社会群众", 1, 4, 500, datetime(2026, 3, 1, 10, 10, 20), "是")
    assert [row[1] for row in sheets["参赛者"][1:]] == ["138****0003", "138****0005", "138****0001", "138****0002", "138****0004",
                                                       "138****0006"]  # fmt: skip
    assert len(sheets["答题记录"]) == 1 + 7
    assert _audit_actions() == []


def test_a_large_full_export_is_for_admins_only_and_audited_at_request_and_download(client, sample, make_staff, login_as, large):
    admin, editor = make_staff("admin"), make_staff("editor")
    base = _base(sample)
    login_as(client, admin)
    response = client.post(f"{base}/results-full.xlsx")
    assert response.status_code == 303
    [job] = _jobs()
    assert job.is_full and _audit_actions() == ["export_full_request"]
    tasks.build_exports()
    link = f"{base}/exports/{job.id}.xlsx"
    assert link in client.get(f"{base}/results").get_data(as_text=True)

    response = client.get(link)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert [row[1] for row in _sheets(response.get_data())["参赛者"][1:]][:2] == ["13800000003", "13800000005"]
    assert _audit_actions() == ["export_full_request", "export_full"]

    client.post("/staff/logout")
    login_as(client, editor)
    assert client.post(f"{base}/results-full.xlsx").status_code == 403
    assert link not in client.get(f"{base}/results").get_data(as_text=True)  # not even listed
    refused = client.get(link)
    assert refused.status_code == 403 and "13800000003" not in refused.get_data(as_text=True)
    assert _audit_actions() == ["export_full_request", "export_full"]
    assert len(_jobs()) == 1


def test_a_stored_file_of_another_competition_or_not_yet_built_is_not_found(client, sample, make_staff, login_as, large):
    login_as(client, make_staff("reviewer"))
    base = _base(sample)
    client.post(f"{base}/exports")
    [job] = _jobs()

    assert client.get(f"{base}/exports/{job.id}.xlsx").status_code == 404  # still queued
    tasks.build_exports()
    other = f"/staff/reports/competitions/{sample['competition'].id + 1}/exports/{job.id}.xlsx"
    assert client.get(other).status_code == 404
    page = client.get(f"{base}/results").get_data(as_text=True)
    assert re.search(r"<td>\d+\.\d kB</td>", page)  # a few kilobytes for the sample
