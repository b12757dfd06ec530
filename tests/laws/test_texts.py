"""Statute texts (quizapp.laws.texts): numerals, parsing, and the shipped copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.laws.texts import article_label, article_number, format_citation, parse_statute
from tests.conftest import ROOT, SHARED_INPUTS

LAWS = ROOT / "content" / "laws"
ORIGINALS = SHARED_INPUTS / "laws"
SHIPPED = sorted(LAWS.glob("*.md"))


@pytest.mark.parametrize(
    ("chinese", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十八", 28),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十三", 113),
        ("一百一十九", 119),
    ],
)
def test_article_number_reads_chinese_numerals(chinese, number):
    assert article_number(chinese) == number


def test_article_label_writes_the_chinese_form():
    assert article_label(113) == "第一百一十三条"
    assert article_label(10) == "第十条"
    assert article_label(101) == "第一百零一条"


def test_article_label_and_number_round_trip_for_1_to_200():
    for number in range(1, 201):
        label = article_label(number)
        assert label.startswith("第") and label.endswith("条")
        assert article_number(label[1:-1]) == number


def test_format_citation_names_law_and_article():
    assert format_citation({"law": "安全生产法", "article": 28, "quote": "…"}) == "《安全生产法》第二十八条"


def test_safety_law_2021_has_119_articles_with_article_28_on_training():
    statute = parse_statute((LAWS / "anquan_shengchan_fa_2021.md").read_text(encoding="utf-8"))
    assert statute.title == "中华人民共和国安全生产法"
    assert sorted(statute.articles) == list(range(1, 120))
    assert statute.articles[28].startswith("生产经营单位应当对从业人员进行安全生产教育和培训")


def test_parse_statute_keeps_paragraphs_and_stops_at_headings():
    text = (
        "# 示例法\n\n修订说明\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n"
        "第一条 第一款。\n\n第二款。\n\n## 第二章 附则\n\n"
        "第二条 本法自公布之日起施行。\n\n第二条之一 增加的条文。\n\n后续一款。\n"
    )
    statute = parse_statute(text)
    assert statute.title == "示例法"
    assert statute.articles == {1: "第一款。\n第二款。", 2: "本法自公布之日起施行。"}


def test_parse_statute_refuses_text_without_a_title_line():
    with pytest.raises(ValueError):
        parse_statute("第一条 没有标题。\n")


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_shipped_law_records_its_source_and_revision(path):
    head = path.read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[0]
    assert "<!-- source: github.com/LawRefBook/Laws" in head
    assert "revision:" in head


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason=f"original statute texts not found at {ORIGINALS} (../shared/inputs/laws)")
@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_shipped_law_text_equals_the_original(path: Path):
    original_path = ORIGINALS / path.name
    assert original_path.is_file(), f"no original for {path.name}"
    shipped_text, original_text = path.read_text(encoding="utf-8"), original_path.read_text(encoding="utf-8")
    shipped, original = parse_statute(shipped_text), parse_statute(original_text)
    assert shipped.title == original.title
    assert shipped.articles == original.articles
    assert shipped_text.split("<!-- INFO END -->", 1)[1] == original_text.split("<!-- INFO END -->", 1)[1]
