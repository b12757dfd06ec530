"""Staff report pages: who may see what, masked and full exports read back, the SVG chart, the year's page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.sittings import sample_competition

ROLES = ("admin", "editor", "reviewer")


@pytest.fixture
def sample(app):
    """The hand-computed sample competition."""
    return sample_competition()


def _pages(competition_id: int) -> list[str]:
    base = f"/staff/reports/competitions/{competition_id}"
    return ["/staff/reports/", f"{base}/results", f"{base}/results.xlsx", f"{base}/statistics", "/staff/reports/year?year=2026",
            "/staff/reports/year/2026.xlsx"]  # fmt: skip


def _fetch(client, url: str, method: str = "get", **kwargs):
    """Request *url*, read the body and close the response (a streamed file is closed, and so deleted)."""
    response = getattr(client, method)(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _sheets(response) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def _audit_rows() -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "export_full")))


def test_anonymous_visitors_are_sent_to_the_login_page(client, sample):
    competition_id = sample["competition"].id
    for url in _pages(competition_id):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/staff/login?next="), url
    response = client.post(f"/staff/reports/competitions/{competition_id}/results-full.xlsx")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert _audit_rows() == []


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_sees_every_report_page(client, sample, make_staff, login_as, role):
    login_as(client, make_staff(role))
    for url in _pages(sample["competition"].id):
        response = _fetch(client, url)
        assert response.status_code == 200, (role, url)


@pytest.mark.parametrize("role", ("editor", "reviewer"))
def test_only_an_admin_gets_the_full_numbers(client, sample, make_staff, login_as, role):
    login_as(client, make_staff(role))
    competition_id = sample["competition"].id

    page = client.get(f"/staff/reports/competitions/{competition_id}/results").get_data(as_text=True)
    response = client.post(f"/staff/reports/competitions/{competition_id}/results-full.xlsx")

    assert response.status_code == 403
    assert "完整号码" not in page  # no button for them
    assert _audit_rows() == []


def test_the_results_page_lists_masked_numbers_with_filters_and_pages(client, sample, make_staff, login_as):
    login_as(client, make_staff("editor"))
    url = f"/staff/reports/competitions/{sample['competition'].id}/results"

    page = client.get(url).get_data(as_text=True)
    filtered = client.get(url, query_string={"organization": "乙单位"}).get_data(as_text=True)

    assert "138****0003" in page and "13800000003" not in page
    assert page.index("孙三") < page.index("周五") < page.index("赵一") < page.index("吴六")  # ranking order
    assert "共 6 人" in page
    assert "孙三" in filtered and "吴六" in filtered and "赵一" not in filtered and "共 2 人" in filtered
    assert client.get(url, query_string={"page": 2}).status_code == 404  # past the last page
    assert client.get(url, query_string={"group": "nobody"}).status_code == 200  # an unknown choice filters nothing
    assert client.get("/staff/reports/competitions/9999/results").status_code == 404


def test_the_masked_export_reads_back_with_the_list_filters(client, sample, make_staff, login_as):
    login_as(client, make_staff("reviewer"))
    url = f"/staff/reports/competitions/{sample['competition'].id}/results.xlsx"

    response = _fetch(client, url, query_string={"group": "practitioner"})

    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheets = _sheets(response)
    assert [row[:4] for row in sheets["参赛者"][1:]] == [
        ("钱二", "138****0002", "甲单位", "从业人员"),
        ("李四", "138****0004", "某某公司", "从业人员"),
        ("吴六", "138****0006", "乙单位", "从业人员"),
    ]
    assert _audit_rows() == []


def test_the_admin_full_export_has_the_numbers_and_is_audited(client, sample, make_staff, login_as):
    admin = make_staff("admin")
    login_as(client, admin)
    competition_id = sample["competition"].id

    page = client.get(f"/staff/reports/competitions/{competition_id}/results").get_data(as_text=True)
    response = _fetch(client, f"/staff/reports/competitions/{competition_id}/results-full.xlsx", "post")

    assert "完整号码" in page
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sheets = _sheets(response)
    assert sheets["参赛者"][1][:2] == ("孙三", "13800000003")
    assert sorted(row[1] for row in sheets["参赛者"][1:]) == [f"1380000000{n}" for n in range(1, 7)]
    assert [(row.actor, row.target) for row in _audit_rows()] == [(f"staff:{admin.id}", f"competition:{competition_id}")]


def test_the_full_export_keeps_the_list_filters(client, sample, make_staff, login_as):
    login_as(client, make_staff("admin"))
    url = f"/staff/reports/competitions/{sample['competition'].id}/results"

    page = client.get(url, query_string={"passed": "no"}).get_data(as_text=True)
    action = re.search(r'<form method="post" class="inline" action="([^"]+)"', page).group(1).replace("&amp;", "&")
    sheets = _sheets(_fetch(client, action, "post"))

    assert action.endswith("/results-full.xlsx?passed=no")
    assert [row[:2] for row in sheets["参赛者"][1:]] == [("李四", "13800000004")]


def test_the_full_export_refuses_a_post_without_a_csrf_token(app, sample, make_staff, login_as):
    client = app.test_client()
    login_as(client, make_staff("admin"))
    app.config["WTF_CSRF_ENABLED"] = True

    response = client.post(f"/staff/reports/competitions/{sample['competition'].id}/results-full.xlsx")

    assert response.status_code == 400
    assert _audit_rows() == []


def test_the_statistics_page_draws_the_distribution_as_svg(client, sample, make_staff, login_as):
    login_as(client, make_staff("reviewer"))

    page = client.get(f"/staff/reports/competitions/{sample['competition'].id}/statistics").get_data(as_text=True)

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert len(re.findall(r"<rect ", svg)) == 10
    assert "<title>90–100%：2</title>" in svg and "<title>50–59%：1</title>" in svg
    assert "<script" not in page and "style=" not in svg
    # The question table: Q2's negative discrimination (−54.17, see tests/contests/test_statistics.py) is flagged.
    assert "-54.2" in page and "区分度为负" in page
    assert "61.2" in page and "55.9" in page


def test_the_year_page_and_its_export(client, sample, make_staff, login_as):
    login_as(client, make_staff("editor"))

    page = client.get("/staff/reports/year", query_string={"year": 2026}).get_data(as_text=True)
    export = _fetch(client, "/staff/reports/year/2026.xlsx")
    wrong = client.get("/staff/reports/year", query_string={"year": "abc"})

    assert "2026年度数据" in page and "举办知识竞赛（场）" in page
    summary = dict(_sheets(export)["概况"][1:])
    assert summary["举办知识竞赛（场）"] == 1 and summary["参与人次"] == 6 and summary["答题次数"] == 7
    assert wrong.status_code == 200 and "请填写 2000 至 2100 之间的四位年份" in wrong.get_data(as_text=True)
    assert client.get("/staff/reports/year/1999.xlsx").status_code == 404


def test_the_menu_offers_the_report_pages_to_staff(client, make_staff, login_as):
    login_as(client, make_staff("reviewer"))

    page = client.get("/staff/").get_data(as_text=True)

    assert 'href="/staff/reports/"' in page and "成绩与统计" in page
    assert 'href="/staff/reports/year"' in page and "年度数据" in page


def test_pages_of_a_competition_nobody_took_part_in(client, make_staff, login_as):
    from datetime import UTC, datetime

    from tests.contests.sittings import make_competition

    competition = make_competition("空竞赛", datetime(2026, 5, 1, tzinfo=UTC))
    db.session.commit()
    login_as(client, make_staff("reviewer"))

    stats = client.get(f"/staff/reports/competitions/{competition.id}/statistics").get_data(as_text=True)
    listing = client.get(f"/staff/reports/competitions/{competition.id}/results").get_data(as_text=True)
    index = client.get("/staff/reports/").get_data(as_text=True)

    assert "还没有交卷的答题" in stats and "共 0 人" in stats and stats.count("<rect ") == 10
    assert "没有符合条件的参赛者" in listing and "共 0 人" in listing
    assert "空竞赛" in index and f"/staff/reports/competitions/{competition.id}/statistics" in index


def test_the_dashboard_shows_this_years_figures(client, make_staff, login_as, monkeypatch):
    from datetime import UTC, datetime

    from tests.contests.sittings import make_competition

    monkeypatch.setattr("quizapp.reports.views.utcnow", lambda: datetime(2026, 6, 1, tzinfo=UTC))
    make_competition("年中竞赛", datetime(2026, 5, 1, tzinfo=UTC))
    make_competition("去年竞赛", datetime(2025, 5, 1, tzinfo=UTC))
    db.session.commit()
    login_as(client, make_staff("editor"))

    page = client.get("/staff/").get_data(as_text=True)

    assert "2026年度数据" in page and "知识竞赛 1 场，参与 0 人次" in page
    assert "以案释法 0 篇" in page and 'href="/staff/reports/year?year=2026"' in page
