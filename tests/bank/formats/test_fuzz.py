"""Fuzz every reader: whatever the bytes, the result is a report with line-numbered errors, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.bank.formats import FORMATS, detect_format
from quizapp.bank.formats.base import ReadResult
from tests.bank.formats.conftest import docx_bytes, xlsx

#: Pieces each text format is made of, so the fuzzer reaches deep into the parsers.
TOKENS = {
    "gift": ["::", "{", "}", "=", "~", "#", "####", "%50%", "%-100%", "->", "\\", "\\:", "$CATEGORY: a/b", "//", "[html]", "T",
             "FALSE", "\n", "\n\n", " ", "甲", "<p>"],
    "aiken": ["A.", "B)", "C. ", "ANSWER: ", "A", "B", "Z", "\n", "\r\n", "\r", " ", "题", "answer:"],
    "moodle_xml": ["<quiz>", "</quiz>", '<question type="multichoice">', '<question type="truefalse">', '<question type="category">',
                   "</question>", "<questiontext format=\"html\"><text>", "</text></questiontext>", '<answer fraction="100">',
                   '<answer fraction="-50">', "<text>", "</text>", "</answer>", "<![CDATA[<script>x</script>]]>", "<single>false</single>",
                   "<category><text>$course$/a</text></category>", "<defaultgrade>x</defaultgrade>", "&amp;", "&bad;", "true", "甲"],
    "csv": ["题型", "题干", "选项A", "选项B", "答案", "法条依据", "难度", "分值", ",", "\t", ";", '"', "\n", "\r\n", "单选题", "判断题",
            "填空题", "多选题", "AB", "√", "《安全生产法》第二十八条", "**A.甲**B.乙", "1.", "____", "（ ）", "甲", "x", "中"],
    "text": ["一、单选题", "二、判断题", "四、填空题", "1.", "2、", "A.", "B、", "(C)", "答案：", "【答案】", "解析：", "（ B ）", "（√）",
             "____", "\n", " ", "甲", "AB", "对"],
}
TOKENS["aiken"] += TOKENS["gift"][:3]
#: What a workbook or document can hold: no control characters.
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
HEADER = ["题型", "题干", "选项A", "选项B", "答案", "题目选项", "难度", "分值"]
CELL = st.one_of(st.none(), st.integers(-5, 300), st.floats(allow_nan=False, allow_infinity=False), PRINTABLE,
                 st.sampled_from(TOKENS["csv"]))


def _check(result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    for issue in result.errors + result.skipped:
        assert isinstance(issue.line, int) and issue.line >= 0 and issue.message
    for item in result.items:
        assert item.data["stem"] and item.data["uid"]


@pytest.mark.parametrize("name", list(FORMATS))
@given(data=st.binary(max_size=300))
def test_any_bytes(name, data):
    _check(FORMATS[name].read(data))
    detect_format(data, "x.bin")


@pytest.mark.parametrize("name", list(TOKENS))
@given(data=st.data())
def test_token_soup(name, data):
    pieces = data.draw(st.lists(st.sampled_from(TOKENS[name]) | st.text(max_size=5), max_size=60))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    _check(FORMATS[name].read("".join(pieces).encode(encoding, errors="replace")))


@given(rows=st.lists(st.lists(CELL, max_size=8), max_size=8), header=st.permutations(HEADER))
def test_excel_rows(rows, header):
    _check(FORMATS["excel"].read(xlsx([header, *rows])))


@given(paragraphs=st.lists(st.sampled_from(TOKENS["text"]) | PRINTABLE, max_size=20))
def test_docx_paragraphs(paragraphs):
    _check(FORMATS["docx"].read(docx_bytes(["".join(paragraphs[i : i + 3]) for i in range(0, len(paragraphs), 3)])))
