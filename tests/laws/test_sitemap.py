"""``/sitemap.xml`` lists the law library: ``/laws``, each law's contents and every article in force."""

from __future__ import annotations

from xml.etree import ElementTree

from quizapp.laws.services import import_law_file
from tests.laws.factories import SAMPLE_2020, SAMPLE_2022

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client) -> list[str]:
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    return [node.text.removeprefix("http://localhost") for node in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_the_library_the_contents_and_each_article_in_force(client, library):
    paths = locations(client)
    assert "/laws" in paths
    assert {"/laws/anquan-shengchan-fa", "/laws/xiaofang-fa"} <= set(paths)
    assert "/laws/anquan-shengchan-fa/28" in paths
    assert len(paths) == len(set(paths))


def test_the_sitemap_lists_suffixed_articles_and_no_removed_ones(client, app):
    import_law_file(SAMPLE_2020)
    import_law_file(SAMPLE_2022)
    articles = [path for path in locations(client) if path.startswith("/laws/shili-anquan-fa/")]
    assert articles == ["/laws/shili-anquan-fa/1", "/laws/shili-anquan-fa/2", "/laws/shili-anquan-fa/2-1",
                        "/laws/shili-anquan-fa/3", "/laws/shili-anquan-fa/5"]
