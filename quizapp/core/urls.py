"""Absolute URLs of this site: ``QUIZAPP_SITE_URL`` when set, so a forged Host header never reaches a feed, sitemap, share card or QR code.

Without the setting (development) the request's own host is used.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def site_root() -> str:
    """Return the site's scheme and host without a trailing slash: ``https://aq.example.gov.cn``."""
    return (current_app.config.get("SITE_URL") or request.host_url).rstrip("/")


def absolute_url(path: str) -> str:
    """Return the absolute URL of the site path *path* (``/news/x`` → ``https://aq.example.gov.cn/news/x``)."""
    return site_root() + path


def external_url_for(endpoint: str, **values) -> str:
    """Return ``url_for(endpoint, **values)`` made absolute with :func:`absolute_url`."""
    return absolute_url(url_for(endpoint, **values))


def same_site_path(path: str | None) -> str:
    """Return *path* if it is a path of this site that answers GET (``/cases/x?y=1``), else abort 400.

    Refuses absolute and scheme-relative URLs (``https://…``, ``//host``), backslashes and
    paths no route matches, so the QR endpoint never encodes a link to another site.
    """
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or any(ord(c) < 32 for c in path):
        abort(400)
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        abort(400)
    try:
        current_app.url_map.bind(request.host).match(parts.path, method="GET")
    except RequestRedirect:
        pass
    except HTTPException:
        abort(400)
    return path
