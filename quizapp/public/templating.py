"""Template filters and site-wide context."""

from __future__ import annotations

from flask import Flask, current_app

from quizapp.core.timeutil import format_local, isoformat
from quizapp.core.urls import absolute_url
from quizapp.laws.texts import format_citation
from quizapp.privacy.phone import mask_name


def format_duration(seconds: int | None) -> str:
    """Render seconds as ``12分05秒`` (or ``45秒``)."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}分{rest:02d}秒" if minutes else f"{rest}秒"


def format_points(value: float | None) -> str:
    """Render points without a needless ``.0``: 4.0 → ``4``, 2.5 → ``2.5``."""
    if value is None:
        return "—"
    return f"{value:g}"


def register(app: Flask) -> None:
    """Add filters ``localtime``, ``isotime``, ``duration``, ``points``, ``citation``, the global ``absolute_url`` and the site context."""
    app.add_template_filter(format_local, "localtime")
    app.add_template_filter(isoformat, "isotime")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_points, "points")
    app.add_template_filter(format_citation, "citation")
    app.add_template_filter(mask_name, "mask_name")
    app.add_template_global(absolute_url, "absolute_url")

    @app.context_processor
    def site_context():
        config = current_app.config
        return {
            "site": {
                "name": config["SITE_NAME"],
                "sponsor": config["SITE_SPONSOR"],
                "icp": config["SITE_ICP"],
                "psb": config["SITE_PSB"],
                "contact": config.get("SITE_CONTACT", ""),
            }
        }
