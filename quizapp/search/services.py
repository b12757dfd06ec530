"""Search across every registered source: rank title matches first, highlight, paginate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup, escape

from quizapp.core.pagination import checked_page, page_count
from quizapp.core.timeutil import utcnow
from quizapp.search.registry import SOURCES, Document
from quizapp.search.tokens import normalise, parse_query

PER_SOURCE_LIMIT = 200
SNIPPET_CHARS = 80


@dataclass(frozen=True)
class Hit:
    """A ranked hit: highlighted title and snippet (safe Markup with ``<mark>``), path, label, date."""

    title: Markup
    snippet: Markup
    url: str
    kind_label: str
    dated: date | None


@dataclass(frozen=True)
class SearchResult:
    """One page of hits and the total number of matches (capped at the per-source limit)."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return page_count(self.total, self.per_page)


def search(raw_query: str, page: int = 1, per_page: int = 20, now: datetime | None = None) -> SearchResult:
    """Search every registered source for *raw_query* as seen at *now* (UTC); return page *page*.

    Ranking: documents whose title contains more query words first, then more occurrences
    in the body, then the newer date. An empty query returns no hits. A page below 1 is the first.

    Raises:
        NotFound: for a page past the last.

    """
    query = parse_query(raw_query)
    if query.is_empty:
        return SearchResult([], 0, 1, per_page)
    now = now or utcnow()
    documents = [doc for source in SOURCES.values() for doc in source.find(query, now, PER_SOURCE_LIMIT)]
    documents.sort(key=lambda doc: _rank(doc, query.terms), reverse=True)
    page = checked_page(page, len(documents), per_page)
    chosen = documents[(page - 1) * per_page : page * per_page]
    hits = [Hit(highlight(doc.title, query.terms), snippet(doc.text, query.terms), doc.url, doc.kind_label, doc.dated) for doc in chosen]
    return SearchResult(hits, len(documents), page, per_page)


def _rank(doc: Document, terms: tuple[str, ...]) -> tuple[int, int, date]:
    title, body = normalise(doc.title), normalise(doc.text)
    return (sum(term in title for term in terms), sum(body.count(term) for term in terms), doc.dated or date.min)


def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def highlight(text: str, terms: tuple[str, ...]) -> Markup:
    """Return *text* escaped with each query term (normalised words) wrapped in ``<mark>``, ignoring case."""
    text = text or ""
    pattern = _pattern(terms)
    if pattern is None:
        return Markup(escape(text))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def snippet(text: str, terms: tuple[str, ...], width: int = SNIPPET_CHARS) -> Markup:
    """Return about *width* characters of *text* around the first match, highlighted."""
    text = " ".join((text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, (match.start() if match else 0) - width // 3)
    piece = text[start : start + width]
    prefix, suffix = ("…" if start else ""), ("…" if start + width < len(text) else "")
    return Markup(escape(prefix)) + highlight(piece, terms) + Markup(escape(suffix))
