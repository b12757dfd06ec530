"""Word (.docx) and plain-text papers in the common Chinese layout."""

from __future__ import annotations

from quizapp.bank.formats import FORMATS, detect_format
from tests.bank.formats.conftest import IMPORTS, by_line, correct_texts, docx_bytes, option_texts

TEXT, DOCX = FORMATS["text"], FORMATS["docx"]


def test_gbk_text_paper_with_headings_and_every_answer_style():
    data = (IMPORTS / "paper_gbk.txt").read_bytes()
    assert detect_format(data, "paper.txt") == "text"
    result = TEXT.read(data)
    assert not result.errors
    questions = by_line(result)
    assert [data["type"] for data in questions.values()] == [
        "single_choice", "single_choice", "multiple_choice", "true_false", "true_false", "fill_blank",
    ]
    first = questions[5]
    assert first["stem"] == "生产经营单位的主要负责人是本单位安全生产（  ）。"  # key taken out of the stem
    assert option_texts(first) == ["第一责任人", "直接责任人", "监督责任人", "间接责任人"] and correct_texts(first) == ["第一责任人"]
    assert first["explanation"] == "《安全生产法》第五条。"
    assert correct_texts(questions[9]) == ["现场安全生产管理人员或者本单位负责人"]
    assert correct_texts(questions[16]) == ["知情权", "建议权", "拒绝违章指挥权"]
    assert questions[23]["key"] is False and questions[24]["key"] is True
    assert questions[28]["key"] == [["安全第一"]]


def test_docx_paper_with_word_list_numbering():
    data = docx_bytes(
        [
            "安全生产知识竞赛试卷",
            "一、单选题",
            ("生产经营单位的主要负责人是本单位安全生产（ ）。", "List Number"),
            "A、第一责任人    B、直接责任人",
            "答案：A",
            "二、多选题",
            "2. 从业人员的权利有（ ）。",
            "A：知情权",
            "B：建议权",
            "C：罚款权",
            "【答案】AB",
            "【解析】第五十三条、第五十四条。",
        ]
    )
    assert detect_format(data, "paper.docx") == "docx"
    result = DOCX.read(data)
    assert not result.errors
    questions = by_line(result)
    assert correct_texts(questions[3]) == ["第一责任人"] and questions[3]["type"] == "single_choice"
    assert questions[7]["type"] == "multiple_choice" and correct_texts(questions[7]) == ["知情权", "建议权"]
    assert questions[7]["explanation"] == "第五十三条、第五十四条。"


def test_question_without_a_key_is_an_error_with_its_line():
    result = TEXT.read("1. 没有答案的题\nA. 甲\nB. 乙\n2. 有答案的题（B）\nA. 甲\nB. 乙\n".encode())
    assert [issue.line for issue in result.errors] == [1] and correct_texts(result.items[0].data) == ["乙"]


def test_damaged_docx_is_an_error():
    assert DOCX.read(b"PK\x03\x04 broken").errors
