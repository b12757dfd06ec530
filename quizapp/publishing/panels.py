"""Dashboard panels of the content workflow: scheduling warnings, next month's 每月一警示, the review queue."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from quizapp.core.timeutil import utcnow
from quizapp.publishing import overview
from quizapp.workspace import register_panel


def schedule_panel() -> str:
    """Warn every staff member when a scheduled item is overdue or the scheduler's heartbeat is older than 5 minutes."""
    health = overview.schedule_health(utcnow())
    if health.ok:
        return ""
    return Markup(render_template("publishing_staff/panel_schedule.html", health=health))


def month_panel() -> str:
    """Remind editors and reviewers when next month's (Asia/Shanghai) 每月一警示 is not yet scheduled or published."""
    if not current_user.has_role("editor", "reviewer"):
        return ""
    reminder = overview.month_reminder(utcnow())
    if reminder is None:
        return ""
    period, item = reminder
    return Markup(render_template("publishing_staff/panel_month.html", period=period, item=item))


def review_panel() -> str:
    """Tell reviewers how many items wait for review."""
    if not current_user.has_role("reviewer"):
        return ""
    items = overview.review_queue()
    if not items:
        return ""
    return Markup(render_template("publishing_staff/panel_review.html", items=items))


register_panel(schedule_panel, order=5)
register_panel(month_panel, order=15)
register_panel(review_panel, order=16)
