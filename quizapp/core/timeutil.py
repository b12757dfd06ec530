"""Time contract: store UTC, show the display zone, accept any ISO 8601 offset.

Every datetime inside quizapp is timezone-aware. Columns use
:class:`quizapp.core.types.UTCDateTime`; the API writes ISO 8601 with the
display offset (``2024-06-01T09:00:00+08:00``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the server clock)."""
    return datetime.now(UTC)


def display_zone() -> ZoneInfo:
    """Return the display time zone (``QUIZAPP_TIMEZONE``, default Asia/Shanghai)."""
    name = current_app.config.get("DISPLAY_TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def to_display(moment: datetime | None) -> datetime | None:
    """Convert an aware datetime to the display zone (``None`` passes through)."""
    if moment is None:
        return None
    return moment.astimezone(display_zone())


def isoformat(moment: datetime | None) -> str | None:
    """Format *moment* as ISO 8601 seconds with the display offset, e.g. ``…T09:00:00+08:00``."""
    shown = to_display(moment)
    return shown.isoformat(timespec="seconds") if shown else None


def parse_iso(text: str) -> datetime:
    """Parse ISO 8601 with any offset (``Z`` included) into aware UTC.

    A value without an offset is read as display-zone local time.

    Raises:
        ValueError: when *text* is not ISO 8601.

    """
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return local_to_utc(moment) if moment.tzinfo is None else moment.astimezone(UTC)


def local_to_utc(moment: datetime, zone: str | None = None) -> datetime:
    """Read a naive local time in *zone* (default: display zone) and return aware UTC."""
    tz = ZoneInfo(zone) if zone else display_zone()
    return moment.replace(tzinfo=tz).astimezone(UTC)


def format_local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format *moment* in the display zone for pages (empty string for ``None``)."""
    shown = to_display(moment)
    return shown.strftime(fmt) if shown else ""
