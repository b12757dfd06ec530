"""Parse a statute in the LawRefBook Markdown layout into its structure.

Layout (github.com/LawRefBook/Laws, template ``lawrefbook_template.md``):

- line 1 is ``# title`` (after an optional ``---`` front-matter block);
- revision notes, one per paragraph, up to ``<!-- INFO END -->``; an HTML comment
  ``<!-- source: …; revision: … -->`` there records where the text came from
  (quizapp's own convention for ``content/laws/``);
- headings for 编 (part), 章 (chapter) and 节 (section) with any number of ``#``: the
  level comes from the keyword, because LawRefBook does not keep the ``#`` count
  consistent (its template says so);
- articles start ``第…条 `` or ``第…条之一 `` with the first paragraph (款) on the same
  line; further paragraphs are their own lines; items (项) begin ``（一）`` or ``(一)``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date

import cn2an

INFO_END = "<!-- INFO END -->"
NUMERAL = "零〇一二三四五六七八九十百千"
ARTICLE = re.compile(rf"^第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?[ \u3000]+(\S.*)$")
HEADING = re.compile(rf"^#+\s*第([{NUMERAL}]+)([编章节])(?:[ \u3000]+(.*?))?\s*$")
ITEM = re.compile(rf"^[（(]([{NUMERAL}]+)[)）]")
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)  # Hugo front matter (``bookHidden: true``) in LawRefBook files
NOTE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

#: Heading keyword → division kind and depth (编 contains 章 contains 节).
DIVISION_KINDS = {"编": ("part", 1), "章": ("chapter", 2), "节": ("section", 3)}


class LawFormatError(ValueError):
    """A statute file breaks the LawRefBook layout; the message names the line."""


def cn_number(chinese: str) -> int:
    """Convert a Chinese numeral to an integer: ``一百一十三`` → 113, ``十`` → 10 (cn2an).

    Raises:
        ValueError: for text that is not a Chinese numeral.

    """
    return int(cn2an.cn2an(chinese, "smart"))


def cn_numeral(number: int) -> str:
    """Convert a positive integer to its Chinese numeral: 113 → ``一百一十三`` (cn2an)."""
    return cn2an.an2cn(number)


def article_label(number: int, suffix: int = 0) -> str:
    """Return an article's label: ``第二十八条``, or ``第三十六条之一`` for *suffix* 1."""
    base = f"第{cn_numeral(number)}条"
    return f"{base}之{cn_numeral(suffix)}" if suffix else base


@dataclass
class ParsedDivision:
    """A 编/章/节 heading: ``kind`` part|chapter|section, its number, label ``第二章`` and title."""

    kind: str
    number: int
    label: str
    title: str
    parent: int | None = None  # index into ParsedLaw.divisions


@dataclass
class ParsedArticle:
    """One article: ``number`` 36 and ``suffix`` 1 for 第三十六条之一 (0 for none); ``paragraphs`` as written.

    ``part``, ``chapter`` and ``section`` are indexes into :attr:`ParsedLaw.divisions`.
    """

    number: int
    suffix: int
    paragraphs: list[str]
    part: int | None = None
    chapter: int | None = None
    section: int | None = None

    @property
    def text(self) -> str:
        """Return the paragraphs joined by newlines."""
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    """A parsed statute: title, revision notes, source comment, divisions and articles in order."""

    title: str
    notes: list[str] = field(default_factory=list)
    source: str = ""
    revision: str = ""
    divisions: list[ParsedDivision] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """Return the name citations use: the title without ``中华人民共和国`` (安全生产法)."""
        return self.title.removeprefix("中华人民共和国")

    @property
    def revised_on(self) -> date | None:
        """Return the latest date named in the revision notes (the revision's date), or None."""
        dates = []
        for note in self.notes:
            for year, month, day in NOTE_DATE.findall(note):
                try:
                    dates.append(date(int(year), int(month), int(day)))
                except ValueError:
                    continue
        return max(dates, default=None)

    def content_hash(self) -> str:
        """Return the SHA-256 of title, notes, headings and articles (not the source comment)."""
        payload = {
            "title": self.title,
            "notes": self.notes,
            "divisions": [[d.kind, d.number, d.title, d.parent] for d in self.divisions],
            "articles": [[a.number, a.suffix, a.paragraphs, a.part, a.chapter, a.section] for a in self.articles],
        }
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def item_number(paragraph: str) -> int | None:
    """Return the item (项) number of a paragraph starting ``（三）`` or ``(三)``, else None."""
    match = ITEM.match(paragraph)
    return cn_number(match.group(1)) if match else None


def parse_law(text: str) -> ParsedLaw:
    """Parse LawRefBook Markdown into a :class:`ParsedLaw`.

    A leading ``---`` front-matter block is skipped. Text before the first article of
    a division (none in the official texts) is ignored, and so are headings that
    name no 编/章/节 (a subtitle).

    Raises:
        LawFormatError: when line 1 is not ``# title``, ``<!-- INFO END -->`` is
            missing, or an article number repeats.

    """
    text = FRONT_MATTER.sub("", text.removeprefix("\ufeff"), count=1).lstrip("\n")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise LawFormatError("line 1: a statute must start with '# title'")
    if INFO_END not in text:
        raise LawFormatError(f"no {INFO_END} line after the revision notes")
    head, body = text.split(INFO_END, 1)
    law = ParsedLaw(title=COMMENT.sub("", lines[0][2:]).strip())
    _read_head(law, head.splitlines()[1:])
    _read_body(law, body.splitlines(), first_line=head.count("\n") + 1)
    return law


def _read_head(law: ParsedLaw, lines: list[str]) -> None:
    for comment in COMMENT.findall("\n".join(lines)):
        for part in comment.split(";"):
            name, _, value = part.strip().partition(":")
            if name.strip() in ("source", "revision") and value.strip():
                setattr(law, name.strip(), value.strip())
    for line in COMMENT.sub("", "\n".join(lines)).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            law.notes.append(line)
    if not law.revision and law.notes:
        law.revision = law.notes[-1]


def _read_body(law: ParsedLaw, lines: list[str], first_line: int) -> None:
    open_divisions: dict[int, int] = {}  # depth → index of the division open at that depth
    current: ParsedArticle | None = None
    seen: set[tuple[int, int]] = set()
    for offset, raw in enumerate(lines):
        line = COMMENT.sub("", raw).strip()
        if not line:
            continue
        heading = HEADING.match(line)
        if heading:
            _open_division(law, heading, open_divisions)
            current = None
            continue
        if line.startswith("#"):
            continue
        article = ARTICLE.match(line)
        if article:
            number = cn_number(article.group(1))
            suffix = cn_number(article.group(2)) if article.group(2) else 0
            if (number, suffix) in seen:
                raise LawFormatError(f"line {first_line + offset}: article {line[:12]}… appears twice")
            seen.add((number, suffix))
            current = ParsedArticle(
                number,
                suffix,
                [article.group(3).strip()],
                part=open_divisions.get(1),
                chapter=open_divisions.get(2),
                section=open_divisions.get(3),
            )
            law.articles.append(current)
        elif current is not None:
            current.paragraphs.append(line)


def _open_division(law: ParsedLaw, heading: re.Match, open_divisions: dict[int, int]) -> None:
    kind, depth = DIVISION_KINDS[heading.group(2)]
    for deeper in [d for d in open_divisions if d >= depth]:
        del open_divisions[deeper]
    parent = open_divisions[max(open_divisions)] if open_divisions else None
    law.divisions.append(
        ParsedDivision(
            kind=kind,
            number=cn_number(heading.group(1)),
            label=f"第{heading.group(1)}{heading.group(2)}",
            title=(heading.group(3) or "").strip(),
            parent=parent,
        )
    )
    open_divisions[depth] = len(law.divisions) - 1
