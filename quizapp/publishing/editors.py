"""The editor registry: how the staff workspace edits, previews and compares each kind of item.

The workflow (:mod:`quizapp.publishing.workflow`) and the staff pages
(:mod:`quizapp.publishing.staff`) are kind-agnostic: everything kind-specific is one
:class:`EditorSpec` registered with :func:`register_editor` (the publicity kinds in
:mod:`quizapp.publicity.editors`; the question bank registers ``"question"`` the same way).
See docs/workspace.md, section "Editors".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from quizapp.publishing.models import Item, Revision


@dataclass(frozen=True)
class EditorSpec:
    """Everything the workspace needs to edit one kind of item.

    Attributes:
        label: the kind's Chinese name (以案释法 …), shown in menus and headings.
        form: a Flask-WTF form class; instantiated with no arguments on POST and with
            ``data=to_form_data(content)`` to edit an existing revision.
        to_content: ``form -> (content, listing)`` for a validated form: the revision's
            ``content`` dict and its listing columns (see :class:`~quizapp.publishing.models.Revision`).
            It reuses the kind's own validation (the content-file rules) and raises
            :class:`~quizapp.core.errors.ValidationFailed` with ``fields={form field name: Chinese message}``.
        to_form_data: ``content -> dict`` of form data (the inverse of *to_content*).
        render_preview: ``(item or None, content, listing) -> HTML`` of the page exactly as the
            public will see it (a new item passes None).
        fields: ``content -> [(Chinese label, plain text)]``, the rendered fields that revisions
            are compared on; default: the content's keys and JSON values.
        on_live: optional ``(item, revision) -> None`` called in the same transaction when a
            revision goes live (publish now, or the sweep at or after its scheduled time).
        form_template: the template of the form's fields (included inside the edit page's
            ``<form>``, with ``form`` and ``spec`` in its context).
        public_url: optional ``item -> path`` of the item's public page (only for visible items).
        order: sort order in menus.

    """

    label: str
    form: type
    to_content: Callable[[Any], tuple[dict, dict]]
    to_form_data: Callable[[dict], dict]
    render_preview: Callable[[Item | None, dict, dict], str]
    fields: Callable[[dict], list[tuple[str, str]]] | None = None
    on_live: Callable[[Item, Revision], None] | None = None
    form_template: str = "publishing_staff/_fields.html"
    public_url: Callable[[Item], str] | None = None
    order: int = 50
    extra: dict = field(default_factory=dict)


EDITORS: dict[str, EditorSpec] = {}


def register_editor(kind: str, spec: EditorSpec) -> None:
    """Register (or replace) the editor of *kind* (the :attr:`Item.kind` string, e.g. ``"case"``, ``"question"``)."""
    EDITORS[kind] = spec


def editor_for(kind: str) -> EditorSpec | None:
    """Return the editor of *kind*, or None when no editor is registered."""
    return EDITORS.get(kind)


def editors() -> list[tuple[str, EditorSpec]]:
    """Return ``(kind, spec)`` pairs in menu order."""
    return sorted(EDITORS.items(), key=lambda pair: (pair[1].order, pair[0]))


def rendered_fields(kind: str, content: dict) -> list[tuple[str, str]]:
    """Return the fields of *content* that revisions of *kind* are compared on: ``[(label, text)]``."""
    spec = EDITORS.get(kind)
    if spec is not None and spec.fields is not None:
        return spec.fields(content)
    return [(key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)) for key, value in content.items()]


def notify_live(item: Item, revision: Revision) -> None:
    """Call the ``on_live`` hook of the item's kind, if any (does not commit)."""
    spec = EDITORS.get(item.kind)
    if spec is not None and spec.on_live is not None:
        spec.on_live(item, revision)


def preview_html(kind: str, item: Item | None, content: dict, listing: dict) -> Markup:
    """Return the public page of *content* as the kind's editor renders it."""
    return Markup(EDITORS[kind].render_preview(item, content, listing))
