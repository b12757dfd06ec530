"""Helpers for the competition-editor tests: a small bank with known counts and valid settings.

The bank (every count below is read off this table by hand):

====  ================  ============================  ==========
uid   type              category                      difficulty
====  ================  ============================  ==========
k-01  single_choice     安全生产法/总则                1
k-02  single_choice     安全生产法/总则                2
k-03  single_choice     安全生产法/法律责任            3
k-04  multiple_choice   安全生产法/法律责任            2
k-05  true_false        安全生产法规汇编               1
k-06  true_false        消防法/火灾预防                1
k-07  fill_blank        消防法/火灾预防                4
k-08  single_choice     安全生产法/总则 (inactive)     1
====  ================  ============================  ==========
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from quizapp.bank.formats.base import build_question
from quizapp.bank.models import Question
from quizapp.bank.services import save_question
from quizapp.contests.admin import CompetitionSettings
from quizapp.extensions import db

CHOICES = ["甲", "乙", "丙", "丁"]
BANK = [
    ("k-01", "single_choice", "安全生产法/总则", 1),
    ("k-02", "single_choice", "安全生产法/总则", 2),
    ("k-03", "single_choice", "安全生产法/法律责任", 3),
    ("k-04", "multiple_choice", "安全生产法/法律责任", 2),
    ("k-05", "true_false", "安全生产法规汇编", 1),
    ("k-06", "true_false", "消防法/火灾预防", 1),
    ("k-07", "fill_blank", "消防法/火灾预防", 4),
    ("k-08", "single_choice", "安全生产法/总则", 1),
]


def _question(uid: str, kind: str, category: str, difficulty: int) -> dict:
    common = {"uid": uid, "category": category, "difficulty": difficulty}
    if kind == "single_choice":
        return build_question(kind, f"{uid} 单选题干", options=CHOICES, correct=[0], **common)
    if kind == "multiple_choice":
        return build_question(kind, f"{uid} 多选题干", options=CHOICES, correct=[0, 1], **common)
    if kind == "true_false":
        return build_question(kind, f"{uid} 判断题干", answer=True, **common)
    return build_question(kind, f"{uid} 填空：____。", blanks=[["答案"]], **common)


@pytest.fixture
def known_bank(app):
    """Load the table above (k-08 deactivated) and return the uids."""
    for uid, kind, category, difficulty in BANK:
        save_question(_question(uid, kind, category, difficulty))
    db.session.flush()
    db.session.scalar(select(Question).where(Question.uid == "k-08")).is_active = False
    db.session.commit()
    return [row[0] for row in BANK]


NOW = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai


def settings(**overrides) -> CompetitionSettings:
    """Return valid settings over the known bank (window 2026-06-10 09:00 – 06-20 18:00 Shanghai)."""
    values = {
        "title": "安全生产月知识竞赛",
        "slug": "aqy-2026",
        "description": "说明",
        "starts_at": datetime(2026, 6, 10, 1, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 6, 20, 10, 0, tzinfo=UTC),
        "audience": "all",
        "organizations": ["城南街道办事处", "区应急管理局"],
        "allow_other_organization": True,
        "paper_rule": {"rules": [{"category": "安全生产法", "type": "single_choice", "count": 2}, {"type": "true_false", "count": 1}]},
        "time_limit_s": 600,
        "attempts_allowed": 2,
        "pass_mark": 60.0,
        "partial_credit_multiple": False,
        "shuffle_questions": True,
        "shuffle_options": True,
        "default_points": {"single_choice": 40.0, "true_false": 20.0},
        "retention_days": 180,
    }
    values.update(overrides)
    return CompetitionSettings(**values)


def hours(count: float) -> timedelta:
    """Return *count* hours."""
    return timedelta(hours=count)


class _FormReader(HTMLParser):
    """Collect what a browser would submit from the form with class *css_class* (no button pressed)."""

    def __init__(self, css_class: str):
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.css_class in (attributes.get("class") or "").split():
            self._in_form = True
        if not self._in_form or "name" not in attributes and tag in ("input", "textarea", "select"):
            return
        name = attributes.get("name")
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes or kind == "submit":
                return
            self.data.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.data.append((self._select, attributes.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            text = text.replace("\r\n", "\n")  # a browser drops the newline that opens a textarea
            self.data.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select":
            if self._select and not any(name == self._select for name, _ in self.data):
                self.data.append((self._select, ""))
            self._select = None
        elif tag == "form":
            self._in_form = False


def browser_form(page: str, css_class: str = "competition-form") -> MultiDict:
    """Return the fields of the page's form with *css_class* as a browser would send them."""
    reader = _FormReader(css_class)
    reader.feed(page)
    return MultiDict(reader.data)
