"""``/search?q=…``: one query across every registered source."""

from __future__ import annotations

from flask import render_template, request

from quizapp.search import bp
from quizapp.search.services import search

MAX_QUERY_CHARS = 60


@bp.get("/search")
def search_page():
    """Show ranked, highlighted hits for ``q`` (page ``page``); an empty query shows the form only."""
    query = (request.args.get("q") or "").strip()[:MAX_QUERY_CHARS]
    result = search(query, request.args.get("page", 1, type=int) or 1) if query else None
    return render_template("search/results.html", query=query, result=result)
