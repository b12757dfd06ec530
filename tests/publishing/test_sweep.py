"""The scheduled-publishing sweep: visibility never waits for it; it records each move once, catches up, and never doubles work."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, Item
from quizapp.publishing.tasks import JOB_ID, SCHEDULER_ACTOR, last_sweep, sweep_schedule
from quizapp.publishing.visibility import visible_items
from tests.conftest import ON_POSTGRES


def visible_ids() -> set[int]:
    return set(db.session.scalars(visible_items().with_only_columns(Item.id)))


def scheduler_rows(item_id: int | None = None) -> list[tuple]:
    query = select(AuditLog.item_id, AuditLog.action, AuditLog.from_state, AuditLog.to_state).where(AuditLog.actor == SCHEDULER_ACTOR)
    if item_id is not None:
        query = query.where(AuditLog.item_id == item_id)
    return list(db.session.execute(query.order_by(AuditLog.id)))


def test_an_item_is_visible_exactly_at_publish_at_and_the_sweep_publishes_it_then(make_item, pub_clock):
    due = pub_clock.now + timedelta(minutes=10)
    item = make_item(state="scheduled", publish_at=due)
    pub_clock.now = due - timedelta(seconds=1)
    assert item.id not in visible_ids()
    assert sweep_schedule() == {"published": 0, "archived": 0}
    pub_clock.now = due
    assert item.id in visible_ids()  # before any sweep
    assert sweep_schedule() == {"published": 1, "archived": 0}
    db.session.refresh(item)
    assert (item.status, item.published_at) == ("published", due)
    assert scheduler_rows(item.id) == [(item.id, "publish", "scheduled", "published")]


def test_running_the_sweep_twice_writes_one_audit_row(make_item, pub_clock):
    item = make_item(state="scheduled", publish_at=pub_clock.now)
    assert sweep_schedule()["published"] == 1
    assert sweep_schedule() == {"published": 0, "archived": 0}
    assert len(scheduler_rows(item.id)) == 1


def test_expired_items_disappear_at_expire_at_and_the_sweep_archives_them(make_item, pub_clock):
    ends = pub_clock.now + timedelta(days=7)
    item = make_item(state="published", expire_at=ends)
    pub_clock.now = ends - timedelta(seconds=1)
    assert item.id in visible_ids()
    pub_clock.now = ends
    assert item.id not in visible_ids()
    assert sweep_schedule() == {"published": 0, "archived": 1}
    db.session.refresh(item)
    assert item.status == "archived"
    assert scheduler_rows(item.id) == [(item.id, "expire", "published", "archived")]


def test_a_schedule_a_month_ahead_waits_a_month(make_item, pub_clock):
    due = pub_clock.now + timedelta(days=30)
    item = make_item(state="scheduled", publish_at=due)
    pub_clock.advance(29 * 86400)
    sweep_schedule()
    assert item.id not in visible_ids() and db.session.get(Item, item.id).status == "scheduled"
    pub_clock.now = due
    assert sweep_schedule()["published"] == 1
    assert item.id in visible_ids()


def test_after_an_hour_of_downtime_one_sweep_catches_up_with_the_original_times(make_item, pub_clock):
    start = pub_clock.now
    dues = [start + timedelta(minutes=minutes) for minutes in (1, 17, 42, 59)]
    items = [make_item(title=f"新闻{i}", state="scheduled", publish_at=due) for i, due in enumerate(dues)]
    window_closed = make_item(
        title="过期", state="scheduled", publish_at=start + timedelta(minutes=5), expire_at=start + timedelta(minutes=30)
    )
    pub_clock.advance(3600)

    assert sweep_schedule() == {"published": 4, "archived": 1}

    db.session.expire_all()
    assert [db.session.get(Item, item.id).published_at for item in items] == dues
    assert db.session.get(Item, window_closed.id).status == "archived"
    assert sorted(row[1] for row in scheduler_rows()) == ["expire", "publish", "publish", "publish", "publish"]
    assert last_sweep().ran_at == pub_clock.now and last_sweep().result == {"published": 4, "archived": 1}


def test_each_sweep_records_a_heartbeat(app, pub_clock):
    assert last_sweep() is None
    sweep_schedule()
    pub_clock.advance(60)
    sweep_schedule()
    assert last_sweep().job_id == JOB_ID and last_sweep().ran_at == pub_clock.now


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sweeps need PostgreSQL (SQLite in memory has a single connection)")
def test_two_concurrent_sweeps_write_one_audit_row_per_item(app, make_item, pub_clock):
    items = [make_item(title=f"并发{i}", state="scheduled", publish_at=pub_clock.now - timedelta(minutes=i)) for i in range(20)]
    now, barrier, results, errors = pub_clock.now, threading.Barrier(2), [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(sweep_schedule(now))
                db.session.remove()
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(result.get("published", 0) for result in results) == 20
    per_item = select(AuditLog.item_id, func.count()).where(AuditLog.actor == SCHEDULER_ACTOR).group_by(AuditLog.item_id)
    counts = dict(db.session.execute(per_item).all())
    assert counts == {item.id: 1 for item in items}


def test_the_scheduler_registers_the_sweep_with_catch_up_defaults(paused_scheduler):
    job = paused_scheduler.get_job(JOB_ID)
    assert paused_scheduler.get_job("contests.sweep_overdue_attempts") is not None
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
    assert job.trigger.interval == timedelta(seconds=60)
    assert type(paused_scheduler._jobstores["default"]).__name__ == "MemoryJobStore"
