"""People named in published decisions: shown as a fixed-length pseudonym (``王某``), never in full.

Rule: a natural person's name is personal information (个人信息保护法 第四条); public
disclosures of penalties on natural persons show 姓 + 某. The pseudonym has the same length
whatever the name's, so it does not hint at the given name.
"""

from __future__ import annotations

#: Two-character surnames kept whole (``欧阳娜娜`` → ``欧阳某``); any other name keeps its first character.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 宇文 长孙 夏侯 轩辕 端木 南宫 西门 独孤 司徒 司空 澹台 公冶 申屠 呼延".split()
)


def surname_pseudonym(name: str) -> str:
    """Return the surname followed by 某: ``王建国`` → ``王某``, ``欧阳娜娜`` → ``欧阳某``, ``''`` → ``某``."""
    name = "".join((name or "").split())
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[:1]
    return f"{surname}某"


def scrub_name(text: str, name: str, pseudonym: str) -> str:
    """Return *text* with every occurrence of the full *name* replaced by *pseudonym*."""
    name = "".join((name or "").split())
    return text.replace(name, pseudonym) if name else text
