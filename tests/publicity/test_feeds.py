"""Atom feeds, sitemap, share meta and poster QR codes (same-site paths only)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_overall_feed_is_atom_with_the_newest_first(client, make_item, pub_clock):
    make_item(title="较早的新闻", content={"title": "较早的新闻", "date": "2026-05-01", "event": "", "body": "正文"})
    make_item(title="较新的新闻", content={"title": "较新的新闻", "date": "2026-05-20", "event": "", "body": "正文"})
    response = client.get("/feed.xml")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["【工作动态】较新的新闻", "【工作动态】较早的新闻"]


def test_each_kind_has_its_own_feed(client, make_item):
    make_item(title="一条新闻")
    for slug in ("cases", "penalties", "warnings", "qa", "news"):
        response = client.get(f"/{slug}/feed.xml")
        assert response.status_code == 200
        ElementTree.fromstring(response.data)


def test_the_sitemap_lists_the_sections_and_each_visible_item(client, make_item):
    item = make_item(title="地图里的新闻")
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    locations = [node.findtext(f"{SITEMAP}loc") for node in root.findall(f"{SITEMAP}url")]
    assert "http://localhost/" in locations and "http://localhost/warnings" in locations
    assert f"http://localhost/news/{item.uid}" in locations


def test_pages_carry_opengraph_meta(client, make_item):
    item = make_item(title="分享的新闻")
    page = client.get(f"/news/{item.uid}").get_data(as_text=True)
    assert '<meta property="og:title" content="分享的新闻 - 工作动态">' in page
    assert '<meta property="og:image" content="http://localhost/static/share.png?v=' in page
    image = client.get("/static/share.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    image.close()


def test_qr_codes_encode_pages_of_this_site(client):
    svg = client.get("/qr?path=/warnings")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get("/qr?path=/cases&format=png&scale=10")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")


HOSTILE_PATHS = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", "/no/such/page"]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_qr_codes_refuse_other_sites_and_unknown_paths(client, path):
    assert client.get("/qr", query_string={"path": path}).status_code == 400


def test_feed_and_sitemap_dates_are_the_items_own_dates_not_the_sync_time(client, make_item, pub_clock):
    # published (synced) on 2026-06-01; the news itself is dated 2025-03-15
    item = make_item(title="旧闻", content={"title": "旧闻", "date": "2025-03-15", "event": "", "body": "正文"})
    entry = ElementTree.fromstring(client.get("/feed.xml").data).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published").startswith("2025-03-15")
    assert entry.findtext(f"{ATOM}updated").startswith("2025-03-15")
    root = ElementTree.fromstring(client.get("/sitemap.xml").data)
    lastmod = {node.findtext(f"{SITEMAP}loc"): node.findtext(f"{SITEMAP}lastmod") for node in root.findall(f"{SITEMAP}url")}
    assert lastmod[f"http://localhost/news/{item.uid}"] == "2025-03-15"


def test_bank_questions_stay_out_of_feeds_sitemap_and_search(client, synced):
    """Published bank questions are items too (kind ``question``) but have no public page."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.publishing.models import Item
    from quizapp.publishing.visibility import is_visible

    questions = db.session.scalars(select(Item).where(Item.kind == "question", is_visible())).all()
    others = db.session.scalars(select(Item).where(Item.kind != "question", is_visible())).all()
    assert questions and others  # the starter content has both
    pages = {"/feed.xml": None, "/sitemap.xml": None, "/search?q=安全生产": None}
    pages |= {f"/{slug}/feed.xml": None for slug in ("cases", "penalties", "warnings", "qa", "news")}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert not [item.uid for item in questions if item.uid in text], path
    feed = ElementTree.fromstring(client.get("/feed.xml").data)
    assert len(feed.findall(f"{ATOM}entry")) == min(len(others), 50)
