"""Read statute texts in the LawRefBook Markdown layout (github.com/LawRefBook/Laws).

Layout: line 1 ``# title``; revision notes up to ``<!-- INFO END -->``;
headings for 编/章/节; articles start ``第…条 `` (or ``第…条之一 ``) with the first
paragraph on the same line; further paragraphs (款) are their own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cn2an

ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?\s+(.*)$")

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
    """Parse a LawRefBook Markdown statute into a :class:`Statute`.

    ``第…条之一`` articles are kept out of ``articles`` (they have no integer
    number of their own); the law library issue gives them their own keys.

    Raises:
        ValueError: when the first line is not ``# title``.

    """
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ValueError("statute text must start with '# title'")
    statute = Statute(title=lines[0][2:].strip())
    body = text.split("<!-- INFO END -->", 1)[-1].splitlines()
    current: int | None = None
    for line in body:
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("<!--"):
            if line.startswith("#"):
                current = None
            continue
        match = ARTICLE.match(line)
        if match:
            current = None if match.group(2) else article_number(match.group(1))
            if current is not None:
                statute.articles[current] = match.group(3).strip()
        elif current is not None:
            statute.articles[current] += "\n" + line
    return statute


@cache
def load_library(directory: str) -> dict[str, Statute]:
    """Return the statutes under *directory* keyed by short name (see :data:`SHORT_NAMES`)."""
    by_title = {}
    for path in sorted(Path(directory).glob("*.md")):
        statute = parse_statute(path.read_text(encoding="utf-8"))
        by_title[statute.title] = statute
    return {short: by_title[title] for short, title in SHORT_NAMES.items() if title in by_title}


def format_citation(basis: dict) -> str:
    """Render one legal basis as ``《安全生产法》第二十八条``."""
    return f"《{basis['law']}》{article_label(int(basis['article']))}"
