"""The review workflow that staff run on items of every kind: save, submit, approve, send back, withdraw, archive.

Two tracks, one set of services:

* an item that is not live (draft, in review, scheduled, archived) moves through the
  lifecycle states of :class:`~quizapp.publishing.models.Item`;
* a **published** item stays published while a newer revision is written, submitted
  (``pending_revision_id`` set) and approved: published now (it replaces the live revision)
  or scheduled (``pending_publish_at``; the sweep in :mod:`quizapp.publishing.tasks` applies it).
  The old revision stays on the site until then.

Rules (issue 5, "Content workflow"): nobody approves their own item — the author of the
revision under review may not approve, schedule, publish or send it back (:class:`OwnItem`, 403);
sending back needs a comment; every step writes one audit row (actor, action, from/to
state, item). Every service commits; times are aware UTC (staff enter Asia/Shanghai and
the views convert with :func:`quizapp.core.timeutil.local_to_utc`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import wraps

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from quizapp.core.timeutil import format_local, utcnow
from quizapp.extensions import db
from quizapp.publishing.editors import notify_live
from quizapp.publishing.models import RETIRE_GUARDS, STATE_LABELS, Item, Revision
from quizapp.publishing.services import add_revision, content_hash, create_item, record_audit


class OwnItem(DomainError):
    """The actor wrote the revision under review and may not approve it (403 ``own_item``)."""

    status = 403
    code = "own_item"


class NotYours(DomainError):
    """An editor tried to withdraw a revision someone else submitted (403 ``not_yours``)."""

    status = 403
    code = "not_yours"


def _transaction(service):
    """Roll the session back when *service* raises, so a refused step leaves nothing half-written."""

    @wraps(service)
    def wrapped(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except Exception:
            db.session.rollback()
            raise

    return wrapped


def get_item(item_id: int) -> Item:
    """Return the item *item_id*. Raises NotFound."""
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFound("内容不存在。")
    return item


def get_revision(item: Item, number: int) -> Revision:
    """Return revision *number* of *item*. Raises NotFound (also for a number no column can hold)."""
    if not 1 <= number <= MAX_REVISION:
        raise NotFound(f"第 {number} 版不存在。")
    revision = db.session.scalar(select(Revision).where(Revision.item_id == item.id, Revision.number == number))
    if revision is None:
        raise NotFound(f"第 {number} 版不存在。")
    return revision


def revision_under_review(item: Item) -> Revision | None:
    """Return the revision waiting for a decision: the submitted one, or the one an item is scheduled with."""
    if item.pending_revision is not None:
        return item.pending_revision
    if item.status == "scheduled":
        return item.live_revision
    return None


def stage(item: Item) -> str:
    """Return where the item is in the workflow (a key of :data:`STAGE_LABELS`).

    The lifecycle status, except for a published item with a waiting revision:
    ``revision_draft`` (newer unsubmitted revision), ``revision_review``, ``revision_scheduled``.
    """
    if item.status != "published":
        return item.status
    if item.pending_revision_id is not None:
        return "revision_scheduled" if item.pending_publish_at is not None else "revision_review"
    latest = item.latest_revision()
    if latest is not None and latest.id != item.live_revision_id:
        return "revision_draft"
    return "published"


#: Revision numbers beyond this cannot exist (the column is a 32-bit integer).
MAX_REVISION = 2**31 - 1
#: How far ahead a reviewer may schedule publication (days).
MAX_SCHEDULE_DAYS = 730
STAGE_LABELS = {
    **STATE_LABELS,
    "revision_draft": "已发布（有未提交的修改）",
    "revision_review": "已发布（修改待审核）",
    "revision_scheduled": "已发布（修改已排期）",
}


def _require_editable(item: Item) -> None:
    current = stage(item)
    if current in ("draft", "published", "revision_draft"):
        return
    if current == "archived":
        raise Conflict("已归档的内容请先恢复再修改。", code="not_editable")
    raise Conflict(f"内容{STAGE_LABELS[current]}，请先撤回再修改。", code="not_editable")


def new_uid(kind: str) -> str:
    """Return a fresh stable id for a staff-created item: ``<kind>-<12 hex>`` (matches the content-file id rule)."""
    return f"{kind}-{secrets.token_hex(6)}"


@_transaction
def save_draft(kind: str, content: dict, listing: dict, actor: str, item_id: int | None = None, note: str = "",
               now: datetime | None = None, base_revision: int | None = None) -> tuple[Item, Revision | None]:  # fmt: skip
    """Save *content* as a new revision of item *item_id* (or of a new draft item of *kind*); commit.

    Returns ``(item, revision)``; revision is None when the content equals the newest
    revision (a second submit of the same form writes nothing). A new item gets a
    ``create`` audit row, a new revision of an existing one a ``save`` row. The live
    revision of a published item stays on the site.

    Raises:
        NotFound: for an unknown item.
        Conflict: when the item is in review, scheduled or archived (withdraw or restore first),
            or (每月一警示) another item already has the month (code ``period_taken``), or
            someone saved a newer revision than *base_revision*, the one the form was opened on
            (code ``stale_revision``: saving would silently drop their change).

    """
    now = now or utcnow()
    if item_id is None:
        item = create_item(new_uid(kind), kind, actor, now)
    else:
        item = get_item(item_id)
        _require_editable(item)
        latest = item.latest_revision()
        if latest is not None and latest.content_hash == content_hash(content):
            return item, None
        if latest is not None and base_revision is not None and latest.number != base_revision:
            raise Conflict(f"您编辑期间，{_actor_label(latest.actor)}已保存了第 {latest.number} 版。为免覆盖其修改，本次未保存："
                           "请复制您的改动，重新打开编辑页后再保存。", code="stale_revision")  # fmt: skip
    _check_period(item, listing.get("period"))
    revision = add_revision(item, content, listing, actor, now, note=note)
    if item.live_revision_id is None:
        # not on the site: show the draft's title in staff lists and reserve its month (unique per kind)
        item.title, item.period = listing.get("title", "")[:300], listing.get("period")
    db.session.flush()
    if item_id is not None:
        record_audit(actor, "save", item=item, from_state=item.status, to_state=item.status, detail=f"第 {revision.number} 版", now=now)
    _commit_unique()
    return item, revision


def _actor_label(actor: str) -> str:
    """Return who *actor* is, for messages: the staff member's display name, or 内容同步/系统."""
    from quizapp.accounts.models import StaffUser

    kind, _, number = actor.partition(":")
    if kind == "staff" and number.isdigit():
        user = db.session.get(StaffUser, int(number))
        if user is not None:
            return user.display_name
    return "内容同步" if actor == "system:content-sync" else "其他人"


def _check_period(item: Item, period: str | None) -> None:
    if not period:
        return
    db.session.flush()
    other = db.session.scalar(select(Item).where(Item.kind == item.kind, Item.period == period, Item.id != item.id))
    if other is not None:
        raise Conflict(f"{period} 已有一期（“{other.title}”，{STATE_LABELS[other.status]}），每月只能发布一期，请编辑那一期。",
                       code="period_taken")  # fmt: skip


def _commit_unique() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict("该月份已有一期，每月只能发布一期。", code="period_taken") from None


@_transaction
def submit(item_id: int, actor: str, now: datetime | None = None) -> Item:
    """Submit the newest revision for review; commit.

    A draft goes to ``in_review``; a published item with a newer revision stays published
    and its newer revision waits for review. Raises InvalidTransition/Conflict (409) otherwise.
    """
    now = now or utcnow()
    item = get_item(item_id)
    current = stage(item)
    latest = item.latest_revision()
    if current == "draft":
        item.submit(actor, now)
    elif current == "revision_draft":
        record_audit(
            actor, "submit", item=item, from_state="published", to_state="published", detail=f"修改：第 {latest.number} 版", now=now
        )
    else:
        raise Conflict(f"内容{STAGE_LABELS[current]}，没有可提交的修改。", code="nothing_to_submit")
    item.pending_revision = latest
    db.session.commit()
    return item


def _check_not_own(revision: Revision, actor: str) -> None:
    if revision.actor == actor:
        raise OwnItem("不能审核自己编写的内容：请由其他审核员批准或排期。")


@_transaction
def approve(item_id: int, actor: str, publish_at: datetime | None = None, now: datetime | None = None) -> Item:
    """Approve the revision under review: publish now (*publish_at* None) or at *publish_at* (aware UTC); commit.

    Also reschedules a scheduled item or revision. On a published item the approved
    revision replaces the live one now, or at *publish_at* by the sweep (the live one stays
    until then). Calls the kind's ``on_live`` hook when a revision goes live now.

    Raises:
        OwnItem: *actor* wrote the revision under review (403).
        Conflict: nothing is waiting for review (409).
        ValidationFailed: *publish_at* is in the past (422).

    """
    now = now or utcnow()
    item = get_item(item_id)
    revision = revision_under_review(item)
    if revision is None:
        raise Conflict(f"内容{STAGE_LABELS[stage(item)]}，没有待审核的版本。", code="nothing_to_approve")
    _check_not_own(revision, actor)
    if publish_at is not None and publish_at < now:
        raise ValidationFailed("发布时间已过，请选择将来的时间，或选择立即发布。", fields={"publish_at": "发布时间已过"})
    if publish_at is not None and publish_at > now + timedelta(days=MAX_SCHEDULE_DAYS):
        raise ValidationFailed(f"定时发布最多可提前 {MAX_SCHEDULE_DAYS} 天安排。", fields={"publish_at": "发布时间太远"})
    if item.status == "published":
        _approve_revision(item, revision, actor, publish_at, now)
    elif publish_at is None:
        item.publish(actor, now, revision=revision)
        item.pending_revision = None
        notify_live(item, revision)
    else:
        item.schedule(publish_at, actor, now, revision=revision)
        item.pending_revision = None
        item.publish_at = publish_at
    _commit_unique()
    return item


def _approve_revision(item: Item, revision: Revision, actor: str, publish_at: datetime | None, now: datetime) -> None:
    if publish_at is None:
        item.make_live(revision)
        item.pending_revision, item.pending_publish_at = None, None
        record_audit(
            actor, "publish", item=item, from_state="published", to_state="published", detail=f"第 {revision.number} 版上线", now=now
        )
        notify_live(item, revision)
    else:
        item.pending_publish_at = publish_at
        record_audit(actor, "schedule", item=item, from_state="published", to_state="published",
                     detail=f"第 {revision.number} 版定于 {format_local(publish_at)} 上线", now=now)  # fmt: skip


@_transaction
def send_back(item_id: int, actor: str, comment: str, now: datetime | None = None) -> Item:
    """Return the revision under review to its author with *comment* (kept in the audit row); commit.

    An item in review goes back to draft; a published item keeps its live revision and the
    returned one becomes an unsubmitted change again.

    Raises:
        ValidationFailed: an empty comment (422).
        Conflict: nothing is in review (409).

    """
    now = now or utcnow()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed("退回时请填写修改意见。", fields={"comment": "请填写修改意见"})
    item = get_item(item_id)
    current = stage(item)
    revision = revision_under_review(item)
    if revision is not None:
        _check_not_own(revision, actor)  # reviewing includes sending back: never one's own revision
    if current == "in_review":
        record_audit(actor, "send_back", item=item, from_state="in_review", to_state="draft", detail=comment, now=now)
        item.status = "draft"
    elif current == "revision_review":
        record_audit(actor, "send_back", item=item, from_state="published", to_state="published", detail=comment, now=now)
    else:
        raise Conflict(f"内容{STAGE_LABELS[current]}，没有待审核的版本。", code="nothing_to_send_back")
    item.pending_revision = None
    db.session.commit()
    return item


@_transaction
def withdraw(item_id: int, actor: str, *, others: bool = False, now: datetime | None = None) -> Item:
    """Take back a submitted or scheduled item or revision (back to draft / unsubmitted change); commit.

    Only the author of the revision under review may, unless *others* (reviewers).

    Raises:
        NotYours: someone else wrote it and *others* is False (403).
        Conflict: nothing is in review or scheduled (409).

    """
    now = now or utcnow()
    item = get_item(item_id)
    revision = revision_under_review(item)
    if revision is None:
        raise Conflict(f"内容{STAGE_LABELS[stage(item)]}，没有可撤回的版本。", code="nothing_to_withdraw")
    if not others and revision.actor != actor:
        raise NotYours("只能撤回自己提交的内容。")
    if item.status == "published":
        record_audit(
            actor, "withdraw", item=item, from_state="published", to_state="published", detail=f"撤回修改：第 {revision.number} 版", now=now
        )
    else:
        _check_retire(item, "withdraw", now)
        item.withdraw(actor, now)
    item.pending_revision, item.pending_publish_at = None, None
    db.session.commit()
    return item


@_transaction
def archive(item_id: int, actor: str, now: datetime | None = None) -> Item:
    """Take a published or scheduled item off the site (archived); a waiting revision is dropped from review; commit.

    Raises:
        InvalidTransition: the item is neither published nor scheduled.
        Conflict: the kind's retire guard refuses (a question a live competition's paper needs, 409).

    """
    now = now or utcnow()
    item = get_item(item_id)
    _check_retire(item, "archive", now)
    item.archive(actor, now)
    item.pending_revision, item.pending_publish_at = None, None
    db.session.commit()
    return item


def _check_retire(item: Item, action: str, now: datetime) -> None:
    """Run the retire guard of the item's kind, if any (it raises Conflict to refuse)."""
    guard = RETIRE_GUARDS.get(item.kind)
    if guard is not None:
        guard(item, action, now)


@_transaction
def restore(item_id: int, actor: str, now: datetime | None = None) -> Item:
    """Return an archived item to draft (to be edited and reviewed again); commit. Raises InvalidTransition."""
    item = get_item(item_id)
    item.restore(actor, now or utcnow())
    db.session.commit()
    return item


@_transaction
def restore_revision(item_id: int, number: int, actor: str, now: datetime | None = None) -> Revision:
    """Copy revision *number* into a new revision by *actor* (it then goes through review like any edit); commit.

    Raises:
        NotFound: unknown item or revision.
        Conflict: the item is in review, scheduled or archived, or revision *number* is already the newest.

    """
    now = now or utcnow()
    item = get_item(item_id)
    _require_editable(item)
    old = get_revision(item, number)
    latest = item.latest_revision()
    if latest.id == old.id or latest.content_hash == old.content_hash:
        raise Conflict(f"第 {number} 版与最新版相同，无需恢复。", code="same_revision")
    revision = add_revision(item, old.content, old.listing, actor, now, note=f"恢复自第 {number} 版")
    if item.live_revision_id is None:
        item.title, item.period = (old.listing or {}).get("title", "")[:300], (old.listing or {}).get("period")
    db.session.flush()
    record_audit(actor, "restore_revision", item=item, from_state=item.status, to_state=item.status,
                 detail=f"第 {revision.number} 版恢复自第 {number} 版", now=now)  # fmt: skip
    _commit_unique()
    return revision
