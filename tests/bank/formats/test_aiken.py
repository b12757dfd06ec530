"""Aiken: Moodle's fixtures (including its error cases), line ends, the writer."""

from __future__ import annotations

import pytest

from quizapp.bank.formats import FORMATS
from quizapp.bank.formats.base import build_question
from tests.bank.formats.conftest import IMPORTS, correct_texts, option_texts, shared

AIKEN = FORMATS["aiken"]


def test_moodle_fixture():
    result = AIKEN.read(shared("moodle", "questions.aiken.txt").read_bytes())
    assert not result.errors
    first, second = (item.data for item in result.items)
    assert first["stem"] == "The Moodle project was started by:" and correct_texts(first) == ["Martin Dougiamas"]
    # markup in plain formats becomes text the way HTML formats' does (issue 3: nh3), so the tag goes
    assert second["stem"].endswith("includes  & images:") and "<html" not in second["stem"]
    assert option_texts(second) == ["True", "False"] and correct_texts(second) == ["True"]


def test_moodle_error_cases_are_line_numbered():
    result = AIKEN.read(shared("moodle", "aiken_errors.txt").read_bytes())
    assert [item.data["stem"] for item in result.items] == ["A good question", "A second good question"]
    assert correct_texts(result.items[1].data) == ["Correct (No space)"]
    assert [issue.line for issue in result.errors] == [3, 5, 7, 14]
    assert ["两个选项" in result.errors[0].message, "之前没有题目" in result.errors[1].message] == [True, True]
    assert "ANSWER" in result.errors[2].message and "ANSWER" in result.errors[3].message


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_line_ends(line_end):
    text = line_end.join(["甲是？", "A. 甲", "B)乙", "ANSWER: A", "", "乙是？", "A.甲", "B. 乙", "ANSWER: b", ""])
    result = AIKEN.read(text.encode())
    assert not result.errors and [correct_texts(item.data) for item in result.items] == [["甲"], ["乙"]]


def test_our_crlf_file():
    result = AIKEN.read((IMPORTS / "safety_crlf.aiken.txt").read_bytes())
    assert not result.errors and [item.line for item in result.items] == [1, 7]
    assert option_texts(result.items[0].data) == ["第一责任人", "直接责任人", "监督责任人"]


def test_answer_naming_no_option():
    result = AIKEN.read("甲是？\nA. 甲\nB. 乙\nANSWER: C\n".encode())
    assert result.errors[0].line == 4 and not result.items


def test_writer_takes_single_choice_only_and_round_trips():
    single = build_question("single_choice", "甲是（ ）？", options=["甲", "乙"], correct=[1])
    multiple = build_question("multiple_choice", "多选", options=["甲", "乙"], correct=[0, 1])
    two_lines = build_question("single_choice", "第一行\n第二行", options=["甲", "乙"], correct=[0])
    content, left_out = AIKEN.write([single, multiple, two_lines])
    assert [issue.message.split("：")[0] for issue in left_out] == [multiple["uid"], two_lines["uid"]]
    assert [item.data for item in AIKEN.read(content).items] == [single]
