"""Markdown to safe HTML: markdown-it-py (CommonMark + tables, raw HTML off), then nh3.

Two layers on purpose: markdown-it escapes raw HTML and refuses ``javascript:`` links,
and nh3 (ammonia) removes whatever tag, attribute or URL scheme is not on its allow-list,
so no path lets unsanitised HTML reach a page.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def sanitize(raw_html: str) -> str:
    """Return *raw_html* with only the allowed tags, attributes and URL schemes (nh3); links get ``rel=noopener noreferrer``."""
    return nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


def _join_cjk_lines(tokens) -> None:
    """Drop soft line breaks between Chinese characters: a wrapped Chinese line must not render as a space."""
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type != "softbreak" or index == 0 or index + 1 >= len(children):
                continue
            before, after = children[index - 1].content[-1:], children[index + 1].content[:1]
            if before and after and CJK.match(before) and CJK.match(after):
                child.type, child.content = "text", ""


def _render(text: str | None) -> str:
    env: dict = {}
    tokens = _markdown.parse(text or "", env)
    _join_cjk_lines(tokens)
    return _markdown.renderer.render(tokens, _markdown.options, env)


def render_markdown(text: str | None) -> Markup:
    """Render Markdown *text* to sanitised HTML, safe to insert in a template (the ``markdown`` filter)."""
    return Markup(sanitize(_render(text)))


def plain_text(text: str | None) -> str:
    """Return the readable text of Markdown *text*, without markup (for search, summaries and feeds)."""
    stripped = nh3.clean(_render(text), tags=set())
    return " ".join(html.unescape(stripped).split())
