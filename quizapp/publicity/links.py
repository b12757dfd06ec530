"""Site paths of publicity items, and citations rendered with the law library's link when it has one."""

from __future__ import annotations

from flask import current_app, url_for
from markupsafe import Markup, escape

from quizapp.core.urls import absolute_url
from quizapp.laws.texts import format_citation
from quizapp.publicity.kinds import KINDS
from quizapp.publishing.models import Item


def item_path(item: Item, external: bool = False) -> str:
    """Return the page of *item*: ``/warnings/2026/01`` for a monthly warning, ``/<kind slug>/<uid>`` otherwise.

    With *external*, the absolute URL on the canonical site (:func:`quizapp.core.urls.absolute_url`).
    """
    if item.kind == "warning":
        year, month = (int(part) for part in item.period.split("-"))
        path = url_for("publicity.warning", year=year, month=month)
    else:
        path = url_for("publicity.detail", slug=KINDS[item.kind].slug, uid=item.uid)
    return absolute_url(path) if external else path


def cite(basis: dict) -> Markup:
    """Render one legal basis: the ``citation_link`` filter of the law library if registered, else the plain citation."""
    linker = current_app.jinja_env.filters.get("citation_link")
    if linker is not None:
        return Markup(linker(basis))
    return Markup(escape(format_citation(basis)))
