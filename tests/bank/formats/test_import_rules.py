"""Import rules from the fresh-eyes review: identity, updates, empty files, categories, export errors."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from quizapp.bank.imports import bank_questions, export_bank, import_bank
from quizapp.bank.models import Question, QuestionVersion
from tests.bank.formats.conftest import docx_bytes, xlsx

HEADER = ["题目编号", "题型", "题干", "选项A", "选项B", "正确答案"]


def _count(db, model=Question) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_two_banks_numbered_one_to_three_are_both_imported(db):
    first = xlsx([HEADER, *([n, "单选题", f"甲{n}是？", "甲", "乙", "A"] for n in (1, 2, 3))])
    second = xlsx([HEADER, *([n, "单选题", f"乙{n}是？", "甲", "乙", "B"] for n in (1, 2, 3))])
    assert len(import_bank(first).imported) == 3
    report = import_bank(second)
    assert report.ok and len(report.imported) == 3 and not report.duplicates and _count(db) == 6


def test_same_uid_with_new_content_is_an_update_with_a_new_version(db, runner):
    import_bank(xlsx([HEADER, ["aqsf-q1", "单选题", "甲是？", "甲", "乙", "A"]]))
    (old_version_id,) = db.session.scalars(select(QuestionVersion.id)).all()
    edited = xlsx([HEADER, ["aqsf-q1", "单选题", "甲是什么？", "甲", "乙", "A"]])
    report = import_bank(edited)
    assert report.ok and report.imported == [] and [(entry.line, entry.uid) for entry in report.updated] == [(2, "aqsf-q1")]
    assert report.as_dict()["updated"] == 1 and report.as_dict()["imported"] == 0
    assert _count(db) == 1 and _count(db, QuestionVersion) == 2  # the old version stays for the attempts that used it
    assert db.session.get(QuestionVersion, old_version_id).stem == "甲是？"
    assert bank_questions()[0]["stem"] == "甲是什么？"
    again = import_bank(edited)
    assert again.updated == [] and [entry.reason for entry in again.duplicates] == ["题库中已有同编号的题目"]


def test_cli_reports_updates(db, runner, tmp_path):
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx([HEADER, ["aqsf-q1", "单选题", "甲是？", "甲", "乙", "A"]]))
    runner.invoke(args=["bank", "import", str(path)])
    path.write_bytes(xlsx([HEADER, ["aqsf-q1", "单选题", "甲是什么？", "甲", "乙", "A"]]))
    result = runner.invoke(args=["bank", "import", str(path), "--dry-run"])
    assert result.exit_code == 0 and "would import 0, would update 1," in result.output
    result = runner.invoke(args=["bank", "import", str(path), "--report", "json"])
    assert json.loads(result.output)["updated"] == 1 and _count(db, QuestionVersion) == 2


def test_new_question_with_an_existing_stem_but_another_key_is_imported_with_a_warning(db):
    first = import_bank("甲是？\nA. 甲\nB. 乙\nANSWER: A\n".encode())
    report = import_bank("甲 是？\nA. 甲\nB. 丙\nANSWER: B\n".encode())
    assert report.ok and len(report.imported) == 1 and _count(db) == 2
    existing = first.imported[0].uid
    assert report.as_dict()["warnings"] == [
        {"line": 1, "message": f"题干相同但答案或选项不同，可能是修改后的版本：已有题目 {existing}"}
    ]


def test_finding_no_questions_is_an_error(db, runner, tmp_path):
    cases = [
        (b"", "a.gift", None),
        (b"// only a comment\n", "a.gift", None),
        (xlsx([HEADER]), "a.xlsx", None),
        (docx_bytes(["2024年知识竞赛试卷"]), "a.docx", None),
        ("// [id:q1]\n甲是？{=甲 ~乙}\n".encode(), "a.gift", "text"),
    ]
    for data, filename, format_name in cases:
        report = import_bank(data, filename=filename, format_name=format_name)
        assert [issue.message for issue in report.errors] == [f"{filename}：文件中没有找到可导入的题目"], filename
    path = tmp_path / "empty.gift"
    path.write_bytes(b"\n")
    result = runner.invoke(args=["bank", "import", str(path)])
    assert result.exit_code == 1 and "文件中没有找到可导入的题目" in result.output


def test_markup_never_reaches_storage(db):
    row = [None, "单选题", "<script>alert(1)</script>甲是？", '<img src=x onerror="alert(1)">甲', "乙", "A"]
    row.append('<a href="javascript:x()">见</a>')
    rows = [[*HEADER, "解析"], row]
    assert import_bank(xlsx(rows)).ok
    (question,) = bank_questions()
    assert (question["stem"], question["options"][0]["text"], question["explanation"]) == ("甲是？", "甲", "见")


def test_category_option_is_normalised(runner, db, tmp_path):
    file = tmp_path / "a.txt"
    file.write_text("甲是？\nA. 甲\nB. 乙\nANSWER: A\n", encoding="utf-8")
    result = runner.invoke(args=["bank", "import", str(file), "--category", " 竞赛 ／ 2024 // 决赛 "])
    assert result.exit_code == 0, result.output
    assert bank_questions()[0]["category"] == "竞赛/2024/决赛"
    for blank in (" ", " / ／ "):
        result = runner.invoke(args=["bank", "import", str(file), "--category", blank])
        assert result.exit_code == 2 and "--category" in result.output


def test_export_to_a_missing_directory_is_a_clean_error(runner, db, tmp_path):
    import_bank("甲是？\nA. 甲\nB. 乙\nANSWER: A\n".encode())
    result = runner.invoke(args=["bank", "export", "--format", "gift", str(tmp_path / "missing" / "bank.gift")])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "目录不存在" in result.output


def test_excel_export_writes_questions_whose_quote_has_quotation_marks(db):
    from quizapp.bank.formats.base import build_question
    from quizapp.bank.services import save_question

    basis = [{"law": "安全生产法", "article": 3, "quote": "坚持“安全第一”"}]
    save_question(build_question("true_false", "安全第一。", answer=True, uid="q-quote", legal_basis=basis))
    db.session.commit()
    _, count, left_out = export_bank("excel")
    assert count == 1 and not left_out
