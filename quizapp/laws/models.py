"""Law library models: laws, their versions (revisions), divisions (编/章/节) and articles.

A :class:`Law` has :class:`LawVersion` s, each with its :class:`LawDivision` s and
:class:`LawArticle` s.

A new revision of a law is a new version; the older one is kept and marked
superseded, so a citation of an article that a revision removed can be found.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.core.timeutil import utcnow
from quizapp.core.types import JSONDoc, UTCDateTime
from quizapp.extensions import db
from quizapp.laws.parser import article_label, cn_numeral, item_number
from quizapp.search.fulltext import index_table
from quizapp.search.tokens import search_text

DIVISION_LABELS = {"part": "编", "chapter": "章", "section": "节"}


class Law(db.Model):
    """A law or regulation (法律法规), e.g. 中华人民共和国安全生产法, addressed by ``slug``.

    ``short_name`` is what ``legal_basis.law`` names (安全生产法): the title without
    ``中华人民共和国``.
    """

    __tablename__ = "law"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[LawVersion]] = relationship(
        back_populates="law", order_by="LawVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current_version(self) -> LawVersion | None:
        """Return the version in force (the one not superseded), or None before any import."""
        return next((version for version in self.versions if not version.is_superseded), None)


class LawVersion(db.Model):
    """One revision of a law's text, as imported from one file.

    ``notes`` is the list of revision notes (``["2021年6月10日 … 第三次修正", …]``);
    ``revised_on`` is the latest date they name; ``source`` and ``revision`` come from
    the file's ``<!-- source: …; revision: … -->`` comment. ``content_hash`` is
    :meth:`quizapp.laws.parser.ParsedLaw.content_hash`, so importing the same text twice
    finds this version again.
    """

    __tablename__ = "law_version"
    __table_args__ = (
        UniqueConstraint("law_id", "number"),
        UniqueConstraint("law_id", "content_hash", name="uq_law_version_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("law.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    notes: Mapped[list] = mapped_column(JSONDoc, default=list)
    revision: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(String(255), default="")
    revised_on: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    is_superseded: Mapped[bool] = mapped_column(default=False)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    law: Mapped[Law] = relationship(back_populates="versions")
    divisions: Mapped[list[LawDivision]] = relationship(
        back_populates="version", order_by="LawDivision.position", cascade="all, delete-orphan"
    )
    articles: Mapped[list[LawArticle]] = relationship(
        back_populates="version",
        order_by="LawArticle.position",
        cascade="all, delete-orphan",
        foreign_keys="LawArticle.version_id",
    )

    def supersede(self, now: datetime) -> None:
        """Mark this version as no longer in force.

        Raises:
            ValueError: when it is already superseded.

        """
        if self.is_superseded:
            raise ValueError(f"version {self.number} of {self.law.title} is already superseded")
        self.is_superseded, self.superseded_at = True, now

    def reinstate(self) -> None:
        """Make this version the one in force again (an older text was imported after a newer one)."""
        self.is_superseded, self.superseded_at = False, None

    @property
    def chapters(self) -> list[LawDivision]:
        """Return the chapters (章) in order."""
        return [division for division in self.divisions if division.kind == "chapter"]


class LawDivision(db.Model):
    """A 编 (part), 章 (chapter) or 节 (section) of a version; ``position`` orders them in the text.

    ``ordinal`` counts divisions of the same kind from 1 through the whole law (chapter
    pages are addressed by it, because chapter numbers restart in each 编 of a code).
    """

    __tablename__ = "law_division"
    __table_args__ = (UniqueConstraint("version_id", "position"), Index("ix_law_division_kind", "version_id", "kind", "ordinal"))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("law_version.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("law_division.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int] = mapped_column()
    ordinal: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200), default="")

    version: Mapped[LawVersion] = relationship(back_populates="divisions")
    parent: Mapped[LawDivision | None] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        """Return ``第二章`` / ``第一节`` / ``第一编``."""
        return f"第{cn_numeral(self.number)}{DIVISION_LABELS[self.kind]}"

    @property
    def heading(self) -> str:
        """Return ``第二章 生产经营单位的安全生产保障``."""
        return f"{self.label} {self.title}".strip()


class LawArticle(db.Model):
    """One article (条) of a version: ``number`` 36 and ``suffix`` 1 for 第三十六条之一 (0 otherwise).

    ``text`` holds the paragraphs (款) as written, one per line; items (项) are the
    lines starting ``（一）``/``(一)``. ``position`` orders articles in the text.
    ``search_text`` holds the bigram tokens of :func:`article_title` and ``text`` for /search
    (see :func:`article_search_text`); it is written on import.
    """

    __tablename__ = "law_article"
    __table_args__ = (
        UniqueConstraint("version_id", "number", "suffix", name="uq_law_article_number"),
        UniqueConstraint("version_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("law_version.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    suffix: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    part_id: Mapped[int | None] = mapped_column(ForeignKey("law_division.id", ondelete="SET NULL"))
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("law_division.id", ondelete="SET NULL"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("law_division.id", ondelete="SET NULL"))

    version: Mapped[LawVersion] = relationship(back_populates="articles", foreign_keys=[version_id])
    chapter: Mapped[LawDivision | None] = relationship(foreign_keys=[chapter_id])
    section: Mapped[LawDivision | None] = relationship(foreign_keys=[section_id])
    part: Mapped[LawDivision | None] = relationship(foreign_keys=[part_id])

    @property
    def label(self) -> str:
        """Return ``第二十八条`` or ``第三十六条之一``."""
        return article_label(self.number, self.suffix)

    @property
    def ref(self) -> str:
        """Return the URL key: ``28``, or ``36-1`` for 第三十六条之一."""
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)

    def blocks(self) -> list[dict]:
        """Return the paragraphs as ``[{"kind": "paragraph"|"item", "text": …, "item": n|None}]``."""
        rows = []
        for line in self.text.split("\n"):
            number = item_number(line)
            rows.append({"kind": "item" if number else "paragraph", "text": line, "item": number})
        return rows


def article_title(short_name: str, number: int, suffix: int = 0) -> str:
    """Return an article's title in search results: ``《安全生产法》第二十八条``."""
    return f"《{short_name}》{article_label(number, suffix)}"


def article_search_text(short_name: str, number: int, suffix: int, body: str) -> str:
    """Return the ``search_text`` of an article: the tokens of its title and of its text."""
    return search_text(article_title(short_name, number, suffix), body)


#: Articles' ``search_text`` is indexed for /search: FTS5 on SQLite, a GIN index on PostgreSQL.
ARTICLE_FTS = "law_article_fts"
ARTICLE_GIN_INDEX = "ix_law_article_search_text"
index_table(LawArticle.__table__, ARTICLE_FTS, ARTICLE_GIN_INDEX)
