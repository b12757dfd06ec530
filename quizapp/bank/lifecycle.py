"""Questions on the content lifecycle: one item of kind ``question`` per bank question.

Design (issue 4, "one model for every kind, questions included"):

- Each :class:`~quizapp.bank.models.Question` has an :class:`~quizapp.publishing.models.Item`
  of kind ``question`` (``Item.uid`` = ``question:<uid>``, see :func:`item_uid`) linked by
  ``Question.item_id``. A revision's ``content`` is the question as
  :func:`~quizapp.bank.services.question_data` gives it (the dict ``save_question`` takes).
- Drafts and revisions waiting for review live only in ``content_revision``. When a revision
  becomes live (publish, schedule, a live correction) the live hook :func:`on_live` calls
  :func:`~quizapp.bank.services.save_question`, which adds a :class:`QuestionVersion` if the
  content changed. Papers keep pinning versions, so an edit never changes a given paper and
  an edited published question is drawn in its old version until the edit is approved.
- A never-approved question has a ``Question`` row (so the browser can filter it) with
  metadata from its newest draft and no version: it is not drawable. Drawable = active,
  with a version, and its item visible (:func:`quizapp.bank.services.is_live`), so archived
  questions drop out of new papers.
- Content sync writes as ``system:content-sync`` and publishes; once staff have written a
  revision, a changed file is reported as a conflict and not loaded (as for publicity).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select

from quizapp.bank.models import Question
from quizapp.bank.services import save_question, set_facets, version_hash
from quizapp.core.errors import ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import Item, Revision, register_live_hook
from quizapp.publishing.services import add_revision, content_hash, create_item, find_item, last_revision_by, record_audit, revise_live

QUESTION_KIND = "question"
SYNC_ACTOR = "system:content-sync"
ITEM_UID_MAX = 80  # content_item.uid is String(80)


def item_uid(question_uid: str) -> str:
    """Return the item uid of a question: ``question:<uid>``, shortened with a hash suffix past 80 characters."""
    uid = f"{QUESTION_KIND}:{question_uid}"
    if len(uid) <= ITEM_UID_MAX:
        return uid
    return f"{uid[:ITEM_UID_MAX - 17]}~{hashlib.sha256(question_uid.encode()).hexdigest()[:16]}"


def listing(data: dict) -> dict:
    """Return the item columns a question revision sets when live: the stem as title (never searchable on the site)."""
    return {"title": str(data.get("stem", ""))[:300], "summary": "", "body_text": "", "search_text": ""}


def question_item(question_uid: str) -> Item | None:
    """Return the lifecycle item of the question *question_uid* (linked, or by :func:`item_uid`), or None.

    A question written first in the workspace has the workflow's item uid (``question-<hex>``);
    the link ``Question.item_id`` finds it.
    """
    question = db.session.scalar(select(Question).where(Question.uid == question_uid))
    if question is not None and question.item_id is not None:
        return db.session.get(Item, question.item_id)
    return find_item(item_uid(question_uid))


def on_live(item: Item, revision: Revision) -> None:
    """Live hook of the ``question`` kind: save the revision's content as the bank's current version.

    Raises:
        ValidationFailed: for an unknown type or a type change (from ``save_question``), or a uid
            that belongs to another item's question.

    """
    existing = db.session.scalar(select(Question).where(Question.uid == revision.content["uid"]))
    if existing is not None and existing.item_id is not None and item.id is not None and existing.item_id != item.id:
        raise ValidationFailed(f"题目编号 {existing.uid} 已被另一道题使用，请修改编号")
    question, _ = save_question(dict(revision.content))
    question.item = item


register_live_hook(QUESTION_KIND, on_live)


def save_draft(data: dict, actor: str, now: datetime | None = None, note: str = "") -> tuple[Item, Revision | None]:
    """Write *data* (a ``save_question`` dict) as the newest revision of its question's item; nothing goes live.

    Creates the item (draft, with its ``create`` audit row) on first use. Returns the item
    and the new revision, or None when the newest revision already has this content.
    For a question never approved, the ``Question`` row's type and metadata follow the
    draft (so the browser can filter it); an approved question keeps its live metadata.
    Does not commit.

    Raises:
        ValidationFailed: for an unknown type, or a type change of an approved question.

    """
    from quizapp.bank.models import QUESTION_TYPES

    now = now or utcnow()
    if data.get("type") not in QUESTION_TYPES:
        raise ValidationFailed(f"未知题型 {data.get('type')!r}")
    question = db.session.scalar(select(Question).where(Question.uid == data["uid"]))
    if question is not None and question.current_version_id is not None and question.type != data["type"]:
        raise ValidationFailed(f"题目 {data['uid']} 的题型不能从 {question.type_label} 改为其他题型")
    item = question_item(data["uid"])
    if item is None:
        item = create_item(item_uid(data["uid"]), QUESTION_KIND, actor, now)
    elif item.kind != QUESTION_KIND:
        raise ValidationFailed(f"编号 {item.uid} 已被其他内容使用")
    latest = item.latest_revision()
    if latest is not None and latest.content_hash == content_hash(data):
        revision = None
    else:
        revision = add_revision(item, data, listing(data), actor, now, note=note)
    if question is None:
        question = Question(uid=data["uid"], type=data["type"])
        db.session.add(question)
    if question.current_version_id is None:
        question.type = data["type"]
        question.category = data.get("category", "")
        question.difficulty = data.get("difficulty", 3)
        question.tags = data.get("tags", [])
        item.title = listing(data)["title"]  # the workspace shows the draft's stem until a revision is live
        set_facets(question, data)
    question.item = item
    return item, revision


def publish(data: dict, actor: str, now: datetime | None = None, note: str = "") -> tuple[Item, str]:
    """Save *data* and make it live at once (content sync, CLI import, an upload by a reviewer); return the item and outcome.

    Outcome: ``created`` (a new item), ``updated`` (a new live revision) or ``unchanged``.
    An archived item gets the revision but stays archived (restoring is a staff decision).
    Does not commit.
    """
    now = now or utcnow()
    existed = question_item(data["uid"]) is not None
    item, revision = save_draft(data, actor, now, note)
    latest = revision or item.latest_revision()
    if revision is not None and item.pending_revision_id is not None:
        item.pending_revision, item.pending_publish_at = None, None  # superseded by what goes live now
    if item.status in ("draft", "in_review"):
        item.publish(actor, now, revision=latest)
        return item, "updated" if existed else "created"
    if item.status in ("published", "scheduled") and (item.live_revision is not latest or not _bank_has(data)):
        revise_live(item, latest, actor, now)  # also repairs a bank row deleted or changed outside the lifecycle
        return item, "updated"
    return item, "unchanged" if revision is None else "updated"


def _bank_has(data: dict) -> bool:
    """Return whether the bank's current version of ``data["uid"]`` has exactly *data*'s versioned content."""
    question = db.session.scalar(select(Question).where(Question.uid == data["uid"]))
    version = question.current_version if question is not None else None
    return version is not None and version.content_hash == version_hash(data)


def submit_draft(data: dict, actor: str, now: datetime | None = None, note: str = "") -> tuple[Item, str]:
    """Save *data* as a draft for review (an upload by an editor); return the item and outcome.

    A new or draft item is submitted (``in_review``); a published item keeps its live
    revision and gets the new one waiting for approval (``pending_revision``, as
    :func:`quizapp.publishing.workflow.submit` does), so reviewers approve it in the workflow. Outcome:
    ``created``, ``updated`` or ``unchanged``. Does not commit.
    """
    now = now or utcnow()
    existed = question_item(data["uid"]) is not None
    item, revision = save_draft(data, actor, now, note)
    if revision is None:
        return item, "unchanged"
    if item.status == "draft":
        item.submit(actor, now)
    else:
        detail = f"修改：第 {revision.number} 版"
        record_audit(actor, "submit", item=item, detail=detail, from_state=item.status, to_state=item.status, now=now)
    if item.status in ("in_review", "published"):
        item.pending_revision, item.pending_publish_at = revision, None  # in the workflow's review queue
    return item, "updated" if existed else "created"


def sync_question(data: dict, now: datetime, conflicts: list[str], where: str = "") -> str:
    """Load one content-file question as ``system:content-sync``; return ``created|updated|unchanged|conflict``.

    Like publicity files: a changed file writes a new revision and publishes it; an item
    whose newest revision is by staff is left alone and a message appended to *conflicts*
    (unless the file is what was last loaded). Does not commit.
    """
    item = question_item(data["uid"])
    if item is not None:
        latest = item.latest_revision()
        if latest is not None and not latest.is_system:
            synced = last_revision_by(item, system=True)
            if synced is not None and synced.content_hash == content_hash(data):
                return "unchanged"
            conflicts.append(f"{where or 'banks'}: {data['uid']} was edited by staff; the file was not loaded")
            return "conflict"
    return publish(data, SYNC_ACTOR, now, note=where)[1]
