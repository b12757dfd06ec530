"""Publicity pages: a list and a detail page per kind, and the 每月一警示 archive."""

from __future__ import annotations

from flask import abort, render_template, request

import quizapp.publicity.searching  # noqa: F401  (registers the search source)
from quizapp.public.pagecache import cached_page
from quizapp.publicity import bp, services, share
from quizapp.publicity.kinds import KINDS, KINDS_BY_SLUG
from quizapp.publicity.links import cite, item_path
from quizapp.publicity.rendering import render_markdown

LISTED = "cases,penalties,qa,news"


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None):
    """Render Markdown to sanitised HTML (``{{ text|markdown }}``)."""
    return render_markdown(text)


@bp.record_once
def _template_globals(state) -> None:
    """Expose ``item_path`` and ``cite`` to every template and macro (globals reach imported macros); add the share hook."""
    state.app.add_template_global(item_path, "item_path")
    state.app.add_template_global(cite, "cite")
    share.register(state.app)


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get(f"/<any({LISTED}):slug>")
def list_page(slug: str):
    """List one kind, newest first, paginated; penalties filter by year, industry and violation type."""
    kind = KINDS_BY_SLUG[slug]
    filters = services.Filters(
        year=request.args.get("year", type=int),
        industry=request.args.get("industry") or None,
        category=request.args.get("category") or None,
    )
    page = services.list_items(kind, _page_arg(), filters)
    choices = services.facets(kind) if kind.name in ("penalty", "qa") else None
    return render_template("publicity/list.html", kind=kind, page=page, filters=filters, choices=choices)


@bp.get(f"/<any({LISTED}):slug>/<uid>")
@cached_page()
def detail(slug: str, uid: str):
    """Show one case, penalty disclosure, Q&A or news item (404 unless visible now)."""
    kind = KINDS_BY_SLUG[slug]
    item, view = services.get_item(kind, uid)
    return render_template(f"publicity/{kind.name}.html", kind=kind, item=item, view=view)


@bp.get("/warnings")
@cached_page({"year": int})
def warnings():
    """The 每月一警示 archive by year and month (``?year=2026`` shows one year)."""
    archive = services.warning_archive()
    year = request.args.get("year", type=int)
    if year is not None and year not in archive:
        abort(404)
    shown = {year: archive[year]} if year is not None else archive
    return render_template("publicity/warnings.html", kind=KINDS["warning"], archive=shown, years=list(archive), year=year)


@bp.get("/warnings/<int:year>/<int:month>")
@cached_page()
def warning(year: int, month: int):
    """Show the monthly warning of *year*-*month* (404 unless visible now)."""
    item, view = services.get_warning(year, month)
    return render_template("publicity/warning.html", kind=KINDS["warning"], item=item, view=view)
