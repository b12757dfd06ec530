"""Reader rules from the fresh-eyes review of ``flask bank import``: one test per fault found."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from quizapp.bank.formats import FORMATS, detect_format
from quizapp.bank.formats.tabular import write_rows
from tests.bank.formats.conftest import by_line, xlsx

EXCEL, CSV, AIKEN, XML, TEXT, DOCX = (FORMATS[name] for name in ("excel", "csv", "aiken", "moodle_xml", "text", "docx"))
HEADER = ["题目编号", "题型", "题干", "选项A", "选项B", "选项C", "正确答案"]
MARKUP = {
    "<script>alert(1)</script>甲是？": "甲是？",
    "<img src=x onerror=alert(1)>乙是？": "乙是？",
    '<a href="javascript:alert(1)">丙</a>是？': "丙是？",
}


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")


def _moodle(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


def _choice(stem: str, extra: str = "") -> str:
    return (
        f'<question type="multichoice"><questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>{extra}'
        '<single>true</single><answer fraction="100"><text>甲</text></answer><answer fraction="0"><text>乙</text></answer></question>'
    )


def test_digit_only_id_column_is_a_sequence_number_not_a_uid():
    rows = [HEADER, [1, "单选题", "甲是？", "甲", "乙", "", "A"], ["aqsf-007", "单选题", "乙是？", "甲", "乙", "", "B"]]
    rows.append(["Q.1", "单选题", "丙是？", "甲", "乙", "", "A"])
    questions = by_line(EXCEL.read(xlsx(rows)))
    assert questions[2]["uid"].startswith("imp-") and questions[4]["uid"].startswith("imp-")
    assert questions[3]["uid"] == "aqsf-007"


def test_unsupported_types_in_sheets_and_papers_are_skipped_with_their_line():
    rows = [HEADER, [None, "简答题", "什么是隐患？", None, None, None, "可能导致事故的缺陷"]]
    rows += [[None, "案例分析题", "分析本案。", None, None, None, "略"], [None, "单选题", "甲是？", "甲", "乙", None, "A"]]
    result = EXCEL.read(xlsx(rows))
    assert not result.errors and len(result.items) == 1
    assert [(issue.line, issue.message) for issue in result.skipped] == [
        (2, "简答题：quizapp 没有这种题型"),
        (3, "案例分析题：quizapp 没有这种题型"),
    ]
    paper = "一、单选题\n1. 甲是？\nA. 甲 B. 乙\n答案：A\n二、简答题\n2. 简述隐患排查的要求（ ）。\n答案：定期排查\n"
    paper += "三、论述题\n3. 论述安全第一。\n"
    result = TEXT.read(paper.encode())
    assert not result.errors and len(result.items) == 1
    assert [(issue.line, issue.message) for issue in result.skipped] == [
        (6, "简答题：quizapp 没有这种题型"),
        (9, "论述题：quizapp 没有这种题型"),
    ]


def test_indefinite_choice_is_single_with_one_key_and_multiple_with_more():
    rows = [HEADER, [None, "不定项选择题", "甲是？", "甲", "乙", "丙", "B"], [None, "不定项选择题", "甲乙是？", "甲", "乙", "丙", "AB"]]
    questions = by_line(EXCEL.read(xlsx(rows)))
    assert (questions[2]["type"], questions[3]["type"]) == ("single_choice", "multiple_choice")
    paper = "一、不定项选择题\n1. 甲是？\nA. 甲 B. 乙\n答案：A\n2. 甲乙是？\nA. 甲 B. 乙\n答案：AB\n"
    assert [item.data["type"] for item in TEXT.read(paper.encode()).items] == ["single_choice", "multiple_choice"]


@pytest.mark.parametrize(("raw", "expected"), list(MARKUP.items()))
def test_markup_in_excel_and_aiken_is_stored_as_plain_text(raw, expected):
    (item,) = EXCEL.read(xlsx([HEADER, [None, "单选题", raw, "<b>甲</b>", "乙", None, "A"]])).items
    assert (item.data["stem"], item.data["options"][0]["text"]) == (expected, "甲")
    (item,) = AIKEN.read(f"{raw}\nA. <i>甲</i>\nB. 乙\nANSWER: A\n".encode()).items
    assert (item.data["stem"], item.data["options"][0]["text"]) == (expected, "甲")


def test_text_with_angle_brackets_that_is_not_markup_is_kept():
    (item,) = AIKEN.read("温度<5℃且压力>1时？\nA. 甲\nB. 乙\nANSWER: A\n".encode()).items
    assert item.data["stem"] == "温度<5℃且压力>1时？"


def test_moodle_questions_with_pictures_are_skipped():
    picture = _choice('看图：<img src="@@PLUGINFILE@@/sign.png">这是什么标志？', '<file name="sign.png" encoding="base64">AAAA</file>')
    result = XML.read(_moodle(_choice("甲是？") + "\n" + picture))
    assert len(result.items) == 1 and not result.errors
    assert [(issue.line, issue.message) for issue in result.skipped] == [(4, "含图片，暂不支持")]


def test_word_questions_with_inline_pictures_are_skipped():
    import docx

    document = docx.Document()
    for text in ("一、单选题", "1. 甲是？", "A. 甲 B. 乙", "答案：A", "2. 下图是什么标志？"):
        document.add_paragraph(text)
    document.add_picture(io.BytesIO(_png()))
    for text in ("A. 禁止烟火 B. 当心火灾", "答案：A"):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    result = DOCX.read(buffer.getvalue())
    assert len(result.items) == 1 and not result.errors
    assert [(issue.line, issue.message) for issue in result.skipped] == [(5, "含图片，暂不支持")]


def test_moodle_default_grade_one_means_no_points():
    grades = _choice("甲是？", "<defaultgrade>1.0000000</defaultgrade>") + _choice("乙是？", "<defaultgrade>2</defaultgrade>")
    result = XML.read(_moodle(grades))
    assert [item.data["points"] for item in result.items] == [None, 2.0]


def test_errors_in_a_multi_sheet_workbook_name_the_sheet():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "单选题"
    for row in (HEADER, [None, "单选题", "甲是？", "甲", "乙", None, "A"]):
        workbook.active.append(row)
    sheet = workbook.create_sheet("多选题")
    for row in (HEADER, [None, "多选题", "甲乙是？", "甲", "乙", None, "Z"], [None, "问答题", "为什么？", None, None, None, "略"]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = EXCEL.read(buffer.getvalue())
    assert [(issue.line, issue.message[:12]) for issue in result.errors] == [(2, "工作表「多选题」第2行：")]
    assert result.skipped[0].message == "工作表「多选题」第3行：问答题：quizapp 没有这种题型"


def test_identical_option_texts_are_an_error_naming_the_row():
    rows = [HEADER, [None, "单选题", "甲是？", "甲", "乙", None, "A"], [None, "单选题", "乙是？", "甲", " 甲", "乙", "C"]]
    result = EXCEL.read(xlsx(rows))
    assert len(result.items) == 1 and [(issue.line, issue.message) for issue in result.errors] == [(3, "选项内容重复：甲")]


def test_excel_writer_keeps_questions_whose_citation_quote_has_quotation_marks():
    from quizapp.bank.formats.base import build_question

    basis = [{"law": "安全生产法", "article": 3, "quote": "坚持“安全第一”，依照《宪法》"}]
    question = build_question("true_false", "安全第一。", answer=True, uid="q-quote", legal_basis=basis)
    rows, left_out = write_rows([question])
    assert not left_out and len(rows) == 2
    (item,) = EXCEL.read(xlsx(rows)).items
    assert item.data["legal_basis"] == [{"law": "安全生产法", "article": 3, "quote": "坚持‘安全第一’，依照《宪法》"}]


@pytest.mark.parametrize("answer", ["ANSWER：B", "Answer: B", "answer:b", "ANSWER: Ｂ"])
def test_aiken_detection_agrees_with_the_parser(answer):
    data = f"甲是？\nA. 甲\nB. 乙\n{answer}\n".encode()
    assert detect_format(data, "bank.txt") == "aiken" and len(AIKEN.read(data).items) == 1


def test_damaged_files_are_reported_in_chinese_without_internal_names():
    messages = [
        EXCEL.read(b"PK\x03\x04 not a zip").errors[0].message,
        DOCX.read(b"PK\x03\x04 not a zip").errors[0].message,
        CSV.read(("题干,答案\n\"" + "长" * 140_000 + "\",A\n").encode()).errors[0].message,
        XML.read(b"<quiz><question></quiz>").errors[0].message,
    ]
    for message in messages:
        assert not any(word in message for word in ("BadZipFile", "Error", "field limit", "mismatched", "not well-formed")), message
    assert "单元格过长" in messages[2] and "第1行第19列" in messages[3]
