"""Usage counters: how often something happened per calendar day, for the year's figures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


class DailyUsage(db.Model):
    """One counter for one day (Asia/Shanghai): ``metric`` happened ``count`` times on ``day``.

    Metrics are the keys of :data:`quizapp.reports.usage.METRICS`. Only totals are kept:
    no learner, address or article, so the counter holds no personal information.
    """

    __tablename__ = "daily_usage"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    metric: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
