"""Parsing LawRefBook statutes (quizapp.laws.parser): numerals, divisions by keyword, 之一, items, every real file."""

from __future__ import annotations

import pytest

from quizapp.laws.parser import LawFormatError, cn_number, cn_numeral, item_number, parse_law
from tests.laws.factories import SAMPLE_2020, SHARED_LAWS, SHIPPED_LAWS

SHARED = sorted(SHARED_LAWS.glob("*.md")) if SHARED_LAWS.is_dir() else []
SHARED_STATUTES = [path for path in SHARED if path.name != "lawrefbook_template.md"]
NO_SHARED = f"shared statute texts not found at {SHARED_LAWS} (../shared/inputs/laws)"


@pytest.mark.parametrize(
    ("chinese", "number"),
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("一百", 100), ("一百零一", 101), ("一百一十三", 113), ("二百", 200)],
)
def test_numerals_convert_both_ways(chinese, number):
    assert cn_number(chinese) == number
    assert cn_numeral(number) == chinese


def test_numerals_round_trip_for_1_to_300():
    assert all(cn_number(cn_numeral(number)) == number for number in range(1, 301))


def test_headings_take_their_level_from_the_keyword_not_the_number_of_hashes():
    law = parse_law(SAMPLE_2020.read_text(encoding="utf-8"))
    shape = [(d.kind, d.number, d.title, law.divisions[d.parent].label if d.parent is not None else None) for d in law.divisions]
    assert shape == [
        ("part", 1, "总则", None),
        ("chapter", 1, "一般规定", "第一编"),
        ("chapter", 2, "责任", "第一编"),
        ("section", 1, "一般责任", "第二章"),
        ("section", 2, "特别责任", "第二章"),
        ("part", 2, "附则", None),
        ("chapter", 1, "附则", "第二编"),
    ]


def test_articles_know_their_part_chapter_and_section():
    law = parse_law(SAMPLE_2020.read_text(encoding="utf-8"))
    where = {(a.number, a.suffix): (a.part, a.chapter, a.section) for a in law.articles}
    assert where[(1, 0)] == (0, 1, None)
    assert where[(3, 0)] == (0, 2, 3)
    assert where[(4, 0)] == (0, 2, 4)
    assert where[(5, 0)] == (5, 6, None)


def test_article_zhi_yi_is_its_own_article_with_its_paragraphs():
    law = parse_law(SAMPLE_2020.read_text(encoding="utf-8"))
    assert [(a.number, a.suffix) for a in law.articles] == [(1, 0), (2, 0), (2, 1), (3, 0), (4, 0), (5, 0)]
    zhi_yi = law.articles[2]
    assert zhi_yi.paragraphs == ["示例单位应当公开安全承诺。", "前款规定的承诺每年更新一次。"]
    assert law.articles[1].paragraphs[-1] == "（二）组织安全生产教育和培训。"  # 之一 does not run into 第二条


def test_items_in_either_bracket_style_are_recognised():
    law = parse_law(SAMPLE_2020.read_text(encoding="utf-8"))
    assert [item_number(paragraph) for paragraph in law.articles[1].paragraphs] == [None, 1, 2]
    assert item_number("（十二）某项") == 12
    assert item_number("第十二条 不是项") is None


def test_head_gives_notes_source_revision_and_date():
    law = parse_law(SAMPLE_2020.read_text(encoding="utf-8"))
    assert law.title == "中华人民共和国示例安全法" and law.short_name == "示例安全法"
    assert law.notes == ["2020年1月1日 第一届示例会议通过"]
    assert law.source.startswith("quizapp tests") and law.revision == "2020年1月1日通过文本"
    assert str(law.revised_on) == "2020-01-01"


def test_a_repeated_article_number_is_refused_with_its_line():
    text = "# 法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第一条 乙。\n"
    with pytest.raises(LawFormatError, match="line 7"):
        parse_law(text)


@pytest.mark.parametrize("text", ["第一条 没有标题。\n", "# 法\n\n第一条 没有 INFO END。\n"])
def test_text_outside_the_layout_is_refused(text):
    with pytest.raises(LawFormatError):
        parse_law(text)


@pytest.mark.parametrize("path", SHIPPED_LAWS, ids=[path.name for path in SHIPPED_LAWS])
def test_every_shipped_law_parses_with_consecutive_articles_inside_chapters(path):
    law = parse_law(path.read_text(encoding="utf-8"))
    numbers = [article.number for article in law.articles]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(article.chapter is not None for article in law.articles)
    assert law.source.startswith("github.com/LawRefBook/Laws") and law.revision and law.revised_on


def test_the_regulation_uses_ascii_bracket_items():
    law = parse_law((SHIPPED_LAWS[0].parent / "shigu_baogao_diaocha_tiaoli_2007.md").read_text(encoding="utf-8"))
    article_3 = next(article for article in law.articles if article.number == 3)
    assert [item_number(paragraph) for paragraph in article_3.paragraphs[1:5]] == [1, 2, 3, 4]


@pytest.mark.skipif(not SHARED, reason=NO_SHARED)
@pytest.mark.parametrize("path", SHARED_STATUTES, ids=[path.name for path in SHARED_STATUTES])
def test_every_shared_statute_parses(path):
    law = parse_law(path.read_text(encoding="utf-8"))
    assert law.title and law.notes and law.articles
    assert [a.number for a in law.articles] == list(range(1, len(law.articles) + 1))


@pytest.mark.skipif(not SHARED, reason=NO_SHARED)
def test_special_equipment_law_has_sections_inside_chapter_two():
    law = parse_law((SHARED_LAWS / "tezhong_shebei_anquan_fa_2013.md").read_text(encoding="utf-8"))
    chapter_two = next(index for index, d in enumerate(law.divisions) if d.kind == "chapter" and d.number == 2)
    sections = [d for d in law.divisions if d.kind == "section"]
    assert [(d.number, d.title) for d in sections] == [(1, "一般规定"), (2, "生产"), (3, "经营"), (4, "使用")]
    assert all(d.parent == chapter_two for d in sections)
    article_13 = next(a for a in law.articles if a.number == 13)
    assert article_13.chapter == chapter_two and law.divisions[article_13.section].title == "一般规定"
    assert len(law.articles) == 101


@pytest.mark.skipif(not SHARED, reason=NO_SHARED)
def test_the_layout_template_parses_past_its_front_matter_and_subtitle():
    law = parse_law((SHARED_LAWS / "lawrefbook_template.md").read_text(encoding="utf-8"))
    assert law.title == "某条法律的标题"
    assert [d.kind for d in law.divisions] == ["section"]  # "## 第一篇" names no 编/章/节; "### 第一节" does
    assert [a.number for a in law.articles] == [1, 2]
