"""A scheduled item is absent from lists, its page, feeds, sitemap and search before publish_at, and present after, with no sweep."""

from __future__ import annotations

from datetime import timedelta

from quizapp.publicity.links import item_path


def surfaces(client) -> dict[str, str]:
    return {
        "list": client.get("/news").get_data(as_text=True),
        "feed": client.get("/feed.xml").get_data(as_text=True),
        "kind feed": client.get("/news/feed.xml").get_data(as_text=True),
        "sitemap": client.get("/sitemap.xml").get_data(as_text=True),
        "search": client.get("/search?q=冬季大检查").get_data(as_text=True),
    }


def test_a_scheduled_item_appears_everywhere_at_its_time_and_not_before(app, client, make_item, pub_clock):
    due = pub_clock.now + timedelta(hours=1)
    item = make_item(title="冬季大检查通知", state="scheduled", publish_at=due)
    with app.test_request_context():
        path = item_path(item)

    pub_clock.now = due - timedelta(seconds=1)
    assert client.get(path).status_code == 404
    for name, page in surfaces(client).items():
        assert path not in page, name

    pub_clock.now = due
    assert client.get(path).status_code == 200
    for name, page in surfaces(client).items():
        assert path in page, name


def test_drafts_and_expired_items_are_never_shown(client, make_item, pub_clock):
    make_item(title="草稿新闻", state="draft")
    make_item(title="过期新闻", state="published", expire_at=pub_clock.now + timedelta(minutes=1))
    pub_clock.advance(60)
    for name, page in surfaces(client).items():
        assert "test-news-" not in page, name
