"""Daily usage counters: one row per day and metric, raised by the law article page and practice answers."""

from __future__ import annotations

import weakref
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from quizapp.extensions import db
from quizapp.practice import services as practice
from quizapp.reports import usage
from quizapp.reports.models import DailyUsage
from quizapp.reports.usage import count_later, count_use, flush_counts, usage_between
from tests.contests.sittings import make_version
from tests.laws.factories import SAFETY_LAW


def _counts() -> list[tuple[date, str, int]]:
    db.session.expire_all()
    return [(row.day, row.metric, row.count) for row in db.session.scalars(select(DailyUsage).order_by(DailyUsage.day, DailyUsage.metric))]


def test_counts_add_up_per_local_day_and_metric(app):
    # 2026-01-01 00:30 in Asia/Shanghai is still 2025-12-31 in UTC: it counts on 1 January.
    count_use("law_article_view", datetime(2025, 12, 31, 16, 30, tzinfo=UTC))
    count_use("law_article_view", datetime(2026, 1, 1, 15, 59, tzinfo=UTC))  # 23:59 local, same day
    count_use("law_article_view", datetime(2026, 1, 1, 16, 0, tzinfo=UTC))  # 2 January local
    count_use("practice_answer", datetime(2025, 12, 31, 15, 59, tzinfo=UTC))  # 31 December local

    assert _counts() == [
        (date(2025, 12, 31), "practice_answer", 1),
        (date(2026, 1, 1), "law_article_view", 2),
        (date(2026, 1, 2), "law_article_view", 1),
    ]
    assert usage_between(date(2026, 1, 1), date(2026, 12, 31)) == {"law_article_view": 3, "practice_answer": 0}
    assert usage_between(date(2025, 12, 31), date(2026, 1, 1)) == {"law_article_view": 2, "practice_answer": 1}


def test_an_unknown_metric_is_refused(app):
    with pytest.raises(KeyError):
        count_use("page_view")
    assert _counts() == []


def test_each_article_page_view_is_counted_and_a_missing_article_is_not(client, library):
    assert client.get(f"/laws/{SAFETY_LAW}/28").status_code == 200
    assert client.get(f"/laws/{SAFETY_LAW}/29").status_code == 200
    assert client.get(f"/laws/{SAFETY_LAW}/9999").status_code == 404
    assert _counts() == []  # buffered: no write per view

    assert flush_counts() == 2
    assert [(metric, count) for _day, metric, count in _counts()] == [("law_article_view", 2)]


def test_each_practice_answer_is_counted_right_or_wrong(app):
    version = make_version("P1", kind="true_false")
    db.session.commit()
    now = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)

    first = practice.answer(version.id, True, None, now)
    practice.answer(version.id, False, first.learner_key, now)

    assert _counts() == [(date(2026, 6, 1), "practice_answer", 2)]


def test_buffered_views_reach_the_database_in_one_upsert_per_day_and_metric(app):
    for moment in (datetime(2026, 3, 1, 2, 0, tzinfo=UTC), datetime(2026, 3, 1, 3, 0, tzinfo=UTC), datetime(2026, 3, 2, 2, 0, tzinfo=UTC)):
        count_later("law_article_view", moment)
    count_use("law_article_view", datetime(2026, 3, 1, 4, 0, tzinfo=UTC))  # an existing row is raised, not replaced
    assert _counts() == [(date(2026, 3, 1), "law_article_view", 1)]

    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert flush_counts() == 3
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sum("daily_usage" in statement for statement in statements) == 2
    assert _counts() == [(date(2026, 3, 1), "law_article_view", 3), (date(2026, 3, 2), "law_article_view", 1)]


def test_a_failed_flush_keeps_the_counts_for_the_next_one(app, monkeypatch):
    count_later("law_article_view", datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    monkeypatch.setattr(usage, "_add", lambda *args: (_ for _ in ()).throw(OperationalError("UPDATE", {}, Exception("database is locked"))))
    assert flush_counts() == 0
    monkeypatch.undo()

    assert flush_counts() == 1
    assert _counts() == [(date(2026, 3, 1), "law_article_view", 1)]


def test_the_timer_flush_runs_in_its_own_app_context(app):
    count_later("law_article_view", datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    usage._flush_in_context(weakref.ref(app))  # what the timer thread and the exit hook call
    assert _counts() == [(date(2026, 3, 1), "law_article_view", 1)]
