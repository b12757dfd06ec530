"""Registry of searchable sources: each domain registers one, ``/search`` asks them all.

A source is any object with ``name``, ``label`` and ``find(query, now, limit)`` returning
:class:`Document` rows that are visible at *now* and match the query (use
:func:`quizapp.search.fulltext.text_match` on a table with a ``search_text`` column).
Ranking, highlighting and pagination are done once, in :mod:`quizapp.search.services`.

Adding a source (e.g. law articles)::

    from quizapp.search.registry import Document, register_source

    class LawArticleSource:
        name, label = "law", "法律法规"
        def find(self, query, now, limit): ...   # -> list[Document]

    register_source(LawArticleSource())
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from quizapp.search.tokens import SearchQuery


@dataclass(frozen=True)
class Document:
    """One search hit before ranking: plain text (no HTML), a site path and an optional date."""

    title: str
    text: str
    url: str
    kind_label: str
    dated: date | None = None


class SearchSource(Protocol):
    """What a searchable kind provides."""

    name: str
    label: str

    def find(self, query: SearchQuery, now: datetime, limit: int) -> list[Document]:
        """Return up to *limit* documents matching *query* and visible at *now* (UTC)."""


SOURCES: dict[str, SearchSource] = {}


def register_source(source: SearchSource) -> None:
    """Add *source* under ``source.name`` (registering the same name again replaces it)."""
    SOURCES[source.name] = source
