"""The import operation: one transaction, duplicates, dry run, partial, categories, export."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.bank.formats import FORMATS
from quizapp.bank.imports import bank_questions, export_bank, import_bank
from quizapp.bank.models import Question
from tests.bank.formats.conftest import IMPORTS, shared

AIKEN_OK = "甲是？\nA. 甲\nB. 乙\nANSWER: A\n\n乙是？\nA. 甲\nB. 乙\nANSWER: B\n".encode()
AIKEN_WITH_ERROR = AIKEN_OK + "\n丙是？\nA. 丙\nANSWER: A\n".encode()


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Question))


def test_import_writes_and_reports(db):
    report = import_bank(AIKEN_OK, filename="a.txt")
    assert report.ok and report.written and report.format == "aiken"
    assert [entry.line for entry in report.imported] == [1, 6] and _count(db) == 2


def test_any_error_writes_nothing(db):
    report = import_bank(AIKEN_WITH_ERROR, filename="a.txt")
    assert not report.ok and not report.written and report.imported == [] and _count(db) == 0
    assert report.as_dict()["errors"] == [{"line": 13, "column": 0, "message": "第11行的题目至少需要两个选项，只有1个"}]


def test_partial_writes_the_valid_questions(db):
    report = import_bank(AIKEN_WITH_ERROR, filename="a.txt", partial=True)
    assert not report.ok and report.written and len(report.imported) == 2 and _count(db) == 2


def test_dry_run_writes_nothing_and_reports_what_would_be_imported(db):
    report = import_bank(AIKEN_OK, filename="a.txt", dry_run=True)
    assert report.ok and len(report.imported) == 2 and not report.written and _count(db) == 0
    assert import_bank(AIKEN_WITH_ERROR, dry_run=True).imported == []
    assert len(import_bank(AIKEN_WITH_ERROR, dry_run=True, partial=True).imported) == 2


def test_duplicates_by_uid_and_by_content_are_reported_not_added(db):
    import_bank(AIKEN_OK)
    again = import_bank(AIKEN_OK)
    assert again.ok and again.imported == [] and [entry.reason for entry in again.duplicates] == ["题库中已有同编号的题目"] * 2
    # the same question re-typed in another layout derives the same uid from its fingerprint
    retyped = import_bank("1. 甲是？\nA、 甲\nB、乙\n答案：A\n".encode("gbk"), filename="paper.txt")
    assert retyped.format == "text" and retyped.imported == [] and len(retyped.duplicates) == 1
    # with a stable id of its own, the fingerprint still finds it
    with_id = import_bank("// [id:gift-1]\n甲是？{=甲 ~乙}\n".encode(), filename="a.gift")
    assert with_id.imported == [] and with_id.duplicates[0].reason.startswith("与题库中的题目 imp-")
    assert _count(db) == 2


def test_duplicate_within_the_file(db):
    report = import_bank(AIKEN_OK + b"\n" + AIKEN_OK)
    assert len(report.imported) == 2
    assert [entry.reason for entry in report.duplicates] == ["与本文件第1行的题目编号相同", "与本文件第6行的题目编号相同"]


def test_same_content_under_a_new_version_is_compared_with_the_current_version(db, app):
    from quizapp.bank.services import save_question

    report = import_bank(AIKEN_OK)
    (question,) = [data for data in bank_questions() if data["uid"] == report.imported[0].uid]
    save_question({**question, "stem": "甲是什么？"})
    db.session.commit()
    again = import_bank(AIKEN_OK, dry_run=True)  # same uid, other content than the current version: an update
    assert [entry.line for entry in again.updated] == [1] and [entry.line for entry in again.duplicates] == [6]
    changed = import_bank("甲是什么？\nA. 甲\nB. 乙\nANSWER: A\n".encode())
    assert changed.duplicates[0].reason == f"与题库中的题目 {question['uid']} 内容相同"


def test_category_option_is_the_parent(db):
    report = import_bank((IMPORTS / "safety.gift").read_bytes(), category="培训/2024")
    assert report.ok and len(report.imported) == 4 and [issue.line for issue in report.skipped] == [24, 26]
    categories = {data["category"] for data in bank_questions()}
    assert categories == {"培训/2024/安全生产法/总则"}


def test_unknown_format_and_undecodable_file_are_errors_naming_the_file(db):
    assert "x.bin" in import_bank(b"\x00\x01 nothing", filename="x.bin").errors[0].message
    report = import_bank(b"\xff\xfe\xfa", filename="bad.csv", format_name="csv")
    assert "bad.csv" in report.errors[0].message and "GB18030" in report.errors[0].message


def test_export_then_import_into_an_empty_bank_is_identical(db, app):
    import_bank((IMPORTS / "template_utf8_bom.csv").read_bytes())
    before = bank_questions()
    content, count, left_out = export_bank("excel")
    assert count == len(before) == 11 and not left_out
    for model in (Question,):
        db.session.execute(model.__table__.update().values(current_version_id=None))
    db.session.query(Question).delete()
    db.session.commit()
    assert import_bank(content).ok
    assert bank_questions() == before


def test_real_excel_bank_imports_completely(db):
    report = import_bank(shared("xlsx", "yiban_qiye_anquan_guanliyuan.xlsx").read_bytes(), filename="bank.xlsx")
    assert report.ok and report.written and len(report.imported) == 299 and not report.duplicates and _count(db) == 299


def test_writers_report_what_they_leave_out(db):
    import_bank((IMPORTS / "template_utf8_bom.csv").read_bytes())
    _, count, left_out = export_bank("aiken")
    assert count == 1 and len(left_out) == 10  # Aiken holds single choice only
    _, count, left_out = export_bank("gift")
    assert count == 10 and "多空" in left_out[0].message
    assert not FORMATS["csv"].can_write
