"""Publishing operations shared by content sync and (later) the staff workspace."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, select

from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, Item, Revision


def content_hash(content: dict) -> str:
    """Return the SHA-256 (hex) of *content* as order-independent JSON."""
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def find_item(uid: str) -> Item | None:
    """Return the item with stable id *uid*, or None."""
    return db.session.scalar(select(Item).where(Item.uid == uid))


def create_item(uid: str, kind: str, actor: str, now: datetime | None = None) -> Item:
    """Add a new draft item (no revision yet) and its ``create`` audit row. Does not commit."""
    now = now or utcnow()
    item = Item(uid=uid, kind=kind, status="draft", created_at=now, updated_at=now)
    db.session.add(item)
    db.session.add(AuditLog(actor=actor, action="create", item=item, from_state=None, to_state="draft", at=now))
    return item


def add_revision(item: Item, content: dict, listing: dict, actor: str, now: datetime | None = None, note: str = "") -> Revision:
    """Append a revision (number = last + 1) written by *actor*; it is not live until published. Does not commit.

    *listing* holds the item columns the revision sets once live (see :class:`Revision`).
    """
    now = now or utcnow()
    db.session.flush()
    last = db.session.scalar(select(func.max(Revision.number)).where(Revision.item_id == item.id)) or 0
    revision = Revision(item=item, number=last + 1, content=content, listing=listing, content_hash=content_hash(content),
                        actor=actor, note=note, created_at=now)  # fmt: skip
    db.session.add(revision)
    return revision


def revise_live(item: Item, revision: Revision, actor: str, now: datetime | None = None) -> AuditLog:
    """Make *revision* live on an item that stays in its state (a correction); return the ``revise`` audit row."""
    now = now or utcnow()
    item.make_live(revision)
    entry = AuditLog(actor=actor, action="revise", item=item, from_state=item.status, to_state=item.status, at=now,
                     detail=f"revision {revision.number}")  # fmt: skip
    db.session.add(entry)
    return entry


def last_revision_by(item: Item, system: bool) -> Revision | None:
    """Return the newest revision of *item* written by a system actor (*system*) or by staff."""
    condition = Revision.actor.startswith("system:") if system else ~Revision.actor.startswith("system:")
    return db.session.scalar(select(Revision).where(Revision.item_id == item.id, condition).order_by(Revision.number.desc()).limit(1))


def record_audit(actor: str, action: str, *, target: str | None = None, item: Item | None = None, detail: str = "",
                 from_state: str | None = None, to_state: str | None = None, now: datetime | None = None) -> AuditLog:
    """Add (do not commit) one audit row: *actor* (``staff:<id>`` / ``system:<job>``) did *action*.

    *target* names a non-item subject (``"competition:5"``, ``"user:3"`` …); *detail* is cut to
    300 characters. Returns the row.
    """
    entry = AuditLog(actor=actor, action=action[:40], target=target, item=item, detail=(detail or "")[:300],
                     from_state=from_state, to_state=to_state, at=now or utcnow())  # fmt: skip
    db.session.add(entry)
    return entry
