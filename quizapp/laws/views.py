"""Law library pages: the list, a law's contents, chapters, article permalinks, the print view.

URLs: ``/laws``, ``/laws/<slug>``, ``/laws/<slug>/chapters/<n>`` (the n-th 章 from 1),
``/laws/<slug>/<number>`` and ``/laws/<slug>/<number>-<k>`` for 第…条之k, ``/laws/<slug>/print``.
``?version=<n>`` shows an older (superseded) version of the contents, a chapter or an article.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

import quizapp.laws.searching  # noqa: F401  (registers the search source)
from quizapp.laws import bp, services
from quizapp.laws.citations import citation_link, citation_url
from quizapp.practice import services as practice
from quizapp.practice.forms import practice_form
from quizapp.practice.learner import learner_key
from quizapp.public.pagecache import cached_page
from quizapp.reports.usage import count_later

bp.add_app_template_filter(citation_link, "citation_link")
bp.add_app_template_global(citation_url, "citation_url")


#: The query argument these pages read (an older version of the text).
VERSION_ARG = {"version": int}


def _count_view() -> None:
    """Count a law-article view for the year's figures (buffered: no database write per view)."""
    count_later("law_article_view")


def _version(slug: str):
    return services.get_version(slug, request.args.get("version", type=int))


@bp.get("")
@cached_page()
def index():
    """List the laws and regulations in the library, with their revision in force."""
    return render_template("laws/index.html", laws=services.list_laws())


@bp.get("/")
def index_slash():
    """Send ``/laws/`` (people type either) to the one address of the list, ``/laws``."""
    return redirect(url_for(".index"), 301)


@bp.get("/<slug>")
@cached_page(VERSION_ARG)
def toc(slug: str):
    """Show a law's table of contents: revision notes, 编/章/节, and the articles of each."""
    version = _version(slug)
    return render_template("laws/toc.html", law=version.law, version=version)


@bp.get("/<slug>/chapters/<int:ordinal>")
@cached_page(VERSION_ARG)
def chapter(slug: str, ordinal: int):
    """Show one chapter's articles (with its 节 headings) and its practice link."""
    version = _version(slug)
    division, articles = services.get_chapter(version, ordinal)
    count = len(practice.questions_on(articles)) if not version.is_superseded else 0
    return render_template(
        "laws/chapter.html", law=version.law, version=version, chapter=division, articles=articles, question_count=count
    )


@bp.get("/<slug>/<int:number>")
@cached_page(VERSION_ARG, on_hit=_count_view)
def article(slug: str, number: int):
    """Show one article (its permalink) with previous/next and 练一练."""
    return _article_page(slug, number, 0)


@bp.get("/<slug>/<int:number>-<int:suffix>")
@cached_page(VERSION_ARG, on_hit=_count_view)
def article_suffixed(slug: str, number: int, suffix: int):
    """Show a 第…条之k article, addressed ``<number>-<k>`` (``36-1`` is 第三十六条之一)."""
    return _article_page(slug, number, suffix)


def _article_page(slug: str, number: int, suffix: int):
    version = _version(slug)
    item = services.get_article(version, number, suffix)
    _count_view()  # the year's figures: law-library use (a cache hit counts through on_hit)
    previous, following = services.neighbours(item)
    questions = practice.questions_on([item]) if not version.is_superseded else []
    first = practice.present(questions[0], learner_key()) if questions else None
    return render_template(
        "laws/article.html",
        law=version.law,
        version=version,
        article=item,
        previous=previous,
        following=following,
        question_count=len(questions),
        question=first,
        form=practice_form(first) if first else None,
    )


@bp.get("/<slug>/print")
def print_view(slug: str):
    """Show the whole text on one plain page for printing."""
    version = _version(slug)
    return render_template("laws/print.html", law=version.law, version=version)
