"""Markup in imported text: every format's text ends up plain, sanitised with nh3.

quizapp shows question text as escaped plain text. Text marked as HTML (GIFT
``[html]``, Moodle ``format="html"``) is always converted; text in the plain
formats (Excel, CSV, Aiken, Word, GIFT without ``[html]``) is converted the
same way when it holds a tag, so ``<script>``, ``<img onerror>`` and
``javascript:`` links never reach storage or the API (issue 3).
"""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_END = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h[1-6]|/tr)\s*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")
#: A complete tag (``<b>``, ``</a>``, ``<img …>``, ``<!-- -->``); ``温度<5℃`` or ``a<b`` alone is not markup.
_TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")


def html_to_text(markup: str) -> str:
    """Return the plain text of untrusted HTML, sanitised with nh3.

    An HTML stem keeps its words and line breaks, and loses markup: nh3
    removes every tag, drops ``<script>``/``<style>`` with their content (so
    handlers and ``javascript:`` links go with their tags), then entities are
    decoded once.
    """
    marked = _BLOCK_END.sub("\n", markup)
    cleaned = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)
    text = html.unescape(cleaned).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def has_markup(text: str) -> bool:
    """Return whether *text* holds an HTML tag."""
    return bool(_TAG.search(text or ""))


def plain_text(text: str) -> str:
    """Return *text* unchanged, or as :func:`html_to_text` when it holds a tag."""
    return html_to_text(text) if has_markup(text) else text
