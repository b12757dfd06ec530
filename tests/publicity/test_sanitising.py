"""Markdown is rendered by markdown-it-py and sanitised by nh3: no script, event handler or javascript: link reaches a page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from quizapp.publicity.rendering import plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    '<a href="javascript:alert(1)">点我</a>',
]


class ActiveContent(HTMLParser):
    """Collect what a browser would execute: script elements, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("script")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript:")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_harmless(source):
    assert active_content(str(render_markdown(source))) == []


def test_sanitiser_strips_what_raw_html_would_carry():
    from quizapp.publicity.rendering import sanitize

    html = sanitize('<p onclick="x()">正文<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">链接</a></p>')
    assert html == '<p>正文<a rel="noopener noreferrer">链接</a></p>'


def test_ordinary_markdown_keeps_its_structure():
    html = str(render_markdown("## 标题\n\n**加粗**与[链接](https://example.org)\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |"))
    assert "<h2>标题</h2>" in html and "<strong>加粗</strong>" in html
    assert 'href="https://example.org"' in html and "<table>" in html


def test_plain_text_drops_markup():
    assert plain_text("**罚款**三万元，<b>见</b>[法条](https://example.org)") == "罚款三万元，<b>见</b>法条"


def test_a_hostile_item_page_carries_no_active_content(client, make_item):
    body = "\n\n".join(HOSTILE)
    item = make_item(title="恶意内容测试", body=body)
    page = client.get(f"/news/{item.uid}").get_data(as_text=True)
    assert "恶意内容测试" in page
    assert active_content(page) == []
    assert "&lt;script&gt;" in page  # shown as text, not run
