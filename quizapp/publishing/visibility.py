"""The one visibility rule, applied on read by every list, page, feed, sitemap and search.

An item is visible at *now* (UTC) when it is ``published``, or ``scheduled`` with
``publish_at <= now``, and its ``expire_at`` is unset or later than *now*. Reading
the rule (rather than waiting for the sweep to flip the status) means nothing
appears early and nothing waits for the scheduler.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from quizapp.core.timeutil import utcnow
from quizapp.publishing.models import Item


def is_visible(now: datetime | None = None) -> ColumnElement[bool]:
    """Return the SQL condition "visible at *now*" (aware; default the server clock) on :class:`Item`."""
    now = now or utcnow()
    return and_(
        Item.live_revision_id.is_not(None),
        or_(Item.status == "published", and_(Item.status == "scheduled", Item.publish_at <= now)),
        or_(Item.expire_at.is_(None), Item.expire_at > now),
    )


def visible_items(kind: str | None = None, now: datetime | None = None) -> Select[tuple[Item]]:
    """Return ``select(Item)`` of the items visible at *now*, of *kind* if given, newest first.

    Order: the item's own date (``dated``) descending, then the publication time, then id.
    Callers add filters and pagination.
    """
    query = select(Item).where(is_visible(now))
    if kind is not None:
        query = query.where(Item.kind == kind)
    return query.order_by(Item.dated.desc(), Item.publish_at.desc(), Item.id.desc())

