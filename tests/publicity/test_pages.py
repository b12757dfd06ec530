"""Publicity pages: lists paginate and filter, detail pages show each kind's fields, the home page shows the latest warning."""

from __future__ import annotations

import re

import pytest

from quizapp.content.sync import sync_content
from tests.conftest import ROOT


@pytest.fixture
def loaded(app, pub_clock):
    pub_clock.now = pub_clock.now.replace(year=2026, month=11, day=29)
    sync_content(ROOT / "content")


def links(page: str, prefix: str) -> list[str]:
    return [link for link in re.findall(rf'href="({prefix}[^"?#]+)"', page) if not link.endswith("feed.xml")]


def test_home_shows_the_latest_warning_competitions_and_featured_cases(client, loaded):
    page = client.get("/").get_data(as_text=True)
    assert "2026年11月" in page and "冬季防火与电气安全" in page
    assert "立即参赛" in page
    assert "有限空间作业致2人中毒死亡" in page
    for label in ("竞赛", "以案释法", "行政处罚公示", "每月一警示", "知识问答", "法规库", "搜索"):
        assert f">{label}</a>" in page


def test_lists_paginate(client, loaded):
    first = client.get("/qa").get_data(as_text=True)
    assert len(set(links(first, "/qa/"))) == 10 and 'rel="next"' not in first
    penalties = client.get("/penalties").get_data(as_text=True)
    assert len(set(links(penalties, "/penalties/"))) == 10
    assert client.get("/penalties?page=2").status_code == 404  # 10 penalties: one page of 20


@pytest.mark.parametrize("page", ["2", "3", "99999999999999999999999", "9" * 400])
def test_a_page_past_the_last_is_a_404_and_a_huge_number_never_reaches_sql(client, loaded, page):
    assert client.get(f"/qa?page={page}").status_code == 404  # 10 questions: one page


@pytest.mark.parametrize("page", ["999", "99999999999999999999999"])
def test_a_search_page_past_the_last_is_a_404(client, loaded, page):
    assert client.get(f"/search?q=安全&page={page}").status_code == 404


@pytest.mark.parametrize("page", ["0", "-5", "x", ""])
def test_a_page_below_one_or_not_a_number_is_the_first(client, loaded, page):
    response = client.get(f"/qa?page={page}")
    assert response.status_code == 200 and len(set(links(response.get_data(as_text=True), "/qa/"))) == 10


def test_the_last_page_of_search_results_is_shown(client, loaded):
    first = client.get("/search?q=安全").get_data(as_text=True)
    last = re.search(r"第 1 / (\d+) 页", first)
    assert last, "the query has more than one page"
    page = client.get(f"/search?q=安全&page={last.group(1)}").get_data(as_text=True)
    assert f"第 {last.group(1)} / {last.group(1)} 页" in page


def test_news_is_in_the_navigation_and_the_home_block_links_to_more(client, loaded):
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/news">工作动态</a>' in page
    assert '<a href="/news">更多动态 ›</a>' in page
    assert 'href="/news" aria-current="page">工作动态</a>' in client.get("/news").get_data(as_text=True)


def test_penalties_filter_by_year_industry_and_violation(client, loaded):
    by_year = client.get("/penalties?year=2025").get_data(as_text=True)
    assert len(set(links(by_year, "/penalties/"))) == 4
    by_industry = client.get("/penalties?industry=工贸").get_data(as_text=True)
    assert len(set(links(by_industry, "/penalties/"))) == 3
    by_violation = client.get("/penalties?category=特种作业人员未持证上岗").get_data(as_text=True)
    assert links(by_violation, "/penalties/") == ["/penalties/penalty-2026-019"]


def test_a_penalty_page_shows_the_decision_and_masks_a_person(client, loaded):
    page = client.get("/penalties/penalty-2025-062").get_data(as_text=True)
    assert "(长)应急罚〔2025〕62号" in page and "王某" in page and "王建国" not in page and "5,000 元" in page
    assert "《安全生产法》第九十九条" in page


def test_the_warning_archive_goes_by_year_and_month(client, loaded):
    archive = client.get("/warnings").get_data(as_text=True)
    assert "2025年" in archive and "2026年" in archive and len(links(archive, "/warnings/")) == 12
    assert len(links(client.get("/warnings?year=2025").get_data(as_text=True), "/warnings/2")) == 1
    page = client.get("/warnings/2026/03").get_data(as_text=True)
    assert "有限空间作业" in page and "已整改" in page and "《安全生产法》第四十三条" in page
    assert client.get("/warnings/2027/01").status_code == 404


def test_a_case_page_shows_every_field_and_a_qr_code(client, loaded):
    page = client.get("/cases/case-2025-confined-space-poisoning").get_data(as_text=True)
    for heading in ("基本案情", "违法行为", "法律依据", "处理结果", "以案释法"):
        assert f"<h2>{heading}</h2>" in page
    assert "/qr?path=/cases/case-2025-confined-space-poisoning" in page
    assert '<meta property="og:type" content="article">' in page


def test_an_unknown_item_is_a_404(client, loaded):
    assert client.get("/cases/no-such-case").status_code == 404


@pytest.mark.parametrize("year", ["10000", "2147483648", "99999999999999999999", "-5"])
def test_a_year_no_date_can_have_is_a_404_not_a_crash(client, loaded, year):
    """Found by review: ``?year=`` past 9999 built an impossible date (500)."""
    for slug in ("cases", "penalties", "qa", "news", "warnings"):
        assert client.get(f"/{slug}?year={year}").status_code == 404, slug
