"""Fixtures shared by the publishing, publicity and search tests: a clock for every module that reads it, item factories."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS
from quizapp.publishing.services import add_revision, create_item

STAFF = "staff:7"
CLOCK_MODULES = (
    "quizapp.publishing.models",
    "quizapp.publishing.services",
    "quizapp.publishing.visibility",
    "quizapp.publishing.tasks",
    "quizapp.publishing.workflow",
    "quizapp.publishing.presence",
    "quizapp.publishing.overview",
    "quizapp.publishing.staff",
    "quizapp.publishing.panels",
    "quizapp.publicity.services",
    "quizapp.publicity.feeds",
    "quizapp.publicity.loader",
    "quizapp.search.services",
)


@pytest.fixture
def pub_clock(clock, monkeypatch):
    """The suite's :class:`~tests.conftest.Clock`, also driving publishing, publicity and search; starts 2026-06-01 00:00Z."""
    clock.now = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    for module in CLOCK_MODULES:
        monkeypatch.setattr(f"{module}.utcnow", clock, raising=False)
    return clock


def news_content(title: str, body: str = "安全生产月活动期间，企业应当组织从业人员参加培训。", when: str = "2026-06-01") -> dict:
    return {"title": title, "date": when, "event": "安全生产月", "body": body}


@pytest.fixture
def make_item(app, pub_clock):
    """Create a news item with one revision; ``state`` is draft, published or scheduled (with ``publish_at``)."""
    counter = iter(range(1, 10_000))

    def make(title="测试新闻", state="published", publish_at=None, expire_at=None, body=None, kind="news", content=None):
        spec = KINDS[kind]
        content = content or news_content(title, **({"body": body} if body else {}))
        item = create_item(f"test-{kind}-{next(counter)}", kind, STAFF, pub_clock.now)
        item.expire_at = expire_at
        add_revision(item, content, spec.listing(content), STAFF, pub_clock.now)
        if state == "published":
            item.publish(STAFF, pub_clock.now)
        elif state == "scheduled":
            item.schedule(publish_at, STAFF, pub_clock.now)
        db.session.commit()
        return item

    return make
