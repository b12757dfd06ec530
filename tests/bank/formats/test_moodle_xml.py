"""Moodle XML: Moodle's nested-category fixture, our own file (HTML sanitised), unsafe XML, the writer."""

from __future__ import annotations

from quizapp.bank.formats import FORMATS
from quizapp.bank.formats.base import build_question
from tests.bank.formats.conftest import IMPORTS, by_line, correct_texts, shared

XML = FORMATS["moodle_xml"]


def test_nested_categories_fixture():
    result = XML.read(shared("moodle", "nested_categories_with_questions.xml").read_bytes())
    assert not result.errors
    assert [(item.data["category"], item.data["stem"], item.data["key"]) for item in result.items] == [
        ("Iota", "Testing Iota Question", True),
        ("Iota/Kappa", "Testing Kappa Question", True),
        ("Iota/Kappa/Lambda", "Testing Lambda Question", True),
        ("Iota/Mu", "Testing Mu Question", True),
    ]
    assert [(issue.line, issue.message) for issue in result.skipped] == [(55, "quizapp 没有 Moodle 的 essay 题型")]
    assert all(item.data["points"] is None for item in result.items)  # defaultgrade 1 is Moodle's default: not set


def test_our_file_html_is_sanitised_and_fields_kept():
    result = XML.read((IMPORTS / "safety.moodle.xml").read_bytes())
    assert not result.errors
    questions = by_line(result)
    first = questions[6]
    assert first["uid"] == "aqsf-xml-001" and first["points"] == 2.0 and first["tags"] == ["隐患"]
    assert first["category"] == "安全生产法/从业人员"
    assert first["stem"] == "从业人员发现事故隐患，应当立即向（ ）报告。\n详见第五十九条"
    for text in (first["stem"], first["explanation"]):
        assert "<" not in text and "alert" not in text and "javascript" not in text and "onclick" not in text
    assert first["explanation"] == "见《安全生产法》第五十九条。"
    assert questions[19]["type"] == "multiple_choice" and correct_texts(questions[19]) == ["知情权", "建议权"]
    assert questions[27]["key"] == [["安全第一"]]
    assert [issue.line for issue in result.skipped] == [31]


def test_entities_and_broken_xml_are_errors():
    bomb = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><quiz>&b;</quiz>'
    assert "实体" in XML.read(bomb).errors[0].message
    broken = XML.read(b"<quiz>\n<question type='truefalse'>\n</quiz>")
    assert broken.errors[0].line == 3
    assert XML.read(b"<other/>").errors[0].message.startswith("根元素")


def test_gbk_declared_document_is_read():
    document = '<?xml version="1.0" encoding="GBK"?><quiz><question type="truefalse"><questiontext><text>安全第一</text>'
    document += '</questiontext><answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer>'
    (item,) = XML.read((document + "</question></quiz>").encode("gbk")).items
    assert item.data["stem"] == "安全第一" and item.data["key"] is False


def test_writer_round_trip_with_markup_like_text():
    questions = [
        build_question(
            "multiple_choice", "x < y & z > w", options=["<", "乙", "丙"], correct=[0, 2], uid="q-1", category="甲/乙"
        ),
        build_question("true_false", "判断", answer=False, explanation="解析 & 说明", points=2.5, tags=["t1", "t2"]),
        build_question("fill_blank", "填____空", blanks=[["一", "壹"]]),
    ]
    content, left_out = XML.write(questions)
    assert not left_out
    assert [item.data for item in XML.read(content).items] == questions
