"""The starter cases apply the law as written: the outcome follows the steps of the articles it names, and cites them."""

from __future__ import annotations

import re

import pytest

from quizapp.laws.texts import article_number, load_library
from quizapp.publicity.loader import read_publicity
from tests.conftest import ROOT

LIBRARY = load_library(str(ROOT / "content" / "laws"))
CASES = {entry.uid: entry.content for entry in read_publicity(ROOT / "content") if entry.kind.name == "case"}
CITED = re.compile(r"(?:《([^》]+)》)?第([一二三四五六七八九十百零]+)条")
#: 2021 安全生产法 articles whose fines on the 主管人员 come only after 逾期未改正 (first step: the unit alone).
INDIVIDUALS_ONLY_WHEN_OVERDUE = (97, 99, 101)


def named_articles(text: str) -> list[tuple[str, int]]:
    """Return ``(law, article)`` for each 第…条 in *text*; a bare 第…条 belongs to the last law named (安全生产法 by default)."""
    law, found = "安全生产法", []
    for match in CITED.finditer(text):
        law = match.group(1) or law
        found.append((law, article_number(match.group(2))))
    return found


def basis_of(case: dict) -> set[tuple[str, int]]:
    return {(basis["law"], basis["article"]) for basis in case["legal_basis"]}


@pytest.mark.parametrize("uid", sorted(CASES))
def test_the_outcome_names_its_articles_and_each_is_in_the_legal_basis(uid):
    case = CASES[uid]
    named = named_articles(case["outcome"])
    assert named, "the outcome names the article it was decided under"
    assert set(named) <= basis_of(case), f"named in the outcome but not cited: {set(named) - basis_of(case)}"


@pytest.mark.parametrize("uid", sorted(CASES))
def test_each_step_in_the_outcome_is_one_the_named_articles_provide(uid):
    case = CASES[uid]
    texts = [LIBRARY[law].articles[number] for law, number in named_articles(case["outcome"])]
    for step in ("责令立即改正", "责令限期改正", "责令停产停业整顿", "逾期未改正"):
        if step in case["outcome"]:
            assert any(step in text for text in texts), f"{step} is not a step of the articles named"
    if "停产" in case["title"]:
        assert "停产停业整顿" in case["outcome"], "the title promises a shutdown the outcome does not impose"
    overdue_only = [number for law, number in named_articles(case["outcome"]) if number in INDIVIDUALS_ONLY_WHEN_OVERDUE]
    if overdue_only and "直接负责的主管人员" in case["outcome"]:
        assert "逾期未改正" in case["outcome"], f"第{overdue_only}条 fines individuals only after 逾期未改正"


def test_the_locked_exits_case_follows_article_105():
    case = CASES["case-2025-locked-exits-warehouse"]
    assert "停产整顿" not in case["title"] and "限期改正" in case["title"]
    assert "逾期未改正的，责令停产停业整顿" in case["outcome"]


def test_the_alarm_case_follows_article_99_first_step():
    outcome = CASES["case-2026-alarm-switched-off"]["outcome"]
    assert "第九十九条第四项责令限期改正" in outcome and "五万元以下的罚款" in outcome
    assert "责令立即改正" not in outcome


def test_the_fatal_confined_space_accident_cites_the_accident_fines():
    case = CASES["case-2025-confined-space-poisoning"]
    assert {("安全生产法", 114), ("安全生产法", 95), ("生产安全事故报告和调查处理条例", 3)} <= basis_of(case)
    assert "一般事故" in case["outcome"]
    assert "第一百一十四条第一项" in case["outcome"] and "三十万元以上一百万元以下" in case["outcome"]
    assert "第九十五条第一项" in case["outcome"] and "上一年年收入百分之四十" in case["outcome"]


def test_the_welding_fire_cites_article_101_item_3_on_hot_work():
    case = CASES["case-2026-unlicensed-welding-fire"]
    quotes = [basis.get("quote", "") for basis in case["legal_basis"] if basis["article"] == 101]
    assert quotes and "动火" in quotes[0] and quotes[0].startswith("（三）")
