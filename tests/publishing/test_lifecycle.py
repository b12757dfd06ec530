"""Item state transitions: allowed moves write audit rows, invalid ones raise; local times are stored as UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from quizapp.core.timeutil import local_to_utc
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, InvalidTransition
from tests.publishing.helpers import STAFF


def audit(item) -> list[tuple]:
    rows = db.session.scalars(select(AuditLog).where(AuditLog.item_id == item.id).order_by(AuditLog.id))
    return [(row.actor, row.action, row.from_state, row.to_state) for row in rows]


def test_draft_goes_through_review_and_schedule_with_an_audit_row_per_move(make_item, pub_clock):
    item = make_item(state="draft")
    item.submit(STAFF)
    item.schedule(datetime(2026, 6, 2, 1, tzinfo=UTC), "staff:8")
    db.session.commit()
    assert item.status == "scheduled" and item.live_revision is not None
    assert audit(item) == [
        (STAFF, "create", None, "draft"),
        (STAFF, "submit", "draft", "in_review"),
        ("staff:8", "schedule", "in_review", "scheduled"),
    ]


@pytest.mark.parametrize(
    ("state", "move"),
    [("draft", "archive"), ("published", "submit"), ("published", "publish"), ("archived", "publish"), ("draft", "withdraw")],
)
def test_invalid_moves_raise_and_change_nothing(make_item, state, move):
    item = make_item(state=state if state != "archived" else "published")
    if state == "archived":
        item.archive(STAFF)
        db.session.commit()
    before = audit(item)
    with pytest.raises(InvalidTransition):
        getattr(item, move)(STAFF)
    assert item.status == state
    assert audit(item) == before


def test_an_item_without_revision_cannot_be_published(app, pub_clock):
    from quizapp.publishing.services import create_item

    item = create_item("empty", "news", STAFF)
    db.session.flush()
    with pytest.raises(InvalidTransition):
        item.publish(STAFF)


def test_nine_in_the_morning_in_shanghai_is_stored_as_one_o_clock_utc(make_item, pub_clock):
    publish_at = local_to_utc(datetime(2026, 6, 10, 9, 0), "Asia/Shanghai")
    item = make_item(state="scheduled", publish_at=publish_at)
    db.session.expire_all()
    assert item.publish_at == datetime(2026, 6, 10, 1, 0, tzinfo=UTC)


def test_schedule_refuses_a_naive_time(make_item):
    item = make_item(state="draft")
    with pytest.raises(ValueError):
        item.schedule(datetime(2026, 6, 10, 9, 0), STAFF)
