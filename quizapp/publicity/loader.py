"""Load publicity content files (Markdown + YAML front matter) into items and revisions.

Layout (see ``content/README.md``): ``cases/``, ``penalties/``, ``warnings/``, ``qa/``,
``news/`` under the content folder, one ``*.md`` file per item. Loading acts as the
actor ``system:content-sync``: a new file creates an item, a changed file writes a new
revision, an unchanged file writes nothing, and an item that staff have edited (its
newest revision is by a non-system actor) is left alone and reported as a conflict, as is a new
file whose month (每月一警示) another item already holds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import frontmatter
import yaml
from sqlalchemy import select

from quizapp.content.banks import ContentError
from quizapp.core.timeutil import local_to_utc, utcnow
from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS, Kind
from quizapp.publishing.models import AuditLog, Item
from quizapp.publishing.services import add_revision, content_hash, create_item, find_item, last_revision_by, revise_live

SYNC_ACTOR = "system:content-sync"
UID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
STATUSES = ("published", "draft")


@dataclass
class PublicityReport:
    """Counts per kind folder (``created|updated|unchanged|conflict``) and one message per conflict."""

    counts: dict[str, Counter] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def count(self, kind: Kind, outcome: str) -> None:
        """Add one *outcome* for *kind*."""
        self.counts.setdefault(kind.folder, Counter())[outcome] += 1


@dataclass(frozen=True)
class ContentFile:
    """One parsed file: its kind, stable id, content, schedule (aware UTC or None) and initial status."""

    kind: Kind
    uid: str
    content: dict
    publish_at: datetime | None
    expire_at: datetime | None
    status: str
    name: str


def _local_time(meta: dict, key: str, where: str, zone: str | None) -> datetime | None:
    value = meta.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        try:
            value = datetime.strptime(str(value), "%Y-%m-%d %H:%M")
        except ValueError:
            raise ContentError(f"{where}: {key} must be a local time 'YYYY-MM-DD HH:MM', got {value!r}") from None
    return local_to_utc(value.replace(tzinfo=None), zone)


def read_file(kind: Kind, path: Path) -> ContentFile:
    """Parse one content file of *kind*.

    Front matter shared by every kind: ``id`` (stable, ``[a-z0-9-]``), optional ``status``
    (``published`` default, or ``draft``), ``publish_at`` / ``expire_at`` as local times
    ``YYYY-MM-DD HH:MM`` in ``timezone`` (default the display zone, Asia/Shanghai).

    Raises:
        ContentError: naming the file for any format violation.

    """
    where = f"{kind.folder}/{path.name}"
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{where}: invalid front matter: {exc}") from None
    meta = post.metadata
    uid = str(meta.get("id", ""))
    if not UID.match(uid):
        raise ContentError(f"{where}: id must match [a-z0-9-]+, got {uid!r}")
    status = meta.get("status", "published")
    if status not in STATUSES:
        raise ContentError(f"{where}: status must be one of {STATUSES}")
    zone = meta.get("timezone")
    publish_at, expire_at = _local_time(meta, "publish_at", where, zone), _local_time(meta, "expire_at", where, zone)
    if publish_at and expire_at and expire_at <= publish_at:
        raise ContentError(f"{where}: expire_at must be after publish_at")
    return ContentFile(kind, uid, kind.parse(meta, post.content, where), publish_at, expire_at, status, where)


def read_publicity(directory: str | Path) -> list[ContentFile]:
    """Read every publicity file under *directory*; raise ContentError for a bad file or a duplicate id."""
    root = Path(directory)
    files = [read_file(kind, path) for kind in KINDS.values() for path in sorted(root.glob(f"{kind.folder}/*.md"))]
    seen: dict[str, str] = {}
    for entry in files:
        if entry.uid in seen:
            raise ContentError(f"duplicate publicity id: {entry.uid} (in {seen[entry.uid]}, {entry.name})")
        seen[entry.uid] = entry.name
    return files


def sync_publicity(directory: str | Path, *, now: datetime | None = None, commit: bool = True) -> PublicityReport:
    """Load the publicity files under *directory* as ``system:content-sync``; return what happened.

    Idempotent: a second run reports everything unchanged and writes no row. All files are
    read before anything is written; with *commit* False the caller's transaction
    (``flask content sync``) commits.

    Raises:
        ContentError: for any invalid file (nothing written) or a file whose kind differs from its item's.

    """
    files = read_publicity(directory)
    try:
        report = sync_publicity_files(files, now or utcnow())
        if commit:
            db.session.commit()
    except Exception:
        if commit:
            db.session.rollback()
        raise
    return report


def find_period(kind: str, period: str) -> Item | None:
    """Return the item of *kind* holding *period* (``YYYY-MM``, unique per kind), or None."""
    return db.session.scalar(select(Item).where(Item.kind == kind, Item.period == period))


def sync_publicity_files(files: list[ContentFile], now: datetime) -> PublicityReport:
    """Write already-read *files* (see :func:`read_publicity`) as of *now*; does not commit."""
    report = PublicityReport()
    for entry in files:
        report.count(entry.kind, _sync_one(entry, now, report))
    return report


def _sync_one(entry: ContentFile, now: datetime, report: PublicityReport) -> str:
    item = find_item(entry.uid)
    digest = content_hash(entry.content)
    if item is None:
        period = entry.kind.listing(entry.content).get("period")
        taken = find_period(entry.kind.name, period) if period else None
        if taken is not None:  # e.g. staff already wrote this month's 每月一警示 in the workspace
            report.conflicts.append(f"{entry.name}: {period} already has item {taken.uid}; the file was not loaded")
            return "conflict"
        item = create_item(entry.uid, entry.kind.name, SYNC_ACTOR, now)
        item.expire_at = entry.expire_at
        add_revision(item, entry.content, entry.kind.listing(entry.content), SYNC_ACTOR, now, note=entry.name)
        if entry.status == "published" and entry.publish_at:
            # a schedule in the file (past or future) is kept: visibility reads it, the sweep records it
            item.schedule(entry.publish_at, SYNC_ACTOR, now)
        elif entry.status == "published":
            item.publish(SYNC_ACTOR, now)
        return "created"
    if item.kind != entry.kind.name:
        raise ContentError(f"{entry.name}: id {entry.uid} already names a {item.kind} item")
    latest = item.latest_revision()
    if latest is not None and not latest.is_system:
        synced = last_revision_by(item, system=True)
        if synced is not None and synced.content_hash == digest:
            return "unchanged"  # the file did not change since it was loaded: the staff edit simply stands
        report.conflicts.append(f"{entry.name}: {entry.uid} was edited by staff; the file was not loaded")
        return "conflict"
    outcome = "unchanged"
    if latest is None or latest.content_hash != digest:
        revision = add_revision(item, entry.content, entry.kind.listing(entry.content), SYNC_ACTOR, now, note=entry.name)
        if item.status in ("published", "scheduled"):
            revise_live(item, revision, SYNC_ACTOR, now)
        outcome = "updated"
    if item.expire_at != entry.expire_at:
        item.expire_at, outcome = entry.expire_at, "updated"
    if item.status == "scheduled" and entry.publish_at and item.publish_at != entry.publish_at:
        item.schedule(entry.publish_at, SYNC_ACTOR, now)
        outcome = "updated"
    if _follow_file_status(item, entry, now):
        outcome = "updated"
    return outcome


def _follow_file_status(item: Item, entry: ContentFile, now: datetime) -> bool:
    """Move *item* to the status its file now asks for; return whether it moved.

    ``published`` takes a draft or in-review item live (or schedules it at ``publish_at``) and
    brings back an item that content sync itself archived; ``draft`` archives a live or
    scheduled item. An item that staff archived stays archived (their decision stands).
    """
    if entry.status == "published":
        if item.status == "archived":
            if _last_move_actor(item) != SYNC_ACTOR:
                return False
            item.restore(SYNC_ACTOR, now)
        if item.status in ("draft", "in_review"):
            if entry.publish_at:
                item.schedule(entry.publish_at, SYNC_ACTOR, now)
            else:
                item.publish(SYNC_ACTOR, now)
            return True
        return False
    if item.status in ("published", "scheduled"):
        item.archive(SYNC_ACTOR, now)
        return True
    return False


def _last_move_actor(item: Item) -> str | None:
    return db.session.scalar(
        select(AuditLog.actor).where(AuditLog.item_id == item.id, AuditLog.to_state == item.status).order_by(AuditLog.id.desc()).limit(1)
    )
