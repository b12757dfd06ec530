"""Law articles as a search source (registered with :mod:`quizapp.search.registry`)."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.laws.models import ARTICLE_FTS, Law, LawArticle, LawVersion, article_title
from quizapp.search.fulltext import text_match
from quizapp.search.registry import Document, register_source
from quizapp.search.tokens import SearchQuery


def article_path(slug: str, article: LawArticle) -> str:
    """Return the permalink path of *article* of the law *slug*: ``/laws/<slug>/28`` or ``/laws/<slug>/36-1``."""
    if article.suffix:
        return url_for("laws.article_suffixed", slug=slug, number=article.number, suffix=article.suffix)
    return url_for("laws.article", slug=slug, number=article.number)


class LawArticleSource:
    """Articles of the versions in force (a superseded version's articles are never found)."""

    name = "law"
    label = "法律法规"

    def find(self, query: SearchQuery, now: datetime, limit: int) -> list[Document]:
        """Return up to *limit* current articles whose ``search_text`` matches *query*; *now* is unused (laws have no schedule)."""
        statement = (
            select(Law.slug, Law.short_name, LawArticle)
            .join(LawVersion, LawArticle.version_id == LawVersion.id)
            .join(Law, LawVersion.law_id == Law.id)
            .where(LawVersion.is_superseded.is_(False), text_match(LawArticle.__table__, ARTICLE_FTS, query, like_columns=("text",)))
            .order_by(Law.title, LawArticle.position)
            .limit(limit)
        )
        return [
            Document(article_title(short_name, article.number, article.suffix), article.text, article_path(slug, article), self.label)
            for slug, short_name, article in db.session.execute(statement)
        ]


register_source(LawArticleSource())
