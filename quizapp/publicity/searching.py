"""The publicity kinds as a search source (registered with :mod:`quizapp.search.registry`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS
from quizapp.publicity.links import item_path
from quizapp.publishing.models import ITEM_FTS, Item
from quizapp.publishing.visibility import is_visible
from quizapp.search.fulltext import text_match
from quizapp.search.registry import Document, register_source
from quizapp.search.tokens import SearchQuery


class PublicitySource:
    """Cases, penalty disclosures, monthly warnings, Q&A and news visible at the time of the search."""

    name = "publicity"
    label = "法治宣传"

    def find(self, query: SearchQuery, now: datetime, limit: int) -> list[Document]:
        """Return up to *limit* visible items whose ``search_text`` matches *query*."""
        statement = (
            select(Item)
            .where(is_visible(now), Item.kind.in_(KINDS), text_match(Item.__table__, ITEM_FTS, query))
            .order_by(Item.dated.desc(), Item.id.desc())
            .limit(limit)
        )
        return [
            Document(item.title, item.body_text, item_path(item), KINDS[item.kind].label, item.dated)
            for item in db.session.scalars(statement)
        ]


register_source(PublicitySource())
