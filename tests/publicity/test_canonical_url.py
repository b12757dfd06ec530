"""Absolute URLs (feeds, sitemap, og:url, QR codes) use ``QUIZAPP_SITE_URL`` when set, never the request's Host header."""

from __future__ import annotations

import pytest

from quizapp.config import Config

SITE = "https://aq.example.gov.cn"
EVIL = {"Host": "evil.com"}


@pytest.fixture
def canonical(app):
    app.config["SITE_URL"] = SITE
    return SITE


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUIZAPP_SITE_URL", SITE + "/")
    assert Config().SITE_URL == SITE + "/"


@pytest.mark.parametrize("path", ["/feed.xml", "/news/feed.xml", "/sitemap.xml"])
def test_feeds_and_the_sitemap_ignore_a_forged_host(client, make_item, canonical, path):
    item = make_item(title="规范网址的新闻")
    body = client.get(path, headers=EVIL).get_data(as_text=True)
    assert "evil.com" not in body and f"{SITE}/news/{item.uid}" in body


def test_og_url_and_image_ignore_a_forged_host(client, make_item, canonical):
    item = make_item(title="分享卡片")
    page = client.get(f"/news/{item.uid}?utm=x", headers=EVIL).get_data(as_text=True)
    assert f'<meta property="og:url" content="{SITE}/news/{item.uid}">' in page
    assert f'content="{SITE}/static/share.png?v=' in page and "evil.com" not in page


def test_the_qr_code_encodes_the_canonical_site(client, make_item, canonical):
    item = make_item(title="海报")
    svg = client.get(f"/qr?path=/news/{item.uid}", headers=EVIL).get_data(as_text=True)
    assert f"{SITE}/news/{item.uid}" in svg and "evil.com" not in svg


def test_without_the_setting_the_request_host_is_used(client, make_item):
    item = make_item(title="开发环境")
    svg = client.get(f"/qr?path=/news/{item.uid}").get_data(as_text=True)
    assert f"http://localhost/news/{item.uid}" in svg
