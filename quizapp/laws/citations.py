"""Legal-basis citations: resolve them against the library, link them, check them.

A citation is a ``legal_basis`` entry: ``{"law": "安全生产法", "article": 28,
"quote": "…"}`` with an optional ``"suffix": 1`` for 第…条之一. ``law`` is a law's
short name (安全生产法) or full title (中华人民共和国安全生产法).

Every kind of content that cites the law (questions now; cases and warnings later)
registers a *citation source* with :func:`register_citation_source`, so
``flask bank check-citations`` checks them all without knowing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import g, has_app_context, url_for
from markupsafe import Markup, escape
from sqlalchemy import or_, select

from quizapp.extensions import db
from quizapp.laws.models import Law, LawArticle, LawVersion
from quizapp.laws.texts import format_citation

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Citing:
    """One citation made by one item: ``kind`` (question, case …), the item's ``ref`` (its uid), the basis dict."""

    kind: str
    ref: str
    basis: dict


@dataclass(frozen=True)
class CitationProblem:
    """A citation the library cannot back.

    ``problem`` is ``unknown_law``, ``unknown_article`` (in no version), ``superseded_article``
    (only in a superseded version) or ``quote_mismatch`` (the quote is not in the article in force).
    """

    kind: str
    ref: str
    citation: str
    problem: str
    detail: str

    def as_dict(self) -> dict:
        """Return the problem as a plain dict (``--report json``)."""
        return {"kind": self.kind, "ref": self.ref, "citation": self.citation, "problem": self.problem, "detail": self.detail}


_SOURCES: dict[str, Callable[[], Iterable[Citing]]] = {}


def register_citation_source(kind: str, source: Callable[[], Iterable[Citing]]) -> None:
    """Register *source*, a function yielding the :class:`Citing` s of one kind of content (idempotent per kind)."""
    _SOURCES[kind] = source


def citation_sources() -> dict[str, Callable[[], Iterable[Citing]]]:
    """Return the registered sources by kind."""
    return dict(_SOURCES)


def question_citations() -> Iterable[Citing]:
    """Yield the citations of every active question's current version (kind ``question``, ref = uid)."""
    from quizapp.bank.models import Question, QuestionVersion

    rows = db.session.execute(
        select(Question.uid, QuestionVersion.legal_basis)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.is_active.is_(True))
        .order_by(Question.uid)
    )
    for uid, legal_basis in rows:
        for basis in legal_basis or []:
            yield Citing("question", uid, basis)


register_citation_source("question", question_citations)


def article_key(basis: dict) -> tuple[int, int] | None:
    """Return ``(number, suffix)`` of a basis, or None when ``article`` is not a positive integer."""
    try:
        number, suffix = int(basis.get("article")), int(basis.get("suffix") or 0)
    except (TypeError, ValueError):
        return None
    return (number, suffix) if number > 0 and suffix >= 0 else None


def check_citations() -> list[CitationProblem]:
    """Check every registered source's citations against the library; return the problems, by kind and ref."""
    laws = {law.short_name: law for law in db.session.scalars(select(Law))}
    laws.update({law.title: law for law in laws.values()})
    texts: dict[int, dict[tuple[int, int], list[tuple[bool, str]]]] = {}
    for law_id, superseded, number, suffix, text in db.session.execute(
        select(LawVersion.law_id, LawVersion.is_superseded, LawArticle.number, LawArticle.suffix, LawArticle.text).join(
            LawArticle, LawArticle.version_id == LawVersion.id
        )
    ):
        texts.setdefault(law_id, {}).setdefault((number, suffix), []).append((superseded, text))
    problems = []
    for kind, source in sorted(_SOURCES.items()):
        for citing in source():
            problem = _problem(citing, laws, texts)
            if problem:
                problems.append(CitationProblem(kind, citing.ref, _label(citing.basis), *problem))
    return problems


def missing_article(basis: dict) -> str | None:
    """Return why *basis* names an article the library's version in force lacks (Chinese), else None.

    A law the library does not hold is not judged here (the kinds' parsers refuse unknown law
    names; ``flask bank check-citations`` reports the rest).
    """
    law = db.session.scalar(select(Law).where(or_(Law.short_name == basis.get("law"), Law.title == basis.get("law"))))
    if law is None:
        return None
    key = article_key(basis)
    found = key and db.session.scalar(
        select(LawArticle.id)
        .join(LawVersion, LawArticle.version_id == LawVersion.id)
        .where(LawVersion.law_id == law.id, LawVersion.is_superseded.is_(False), LawArticle.number == key[0], LawArticle.suffix == key[1])
        .limit(1)
    )
    return None if found else f"{_label(basis)}在现行文本中不存在，请核对条号"


def _label(basis: dict) -> str:
    return format_citation(basis) if article_key(basis) else f"《{basis.get('law')}》{basis.get('article')!r}"


def _problem(citing: Citing, laws: dict, texts: dict) -> tuple[str, str] | None:
    law = laws.get(citing.basis.get("law"))
    if law is None:
        return "unknown_law", "法律法规库中没有这部法律法规"
    key = article_key(citing.basis)
    versions = texts.get(law.id, {}).get(key, []) if key else []
    if not versions:
        return "unknown_article", "法律法规库中的任何版本都没有这一条"
    current = [text for superseded, text in versions if not superseded]
    if not current:
        return "superseded_article", "这一条只存在于已被修订的旧版本中"
    quote = _SPACE.sub("", str(citing.basis.get("quote") or ""))
    if quote and quote not in _SPACE.sub("", current[0]):
        return "quote_mismatch", "引用的原文与现行条文不一致"
    return None


def _library_index() -> dict[str, tuple[str, set[tuple[int, int]]]]:
    """Return ``{short name or title: (slug, {(number, suffix), …})}`` for versions in force, once per request."""
    if "law_index" not in g:
        index: dict[str, tuple[str, set[tuple[int, int]]]] = {}
        rows = db.session.execute(
            select(Law.slug, Law.short_name, Law.title, LawArticle.number, LawArticle.suffix)
            .join(LawVersion, (LawVersion.law_id == Law.id) & LawVersion.is_superseded.is_(False))
            .join(LawArticle, LawArticle.version_id == LawVersion.id)
        )
        for slug, short_name, title, number, suffix in rows:
            entry = index.setdefault(short_name, (slug, set()))
            entry[1].add((number, suffix))
            index[title] = entry
        g.law_index = index
    return g.law_index


def citation_url(basis: dict) -> str | None:
    """Return the permalink of the article *basis* names, or None when the library lacks it."""
    key = article_key(basis)
    entry = _library_index().get(basis.get("law")) if key and has_app_context() else None
    if entry is None or key not in entry[1]:
        return None
    number, suffix = key
    if suffix:
        return url_for("laws.article_suffixed", slug=entry[0], number=number, suffix=suffix)
    return url_for("laws.article", slug=entry[0], number=number)


def citation_link(basis: dict) -> Markup:
    """Render *basis* as ``<a href="/laws/anquan-shengchan-fa/28">《安全生产法》第二十八条</a>`` (plain text when unknown)."""
    if article_key(basis) is None:
        return escape(_label(basis))
    url = citation_url(basis)
    text = escape(format_citation(basis))
    return Markup(f'<a class="citation" href="{escape(url)}">{text}</a>') if url else text
