"""Staff-written legal bases are checked against the law library's text in force (review finding)."""

from __future__ import annotations

import pytest

from quizapp.content.banks import ContentError
from quizapp.core.errors import ValidationFailed
from quizapp.laws.citations import missing_article
from quizapp.publicity.editors import _parse
from quizapp.publicity.kinds import KINDS
from tests.laws.factories import library  # noqa: F401


def test_an_article_the_law_in_force_lacks_is_named(library):  # noqa: F811
    assert missing_article({"law": "安全生产法", "article": 21}) is None
    assert "第九百条" in missing_article({"law": "安全生产法", "article": 900})
    assert missing_article({"law": "未收录的法", "article": 1}) is None  # unknown laws are the parsers' business


def test_a_staff_form_citing_a_missing_article_is_refused(library):  # noqa: F811
    body = "\n\n".join(f"## {heading}\n\n某内容。" for heading in ("基本案情", "违法行为", "处理结果", "以案释法"))
    meta = {"title": "某案例", "date": "2026-05-01", "industry": "工贸", "legal_basis": [{"law": "消防法", "article": 999}]}
    with pytest.raises(ValidationFailed) as refused:
        _parse("case", meta, body)
    assert "legal_basis" in refused.value.fields and "第九百九十九条" in refused.value.message
    meta["legal_basis"] = [{"law": "消防法", "article": 16}]
    content, _ = _parse("case", meta, body)
    assert content["legal_basis"] == [{"law": "消防法", "article": 16}]


@pytest.mark.parametrize(("key", "value"), [("period", "0000-01"), ("period", "9999-12")])
def test_warning_months_lie_in_this_century(app, key, value):
    with pytest.raises(ContentError):
        KINDS["warning"].parse({key: value, "theme": "主题", "hazards": []}, "", "表单")


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_dates_lie_in_this_century(app, value):
    with pytest.raises(ContentError, match="2000–2099"):
        KINDS["news"].parse({"title": "标题", "date": value}, "正文。", "表单")
