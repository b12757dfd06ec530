"""Count law-library and practice use per day (Asia/Shanghai) for the year's figures.

One row per (day, metric), raised by an ``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24
and PostgreSQL share the syntax), so two requests counting at once never lose a count
and never collide on the primary key.

Law-article views are counted through a per-process buffer (:func:`count_later`), since a
page served from the page cache must cost no database write: the buffer is written with one
``count = count + n`` UPSERT per (day, metric) at most ``USAGE_FLUSH_S`` seconds (default 5)
after its first count, by a timer thread, before this process reads the figures
(:func:`usage_between`), and at process exit. What can be lost: the counts of a worker that is
killed (SIGKILL, a gunicorn timeout, a power cut) in the seconds before its next flush.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import func, select

from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.reports.models import DailyUsage

#: Days follow the calendar in Asia/Shanghai, whatever QUIZAPP_TIMEZONE says (as 每日一题 does).
REPORT_ZONE = ZoneInfo("Asia/Shanghai")

#: Metric name → what it counts (Chinese label for the figures page).
METRICS = {
    "law_article_view": "法规条文浏览次数",
    "practice_answer": "练习作答次数",
}


def report_day(moment: datetime) -> date:
    """Return the calendar date in Asia/Shanghai at the aware instant *moment*."""
    return moment.astimezone(REPORT_ZONE).date()


def count_use(metric: str, now: datetime | None = None, *, commit: bool = True) -> None:
    """Add one to *metric*'s counter for the day of *now* (aware; default the server clock).

    Commits unless *commit* is False (a caller that commits its own transaction).

    Raises:
        KeyError: for a metric not in :data:`METRICS`.

    """
    if metric not in METRICS:
        raise KeyError(metric)
    _add(report_day(now or utcnow()), metric, 1)
    if commit:
        db.session.commit()


def _add(day: date, metric: str, count: int) -> None:
    """Raise (day, metric) by *count* in the session's transaction (UPSERT)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(DailyUsage).values(day=day, metric=metric, count=count)
    statement = statement.on_conflict_do_update(
        index_elements=[DailyUsage.day, DailyUsage.metric], set_={"count": DailyUsage.count + statement.excluded.count}
    )
    db.session.execute(statement)


log = logging.getLogger(__name__)
_BUFFER = "quizapp.usage_buffer"


class UsageBuffer:
    """Counts of this process not yet written: ``{(day, metric): n}``, guarded by a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[date, str]] = Counter()
        self.timer: threading.Timer | None = None

    def add(self, key: tuple[date, str]) -> bool:
        """Count one under *key*; return True when the buffer was empty (a flush must be planned)."""
        with self.lock:
            was_empty = not self.counts
            self.counts[key] += 1
            return was_empty

    def take(self) -> Counter[tuple[date, str]]:
        """Return and forget the counts held."""
        with self.lock:
            taken, self.counts = self.counts, Counter()
            self.timer = None
            return taken

    def give_back(self, counts: Counter[tuple[date, str]]) -> None:
        """Put back counts whose write failed, for the next flush."""
        with self.lock:
            self.counts.update(counts)


def _buffer(app: Flask) -> UsageBuffer:
    return app.extensions.setdefault(_BUFFER, UsageBuffer())


def count_later(metric: str, now: datetime | None = None) -> None:
    """Add one to *metric* for the day of *now* in this process's buffer (no database write now).

    The buffer reaches the database within ``USAGE_FLUSH_S`` seconds (a timer thread; tests,
    where ``TESTING`` is set, call :func:`flush_counts` or read through :func:`usage_between`).

    Raises:
        KeyError: for a metric not in :data:`METRICS`.

    """
    if metric not in METRICS:
        raise KeyError(metric)
    app = current_app._get_current_object()
    buffer = _buffer(app)
    if buffer.add((report_day(now or utcnow()), metric)) and not app.testing:
        _plan_flush(app, buffer)


def _plan_flush(app: Flask, buffer: UsageBuffer) -> None:
    """Start the timer that flushes *buffer* in ``USAGE_FLUSH_S`` seconds (one at a time)."""
    with buffer.lock:
        if buffer.timer is not None:
            return
        buffer.timer = threading.Timer(app.config.get("USAGE_FLUSH_S", 5), _flush_in_context, args=(weakref.ref(app),))
        buffer.timer.daemon = True
        buffer.timer.start()
    _flush_at_exit(app)


def _flush_in_context(app_ref: weakref.ref) -> None:
    app = app_ref()
    if app is None:
        return
    with app.app_context():
        try:
            flush_counts()
        finally:
            db.session.remove()


_exit_hooks: set[int] = set()


def _flush_at_exit(app: Flask) -> None:
    """Flush *app*'s buffer when the process exits normally (a gunicorn worker's graceful stop)."""
    if id(app) in _exit_hooks:
        return
    _exit_hooks.add(id(app))
    atexit.register(_flush_in_context, weakref.ref(app))


def flush_counts() -> int:
    """Write this process's buffered counts, one UPSERT per (day, metric), and commit; return how many were written.

    On a database error the counts go back into the buffer (the next flush retries) and the
    error is logged, not raised: a reader's page never fails for a counter.
    """
    buffer = _buffer(current_app._get_current_object())
    counts = buffer.take()
    if not counts:
        return 0
    try:
        for (day, metric), count in sorted(counts.items()):
            _add(day, metric, count)
        db.session.commit()
    except Exception:
        db.session.rollback()
        buffer.give_back(counts)
        log.exception("usage counts not written; kept for the next flush")
        return 0
    return sum(counts.values())


def usage_between(first_day: date, last_day: date) -> dict[str, int]:
    """Return ``{metric: total}`` over the days *first_day* … *last_day* inclusive (every metric, 0 when unused).

    Flushes this process's buffer first, so the figures include every view it counted.
    """
    flush_counts()
    rows = db.session.execute(
        select(DailyUsage.metric, func.sum(DailyUsage.count))
        .where(DailyUsage.day >= first_day, DailyUsage.day <= last_day)
        .group_by(DailyUsage.metric)
    ).all()
    totals = dict.fromkeys(METRICS, 0)
    totals.update({metric: int(total or 0) for metric, total in rows})
    return totals
