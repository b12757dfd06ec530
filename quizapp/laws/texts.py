"""Read statute texts in the LawRefBook Markdown layout (github.com/LawRefBook/Laws).

Layout: line 1 ``# title``; revision notes up to ``<!-- INFO END -->``;
headings for 编/章/节; articles start ``第…条 `` (or ``第…条之一 ``) with the first
paragraph on the same line; further paragraphs (款) are their own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cn2an

from quizapp.laws.parser import INFO_END, parse_law

#: Short names used in ``legal_basis.law`` → the title line of the statute.
SHORT_NAMES = {
    "安全生产法": "中华人民共和国安全生产法",
    "消防法": "中华人民共和国消防法",
    "生产安全事故报告和调查处理条例": "生产安全事故报告和调查处理条例",
}


def article_number(chinese: str) -> int:
    """Convert a Chinese article numeral to an integer: ``一百一十三`` → 113 (cn2an)."""
    return int(cn2an.cn2an(chinese, "smart"))


def article_label(number: int) -> str:
    """Convert an article number to its Chinese form: 113 → ``第一百一十三条``."""
    return f"第{cn2an.an2cn(number)}条"


@dataclass
class Statute:
    """A parsed statute: its title and article texts (paragraphs joined by newlines) by number."""

    title: str
    articles: dict[int, str] = field(default_factory=dict)


def parse_statute(text: str) -> Statute:
    """Parse a LawRefBook Markdown statute into a :class:`Statute` (see :func:`quizapp.laws.parser.parse_law`).

    ``第…条之一`` articles are kept out of ``articles`` (they have no integer
    number of their own); the law library keeps them as ``LawArticle.suffix``.

    Raises:
        ValueError: when the first line is not ``# title`` (:class:`~quizapp.laws.parser.LawFormatError`).

    """
    if INFO_END not in text:
        text = text.replace("\n", f"\n{INFO_END}\n", 1)
    law = parse_law(text)
    return Statute(title=law.title, articles={a.number: a.text for a in law.articles if not a.suffix})


@cache
def load_library(directory: str) -> dict[str, Statute]:
    """Return the statutes under *directory* keyed by short name (see :data:`SHORT_NAMES`)."""
    by_title = {}
    for path in sorted(Path(directory).glob("*.md")):
        statute = parse_statute(path.read_text(encoding="utf-8"))
        by_title[statute.title] = statute
    return {short: by_title[title] for short, title in SHORT_NAMES.items() if title in by_title}


def format_citation(basis: dict) -> str:
    """Render one legal basis as ``《安全生产法》第二十八条`` (``…第三十六条之一`` with ``"suffix": 1``)."""
    suffix = int(basis.get("suffix") or 0)
    label = article_label(int(basis["article"]))
    return f"《{basis['law']}》{label}之{cn2an.an2cn(suffix)}" if suffix else f"《{basis['law']}》{label}"
