"""GIFT: agreement with the reference parser's JSON, Moodle's fixtures, our own file, the writer."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.bank.formats import FORMATS
from quizapp.bank.formats.gift import escape, parse_gift
from quizapp.bank.formats.text import decode
from tests.bank.formats.conftest import IMPORTS, SHARED_BANKS, by_line, correct_texts, option_texts, shared

GIFT = FORMATS["gift"]
#: Reference types quizapp supports, and what each may become (Numerical only with one exact answer).
SUPPORTED = {"MC": ("single_choice", "multiple_choice"), "TF": ("true_false",), "Short": ("fill_blank",), "Numerical": ("fill_blank",)}
REFERENCE_FILES = sorted(path.stem for path in (SHARED_BANKS / "gift").glob("*.gift")) or ["(absent)"]


def _flat(text: str) -> str:
    """Compare texts as the reference prints them: runs of whitespace as one space, any blank as _____."""
    return re.sub(r"\s+", " ", re.sub(r"\s*_{3,}\s*", " _____ ", text)).strip()


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_parse_agrees_with_the_reference_parser(name):
    source = shared("gift", f"{name}.gift")
    expected = [question for question in json.loads(source.with_suffix(".json").read_text()) if question["type"] != "Category"]
    parsed, errors = parse_gift(decode(source.read_bytes()))
    assert not errors
    assert [question.kind for question in parsed] == [question["type"] for question in expected]
    for ours, theirs in zip(parsed, expected, strict=True):
        assert ours.title == theirs["title"]
        stem = ours.stem + (" _____ " + ours.after if ours.embedded else "")
        assert _flat(stem) == _flat(theirs["stem"]["text"])
        if theirs["type"] == "TF":
            assert ours.is_true is theirs["isTrue"]
        elif theirs["type"] in SUPPORTED and isinstance(theirs.get("choices"), list):
            choices = theirs["choices"]
            assert len(ours.choices) == len(choices)
            for mine, reference in zip(ours.choices, choices, strict=True):
                text = reference["text"]
                if "type" in text:  # numerical: {number, range}
                    assert float(mine.text.split(":")[0]) == text["number"]
                else:
                    assert _flat(mine.text) == _flat(text["text"])
                assert mine.is_correct is reference["isCorrect"]
                assert mine.weight == reference["weight"]


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_reference_question_is_imported_or_skipped_with_its_line(name):
    source = shared("gift", f"{name}.gift")
    expected = [question for question in json.loads(source.with_suffix(".json").read_text()) if question["type"] != "Category"]
    result = GIFT.read(source.read_bytes())
    assert not result.errors
    assert len(result.items) + len(result.skipped) == len(expected)
    for item, theirs in zip(result.items, [q for q in expected if q["type"] in SUPPORTED], strict=False):
        assert item.data["type"] in SUPPORTED[theirs["type"]]
    assert all(issue.line > 0 and issue.message for issue in result.skipped)


def test_moodle_questions_fixture():
    result = GIFT.read(shared("moodle", "questions.gift.txt").read_bytes())
    assert not result.errors
    questions = by_line(result)
    assert {issue.line: issue.message.split("（")[0] for issue in result.skipped} == {
        2: "问答题",
        5: "匹配题",
        31: "数值题只有一个精确答案时才导入为填空题；带误差或区间的不导入",
        34: "填空答案带部分分值，quizapp 的填空题按全对得分",
    }
    assert questions[14]["type"] == "single_choice" and correct_texts(questions[14]) == ["yellow"]
    assert questions[22]["type"] == "multiple_choice" and correct_texts(questions[22]) == ["yellow", "off-beige"]
    assert questions[41]["key"] is False and questions[41]["explanation"].startswith("This is, of course")
    assert questions[46]["key"] is True and questions[49]["key"] is True


def test_moodle_questions_in_category_fixture():
    result = GIFT.read(shared("moodle", "questions_in_category.gift.txt").read_bytes())
    questions = by_line(result)
    assert {data["category"] for data in questions.values()} == {"Default for New Features"}
    assert questions[14]["stem"] == "Listen to this greeting:\n\nWhat language is being spoken?"
    assert correct_texts(questions[14]) == ["French"]
    assert questions[22]["key"] == [["Moodler"]]
    assert questions[27]["key"] is True and "<span" not in questions[27]["stem"]


def test_our_file_chinese_category_id_tags_weights_missing_word():
    result = GIFT.read((IMPORTS / "safety.gift").read_bytes())
    assert not result.errors
    questions = by_line(result)
    first = questions[6]
    assert first["uid"] == "aqsf-gift-001" and first["tags"] == ["主体责任"] and first["category"] == "安全生产法/总则"
    assert first["explanation"] == "《安全生产法》第五条。" and correct_texts(first) == ["第一责任人"]
    assert questions[13]["type"] == "multiple_choice" and correct_texts(questions[13]) == ["知情权", "拒绝违章指挥和强令冒险作业"]
    assert questions[19]["stem"] == "安全生产工作坚持____、预防为主、综合治理的方针。"
    assert questions[19]["key"] == [["安全第一", "安全 第一"]]
    assert questions[21]["stem"] == "重大事故隐患应当及时报告: 对吗？" and questions[21]["explanation"] == "对了"
    assert [(issue.line, issue.message[:3]) for issue in result.skipped] == [(24, "问答题"), (26, "数值题")]


def test_unequal_partial_weights_are_skipped_not_mangled():
    result = GIFT.read("选哪个？{~%70%甲 ~%30%乙 ~%-100%丙}".encode())
    assert not result.items and "70%" in result.skipped[0].message


def test_numerical_with_one_exact_answer_becomes_fill_blank():
    (item,) = GIFT.read("《安全生产法》共有多少条？{#119}".encode()).items
    assert item.data["type"] == "fill_blank" and item.data["key"] == [["119"]] and item.data["stem"].endswith("____")


@pytest.mark.parametrize(
    "text, message",
    [("题目{=甲 ~乙", "}"), ("::没有结尾的标题 题目{T}", "::"), ("题目{甲 =乙 ~丙}", "="), ("数{#abc}", "数字"), ("题目{=甲}{=乙}", "{")],
)
def test_malformed_questions_are_line_numbered_errors(text, message):
    result = GIFT.read(f"// 注释\n\n{text}\n".encode())
    assert result.errors[0].line == 3 and message in result.errors[0].message


def test_escape_covers_every_special_character():
    text = "a~b=c#d{e}f:g\\h\ni"
    assert escape(text) == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    question = f"{escape(text)}{{={escape(text)} ~x}}"
    (item,) = GIFT.read(question.encode()).items
    assert item.data["stem"] == text and option_texts(item.data) == [text, "x"]
