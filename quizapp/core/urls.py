"""Absolute URLs of this site: ``QUIZAPP_SITE_URL`` when set, so a forged Host header never reaches a feed, sitemap, share card or QR code.

Without the setting (development) the request's own host is used.
"""

from __future__ import annotations

from flask import current_app, request, url_for


def site_root() -> str:
    """Return the site's scheme and host without a trailing slash: ``https://aq.example.gov.cn``."""
    return (current_app.config.get("SITE_URL") or request.host_url).rstrip("/")


def absolute_url(path: str) -> str:
    """Return the absolute URL of the site path *path* (``/news/x`` → ``https://aq.example.gov.cn/news/x``)."""
    return site_root() + path


def external_url_for(endpoint: str, **values) -> str:
    """Return ``url_for(endpoint, **values)`` made absolute with :func:`absolute_url`."""
    return absolute_url(url_for(endpoint, **values))
