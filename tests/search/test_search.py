"""``/search``: two-character terms and phrases match through the index, single characters by LIKE; title matches rank first."""

from __future__ import annotations

import pytest

from quizapp.content.sync import sync_content
from quizapp.search.services import search
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def request_context(app):
    """Hits carry page paths, built with url_for."""
    with app.test_request_context():
        yield


@pytest.fixture
def loaded(app, pub_clock):
    pub_clock.now = pub_clock.now.replace(month=11, day=29)
    sync_content(ROOT / "content")


@pytest.mark.parametrize("term", ["罚款", "培训", "有限空间"])
def test_the_starter_content_is_found_by_common_terms(loaded, term):
    result = search(term)
    assert result.total >= 3
    assert all(term in hit.title or term in hit.snippet for hit in result.hits[:3])


def test_a_phrase_must_occur_in_order(app, make_item):
    make_item(title="空间有限", body="仓库空间有限，请勿堆放。")
    make_item(title="有限空间作业", body="进入有限空间前先通风。")
    assert [str(hit.title) for hit in search("有限空间").hits] == ["<mark>有限空间</mark>作业"]


def test_a_single_character_falls_back_to_like(app, make_item):
    make_item(title="防汛", body="汛期注意防范。")
    assert [hit.url for hit in search("汛").hits] != []


def test_title_matches_rank_before_body_matches(app, make_item):
    make_item(title="年度工作总结", body="开展应急演练三次，演练覆盖全员。", content=None)
    make_item(title="应急演练通知", body="请按时参加。")
    titles = [str(hit.title) for hit in search("应急演练").hits]
    assert titles[0] == "<mark>应急演练</mark>通知"


def test_matches_are_highlighted_and_text_is_escaped(app, make_item):
    make_item(title="<b>罚款</b>公告", body="依法罚款三万元。")
    hit = search("罚款").hits[0]
    assert str(hit.title) == "&lt;b&gt;<mark>罚款</mark>&lt;/b&gt;公告"
    assert "<mark>罚款</mark>三万元" in str(hit.snippet)


def test_the_search_page_shows_hits_and_handles_empty_queries(client, loaded):
    page = client.get("/search?q=有限空间").get_data(as_text=True)
    assert "<mark>有限空间</mark>" in page and "/cases/case-2025-confined-space-poisoning" in page
    assert client.get("/search").status_code == 200
    assert "找到 0 条结果" in client.get("/search?q=量子纠缠").get_data(as_text=True)


def test_fts_query_syntax_in_the_input_is_harmless(client, loaded):
    for query in ['"罚款', "罚款 OR NEAR(", "罚款*", "-培训", "'; drop table content_item; --"]:
        assert client.get("/search", query_string={"q": query}).status_code == 200
