"""Count law-library and practice use per day (Asia/Shanghai) for the year's figures.

One row per (day, metric), raised by an ``INSERT … ON CONFLICT DO UPDATE`` (SQLite ≥ 3.24
and PostgreSQL share the syntax), so two requests counting at once never lose a count
and never collide on the primary key.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
    day = report_day(now or utcnow())
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(DailyUsage).values(day=day, metric=metric, count=1)
    statement = statement.on_conflict_do_update(index_elements=[DailyUsage.day, DailyUsage.metric], set_={"count": DailyUsage.count + 1})
    db.session.execute(statement)
    if commit:
        db.session.commit()


def usage_between(first_day: date, last_day: date) -> dict[str, int]:
    """Return ``{metric: total}`` over the days *first_day* … *last_day* inclusive (every metric, 0 when unused)."""
    rows = db.session.execute(
        select(DailyUsage.metric, func.sum(DailyUsage.count))
        .where(DailyUsage.day >= first_day, DailyUsage.day <= last_day)
        .group_by(DailyUsage.metric)
    ).all()
    totals = dict.fromkeys(METRICS, 0)
    totals.update({metric: int(total or 0) for metric, total in rows})
    return totals
