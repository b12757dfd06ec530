"""Revisions of an item and the comparison of two of them (difflib on the kind's rendered fields)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.publishing.editors import rendered_fields
from quizapp.publishing.models import AuditLog, Item, Revision
from quizapp.publishing.workflow import get_revision


def revisions(item: Item) -> list[Revision]:
    """Return every revision of *item*, newest first."""
    return list(db.session.scalars(select(Revision).where(Revision.item_id == item.id).order_by(Revision.number.desc())))


@dataclass(frozen=True)
class FieldDiff:
    """One field of a comparison: its label, whether it changed, and the unified diff as segments.

    ``segments`` is ``[(op, text)]`` with op ``equal``, ``delete`` (only in the older revision)
    or ``insert`` (only in the newer), character by character so Chinese text diffs well;
    templates show them as plain text, ``<del>`` and ``<ins>``.
    """

    label: str
    changed: bool
    segments: list[tuple[str, str]]


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Return the segments turning *old* into *new*, character by character.

    ``diff_text("甲乙丙", "甲丁丙")`` → ``[("equal", "甲"), ("delete", "乙"), ("insert", "丁"), ("equal", "丙")]``.
    """
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", old[i1:i2]))
        if op in ("delete", "replace"):
            segments.append(("delete", old[i1:i2]))
        if op in ("insert", "replace"):
            segments.append(("insert", new[j1:j2]))
    return segments


def compare(item: Item, old_number: int, new_number: int) -> list[FieldDiff]:
    """Compare revisions *old_number* and *new_number* of *item* field by field (the kind's editor labels). Raises NotFound."""
    old, new = get_revision(item, old_number), get_revision(item, new_number)
    old_fields, new_fields = dict(rendered_fields(item.kind, old.content)), rendered_fields(item.kind, new.content)
    result = []
    for label, text in new_fields:
        before = old_fields.pop(label, "")
        result.append(FieldDiff(label, before != text, diff_text(before, text)))
    for label, before in old_fields.items():  # a field only the older revision had
        result.append(FieldDiff(label, True, diff_text(before, "")))
    return result


def trail(item: Item) -> list[AuditLog]:
    """Return the audit rows of *item*, newest first (the item page's history)."""
    return list(db.session.scalars(select(AuditLog).where(AuditLog.item_id == item.id).order_by(AuditLog.at.desc(), AuditLog.id.desc())))
