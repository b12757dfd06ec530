"""Law library operations: import statute files, look up laws and articles.

Import rule: a law is identified by its title line. The same text again (same
:meth:`~quizapp.laws.parser.ParsedLaw.content_hash`) changes nothing; a different
text is a new :class:`~quizapp.laws.models.LawVersion`. The version in force is the
one whose revision notes name the latest date (then the latest imported); every
other version is kept and marked superseded.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from quizapp.core.errors import NotFound
from quizapp.core.routing import MAX_ID
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.laws.models import Law, LawArticle, LawDivision, LawVersion, article_search_text
from quizapp.laws.parser import ParsedLaw, parse_law

_YEAR_SUFFIX = re.compile(r"[-_]\d{4}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class ImportReport:
    """What importing one file did: the ``flask laws import --report json`` object.

    ``version`` is the version number of the file's text (1, 2, …); ``chapters`` and
    ``articles`` count that text's 章 and 条; ``outcome`` is ``created`` (a new law),
    ``revised`` (a new version of a known law) or ``unchanged``; ``is_current`` tells
    whether that text is the one in force.
    """

    title: str
    slug: str
    version: int
    chapters: int
    articles: int
    outcome: str
    is_current: bool

    def as_dict(self) -> dict:
        """Return the report as a plain dict."""
        return asdict(self)


def slug_for(path: Path) -> str:
    """Derive a law's slug from its file name: ``anquan_shengchan_fa_2021.md`` → ``anquan-shengchan-fa``.

    The revision year is dropped so every revision of a law keeps one address.

    Raises:
        ValueError: when the name gives no usable slug (``[a-z0-9-]``, up to 80 characters).

    """
    slug = _YEAR_SUFFIX.sub("", path.stem.lower()).replace("_", "-")
    if not _SLUG.match(slug):
        raise ValueError(f"{path.name}: cannot derive a slug ([a-z0-9-]) from the file name")
    return slug


def save_law_file(path: str | Path) -> ImportReport:
    """Parse *path* and store it (a new law, a new version, or nothing); do not commit.

    For callers that own a larger transaction (``flask content sync``).

    Raises:
        quizapp.laws.parser.LawFormatError: for a file outside the LawRefBook layout
            (the message starts with the file name).
        ValueError: for a file name that gives no slug.

    """
    path = Path(path)
    try:
        parsed = parse_law(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise type(exc)(f"{path.name}: {exc}") from exc
    return save_law(parsed, slug_for(path), path.name)


def import_law_file(path: str | Path) -> ImportReport:
    """Import one LawRefBook Markdown file and commit; see :func:`save_law_file`."""
    try:
        report = save_law_file(path)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def save_law(parsed: ParsedLaw, slug: str, source_file: str = "") -> ImportReport:
    """Store *parsed* under *slug* (used only when the law is new); do not commit."""
    law = db.session.scalar(select(Law).where(Law.title == parsed.title))
    outcome = "unchanged"
    if law is None:
        law = Law(slug=slug, title=parsed.title, short_name=parsed.short_name)
        db.session.add(law)
        outcome = "created"
    digest = parsed.content_hash()
    version = next((v for v in law.versions if v.content_hash == digest), None)
    if version is None:
        version = _new_version(law, parsed, digest, source_file)
        outcome = "revised" if outcome == "unchanged" else outcome
        _settle_current(law)
    elif (version.source, version.revision) != (parsed.source, parsed.revision):
        version.source, version.revision = parsed.source, parsed.revision  # header comment only: not a new text
    return ImportReport(
        title=law.title,
        slug=law.slug,
        version=version.number,
        chapters=sum(1 for division in parsed.divisions if division.kind == "chapter"),
        articles=len(parsed.articles),
        outcome=outcome,
        is_current=not version.is_superseded,
    )


def _new_version(law: Law, parsed: ParsedLaw, digest: str, source_file: str) -> LawVersion:
    version = LawVersion(
        law=law,
        number=max((v.number for v in law.versions), default=0) + 1,
        notes=parsed.notes,
        revision=parsed.revision,
        source=parsed.source,
        source_file=source_file,
        revised_on=parsed.revised_on,
        content_hash=digest,
        is_superseded=bool(law.versions),  # settled by _settle_current
    )
    db.session.add(version)
    ordinals: dict[str, int] = {}
    divisions: list[LawDivision] = []
    for position, parsed_division in enumerate(parsed.divisions, start=1):
        ordinals[parsed_division.kind] = ordinals.get(parsed_division.kind, 0) + 1
        division = LawDivision(
            version=version,
            kind=parsed_division.kind,
            number=parsed_division.number,
            ordinal=ordinals[parsed_division.kind],
            position=position,
            title=parsed_division.title,
            parent=divisions[parsed_division.parent] if parsed_division.parent is not None else None,
        )
        divisions.append(division)
    db.session.add_all(divisions)

    def pick(index: int | None) -> LawDivision | None:
        return divisions[index] if index is not None else None

    db.session.add_all(
        LawArticle(
            version=version,
            number=article.number,
            suffix=article.suffix,
            position=position,
            text=article.text,
            search_text=article_search_text(law.short_name, article.number, article.suffix, article.text),
            part=pick(article.part),
            chapter=pick(article.chapter),
            section=pick(article.section),
        )
        for position, article in enumerate(parsed.articles, start=1)
    )
    return version


def _settle_current(law: Law) -> None:
    """Keep exactly one version in force: the latest revision date, then the latest imported."""
    newest = max(law.versions, key=lambda v: (v.revised_on or date.min, v.number))
    now = utcnow()
    for version in law.versions:
        if version is newest and version.is_superseded:
            version.reinstate()
        elif version is not newest and not version.is_superseded:
            version.supersede(now)


def list_laws() -> list[tuple[Law, LawVersion, int]]:
    """Return every law with its version in force and that version's article count, by title."""
    rows = db.session.execute(
        select(Law, LawVersion, db.func.count(LawArticle.id))
        .join(LawVersion, (LawVersion.law_id == Law.id) & LawVersion.is_superseded.is_(False))
        .outerjoin(LawArticle, LawArticle.version_id == LawVersion.id)
        .group_by(Law.id, LawVersion.id)
        .order_by(Law.title)
    ).all()
    return [(law, version, count) for law, version, count in rows]


def current_articles() -> list[tuple[str, LawArticle]]:
    """Return ``(law slug, article)`` for every article of every version in force, by law title then position (the sitemap)."""
    rows = db.session.execute(
        select(Law.slug, LawArticle)
        .join(LawVersion, LawArticle.version_id == LawVersion.id)
        .join(Law, LawVersion.law_id == Law.id)
        .where(LawVersion.is_superseded.is_(False))
        .order_by(Law.title, LawArticle.position)
    ).all()
    return [(slug, article) for slug, article in rows]


def get_version(slug: str, number: int | None = None) -> LawVersion:
    """Return version *number* of the law *slug*, or the one in force when *number* is None.

    Raises:
        NotFound: for an unknown slug or version (also a number past 2³¹−1, which no version
            has and which SQLite or PostgreSQL would refuse to compare: OverflowError, NumericValueOutOfRange).

    """
    if number is not None and not 1 <= number <= MAX_ID:
        raise NotFound("未找到该法律法规")
    query = select(LawVersion).join(Law).where(Law.slug == slug)
    query = query.where(LawVersion.number == number) if number is not None else query.where(LawVersion.is_superseded.is_(False))
    version = db.session.scalar(query)
    if version is None:
        raise NotFound("未找到该法律法规")
    return version


def get_article(version: LawVersion, number: int, suffix: int = 0) -> LawArticle:
    """Return article *number* (之 *suffix*) of *version*.

    Raises:
        NotFound: when the version has no such article.

    """
    article = db.session.scalar(
        select(LawArticle).where(LawArticle.version_id == version.id, LawArticle.number == number, LawArticle.suffix == suffix)
    )
    if article is None:
        raise NotFound("该法律法规中没有这一条")
    return article


def neighbours(article: LawArticle) -> tuple[LawArticle | None, LawArticle | None]:
    """Return the previous and next article of the same version (None at either end)."""
    base = select(LawArticle).where(LawArticle.version_id == article.version_id)
    previous = db.session.scalar(base.where(LawArticle.position < article.position).order_by(LawArticle.position.desc()).limit(1))
    following = db.session.scalar(base.where(LawArticle.position > article.position).order_by(LawArticle.position).limit(1))
    return previous, following


def get_chapter(version: LawVersion, ordinal: int) -> tuple[LawDivision, list[LawArticle]]:
    """Return the *ordinal*-th chapter (from 1) of *version* and its articles in order.

    Raises:
        NotFound: when the version has no such chapter.

    """
    chapter = db.session.scalar(
        select(LawDivision).where(LawDivision.version_id == version.id, LawDivision.kind == "chapter", LawDivision.ordinal == ordinal)
    )
    if chapter is None:
        raise NotFound("该法律法规中没有这一章")
    articles = db.session.scalars(select(LawArticle).where(LawArticle.chapter_id == chapter.id).order_by(LawArticle.position)).all()
    return chapter, list(articles)
