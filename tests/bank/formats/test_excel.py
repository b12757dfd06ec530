"""Excel and CSV in the common Chinese template: layouts, answer variants, encodings, errors."""

from __future__ import annotations

import pytest

from quizapp.bank.formats import FORMATS, detect_format
from quizapp.bank.formats.base import FormatError, build_question
from quizapp.bank.formats.tabular import parse_legal_basis
from quizapp.content.banks import option_public_id
from tests.bank.formats.conftest import IMPORTS, by_line, correct_texts, option_texts, shared, xlsx

EXCEL, CSV = FORMATS["excel"], FORMATS["csv"]


def test_columns_by_synonym_in_any_order_with_every_answer_variant():
    rows = [
        ["答案", "题目", "选项B", "选项A", "类型", "选项C"],
        ["ab", "1.甲乙是（ ）", "乙", "甲", "多选题", "丙"],
        ["Ａ、Ｃ ", "2、甲丙是（ ）", "乙", "甲", "多项选择", "丙"],
        ["A;B;C", "12\t全部是（ ）", "乙", "甲", "多选", "丙"],
        ["b", "乙是（ ）", "乙", "甲", "单选题", "丙"],
    ]
    questions = by_line(EXCEL.read(xlsx(rows)))
    assert [correct_texts(questions[line]) for line in (2, 3, 4, 5)] == [["甲", "乙"], ["甲", "丙"], ["甲", "乙", "丙"], ["乙"]]
    assert questions[2]["stem"] == "甲乙是（ ）" and questions[4]["stem"] == "全部是（ ）"
    assert option_texts(questions[2]) == ["甲", "乙", "丙"]


@pytest.mark.parametrize("key", ["对", "正确", "是", "√", "T", "A", "true"])
def test_true_false_keys_for_true(key):
    (item,) = EXCEL.read(xlsx([["题型", "题干", "答案"], ["判断题", "安全第一。", key]])).items
    assert item.data["key"] is True


@pytest.mark.parametrize("key", ["错", "错误", "否", "×", "F", "B", "false"])
def test_true_false_keys_for_false(key):
    (item,) = EXCEL.read(xlsx([["题型", "题干", "答案"], ["是非题", "可以瞒报。", key]])).items
    assert item.data["key"] is False


def test_true_false_letter_follows_the_options_cell():
    rows = [["试题类型", "题目内容", "题目选项", "题目答案"], ["判断题", "1.可以瞒报。", "**A:错误**B:正确", "A"]]
    (item,) = EXCEL.read(xlsx(rows)).items
    assert item.data["key"] is False


def test_options_in_one_cell_variants():
    rows = [
        ["试题类型", "题目内容", "题目选项", "题目答案"],
        ["单选题", "1.一", "**A.甲**B.乙", "A"],
        ["单选题", "2.二", "**A:甲**B:乙**C丙", "C"],
        ["多选题", "3.三", "**A、甲***B、乙**C、丙", "BC "],
        ["单选题", "4.四", "A.甲 B.乙\nC.丙", "B"],
    ]
    questions = by_line(EXCEL.read(xlsx(rows)))
    three = ["甲", "乙", "丙"]
    assert [option_texts(questions[line]) for line in (2, 3, 4, 5)] == [["甲", "乙"], three, three, three]
    assert correct_texts(questions[4]) == ["乙", "丙"]


def test_one_row_per_option_grouped_by_question_number():
    rows = [
        ["题号", "题型", "题干", "选项", "是否正确"],
        [1, "多选题", "从业人员的权利有（ ）", "A.知情权", "是"],
        [1, None, None, "B.建议权", "是"],
        [1, None, None, "C.罚款权", "否"],
        [2, "单选题", "第一责任人是（ ）", "主要负责人", "√"],
        [2, None, None, "安全员", None],
    ]
    questions = by_line(EXCEL.read(xlsx(rows)))
    assert option_texts(questions[2]) == ["知情权", "建议权", "罚款权"] and correct_texts(questions[2]) == ["知情权", "建议权"]
    assert option_texts(questions[5]) == ["主要负责人", "安全员"] and correct_texts(questions[5]) == ["主要负责人"]


def test_fill_blank_slots_and_alternatives():
    rows = [["题型", "题干", "答案"], ["填空题", "事故分为（ ）和(  )两类，____。", "甲/A|乙；丙"]]
    (item,) = EXCEL.read(xlsx(rows)).items
    assert item.data["stem"] == "事故分为____和____两类，____。"
    assert item.data["key"] == [["甲", "A"], ["乙"], ["丙"]]


def test_legal_basis_column_parses_to_law_and_article():
    assert parse_legal_basis("《中华人民共和国安全生产法》第二十八条、第一百一十三条；《消防法》第16条“单位应当……”") == [
        {"law": "安全生产法", "article": 28, "quote": ""},
        {"law": "安全生产法", "article": 113, "quote": ""},
        {"law": "消防法", "article": 16, "quote": "单位应当……"},
    ]
    with pytest.raises(FormatError):
        parse_legal_basis("安全生产法二十八条")


def test_uid_is_a_fingerprint_and_option_ids_are_stable():
    rows = [["题干", "选项A", "选项B", "答案"], ["甲是（ ）", "甲", "乙", "A"]]
    first, again = EXCEL.read(xlsx(rows)).items[0].data, EXCEL.read(xlsx(rows)).items[0].data
    assert first == again and first["uid"].startswith("imp-") and len(first["uid"]) == 20
    assert first["options"][0]["id"] == option_public_id(first["uid"], "a")
    assert first["type"] == "single_choice"


def test_errors_carry_row_and_column():
    result = CSV.read((IMPORTS / "errors.csv").read_bytes())
    assert [item.line for item in result.items] == [2]
    assert [(issue.line, issue.column) for issue in result.errors] == [(3, 4), (5, 1)]
    assert "Z" in result.errors[0].message and "题干为空" in result.errors[1].message
    assert [(issue.line, issue.message) for issue in result.skipped] == [(4, "问答题：quizapp 没有这种题型")]


def test_utf8_bom_csv_every_variant():
    data = (IMPORTS / "template_utf8_bom.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and detect_format(data, "x.csv") == "csv"
    result = CSV.read(data)
    assert not result.errors and len(result.items) == 11
    questions = by_line(result)
    assert questions[2]["points"] == 2.0 and questions[2]["difficulty"] == 1 and questions[2]["category"] == "安全生产法/总则"
    assert questions[2]["legal_basis"] == [{"law": "安全生产法", "article": 5, "quote": ""}]
    assert correct_texts(questions[3]) == ["了解危险因素", "拒绝违章指挥"] and len(questions[3]["legal_basis"]) == 2
    assert correct_texts(questions[4]) == ["设备", "人员", "管理"]  # full-width ＡＢＣ
    assert correct_texts(questions[5]) == ["甲", "乙", "丁"] and questions[5]["stem"].endswith("____。")
    assert [questions[line]["key"] for line in (6, 7, 8, 9, 10)] == [False, True, True, False, True]
    assert questions[12]["key"] == [["特别重大"], ["一般", "一般事故"]]
    assert questions[2]["stem"] == "生产经营单位的主要负责人是本单位安全生产（\u3000\u3000）。"  # Chinese punctuation kept


def test_gbk_csv_with_options_in_one_cell():
    data = (IMPORTS / "options_in_one_cell_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = CSV.read(data)
    assert not result.errors
    assert [item.data["type"] for item in result.items] == ["single_choice", "true_false", "multiple_choice"]
    assert correct_texts(result.items[2].data) == ["生产经营单位", "个体工商户"]


def test_undecodable_csv_is_a_clear_error():
    result = CSV.read(b"\xff\xfe\x80\x81,\xff")
    assert result.errors and "UTF-8" in result.errors[0].message and "GB18030" in result.errors[0].message


def test_damaged_xlsx_is_an_error_not_an_exception():
    assert EXCEL.read(b"PK\x03\x04 not really a zip").errors
    assert EXCEL.read(xlsx([["无关", "列"], ["a", "b"]])).errors[0].message.startswith("找不到表头")


def test_excel_writer_round_trip_keeps_formula_like_text():
    question = build_question("single_choice", "=SUM(A1)是什么", options=["=1", "@2"], correct=[0], uid="q-1", points=2.5)
    content, left_out = EXCEL.write([question])
    assert not left_out
    assert EXCEL.read(content).items[0].data == question


def test_real_excel_bank_imports_completely():
    result = EXCEL.read(shared("xlsx", "yiban_qiye_anquan_guanliyuan.xlsx").read_bytes())
    assert not result.errors and not result.skipped
    assert len(result.items) == 299
    kinds = [item.data["type"] for item in result.items]
    assert kinds.count("single_choice") == 110 and kinds.count("multiple_choice") == 60 and kinds.count("true_false") == 129
    assert all(not item.data["stem"][:1].isdigit() for item in result.items)


def test_bad_points_difficulty_and_citation_are_column_errors():
    rows = [
        ["题干", "选项A", "选项B", "答案", "分值", "难度", "法条依据"],
        ["一", "甲", "乙", "A", "abc", "", ""],
        ["二", "甲", "乙", "A", "", "²", ""],
        ["三", "甲", "乙", "A", "", "", "《安全生产法》第百千条"],
        ["四", "甲", "乙", "A", "nan", "", ""],
    ]
    result = EXCEL.read(xlsx(rows))
    assert not result.items
    assert [(issue.line, issue.column) for issue in result.errors] == [(2, 5), (3, 6), (4, 7), (5, 5)]
