"""Who else has an item open: the edit page touches ``item_presence`` when it opens and a small script pings every 30 s.

Without JavaScript the page still shows the others' last visit ("opened at …"); with it
the list refreshes on each ping. Someone counts as present when seen within
:data:`PRESENT_WINDOW_S` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp.accounts.models import StaffUser
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import ItemPresence

#: Seconds after the last visit or ping during which a colleague is shown as having the item open.
PRESENT_WINDOW_S = 120
#: Seconds between two pings of ``static/presence.js``.
PING_INTERVAL_S = 30


@dataclass(frozen=True)
class Present:
    """A colleague with the item open: display name and the last visit or ping (UTC)."""

    user_id: int
    name: str
    seen_at: datetime


def touch(item_id: int, user_id: int, now: datetime | None = None) -> None:
    """Record that *user_id* has item *item_id* open at *now* (one upsert; commits)."""
    now = now or utcnow()
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ItemPresence).values(item_id=item_id, user_id=user_id, seen_at=now)
    statement = statement.on_conflict_do_update(index_elements=["item_id", "user_id"], set_={"seen_at": now})
    db.session.execute(statement)
    db.session.commit()


def others(item_id: int, user_id: int, now: datetime | None = None, window_s: int = PRESENT_WINDOW_S) -> list[Present]:
    """Return the other staff seen on item *item_id* within *window_s* seconds before *now*, most recent first."""
    now = now or utcnow()
    rows = db.session.execute(
        select(StaffUser.id, StaffUser.display_name, ItemPresence.seen_at)
        .join(StaffUser, StaffUser.id == ItemPresence.user_id)
        .where(ItemPresence.item_id == item_id, ItemPresence.user_id != user_id, ItemPresence.seen_at >= now - timedelta(seconds=window_s))
        .order_by(ItemPresence.seen_at.desc())
    )
    return [Present(uid, name, seen_at) for uid, name, seen_at in rows]
