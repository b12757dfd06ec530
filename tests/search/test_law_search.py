"""``/search`` finds law articles of the version in force, titled 《简称》第…条 and linking to the permalink."""

from __future__ import annotations

import pytest

from quizapp.laws.services import import_law_file
from quizapp.search.services import search
from tests.laws.factories import SAMPLE_2020, SAMPLE_2022


@pytest.fixture(autouse=True)
def request_context(app):
    """Hits carry page paths, built with url_for."""
    with app.test_request_context():
        yield


@pytest.mark.parametrize("term", ["从业人员 安全生产教育和培训", "安全生产教育和培训"])
def test_an_article_is_found_and_links_to_its_permalink(library, term):
    hits = [hit for hit in search(term, per_page=100).hits if hit.url == "/laws/anquan-shengchan-fa/28"]
    assert [str(hit.title) for hit in hits] == ["《安全生产法》第二十八条"]
    assert hits[0].kind_label == "法律法规"
    assert "<mark>" in str(hits[0].snippet)


def test_an_article_of_a_superseded_version_is_not_found(app):
    import_law_file(SAMPLE_2020)
    import_law_file(SAMPLE_2022)
    assert search("追究责任").total == 0  # 第四条 was removed by the 2022 revision
    assert [hit.url for hit in search("每半年更新").hits] == ["/laws/shili-anquan-fa/2-1"]  # 第二条之一
    assert search("每年更新").total == 0


def test_a_single_character_matches_article_text(app):
    import_law_file(SAMPLE_2022)
    assert "/laws/shili-anquan-fa/5" in [hit.url for hit in search("施").hits]
