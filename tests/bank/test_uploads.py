"""Bank uploads (quizapp.bank.uploads): stored file, dry run, import only on confirmation, once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.bank.models import BankUpload, Question
from quizapp.bank.services import drawable_pool
from quizapp.bank.uploads import check_upload, confirm_upload
from quizapp.core.errors import ValidationFailed
from quizapp.publishing.models import AuditLog, Item
from tests.bank.formats.conftest import IMPORTS, shared

EDITOR, REVIEWER = "staff:1", "staff:2"


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_stores_the_file_and_its_report_and_imports_nothing(db):
    data = (IMPORTS / "template_utf8_bom.csv").read_bytes()
    upload = check_upload(data, "template_utf8_bom.csv", EDITOR)

    stored = db.session.get(BankUpload, upload.id)
    assert (stored.status, stored.format, stored.size, stored.data) == ("checked", "csv", len(data), data)
    assert (stored.report["imported"], stored.report["updated"], stored.report["errors"]) == (11, 0, [])
    assert count(db, Question) == 0
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.target == f"bank_upload:{upload.id}")) == "bank_upload_check"


def test_an_editors_confirmation_submits_for_review_and_nothing_is_drawn(db):
    upload = check_upload((IMPORTS / "template_utf8_bom.csv").read_bytes(), "t.csv", EDITOR)
    done, imported = confirm_upload(upload.id, EDITOR, publish=False)

    assert imported and done.status == "imported" and done.result["imported"] == 11
    statuses = set(db.session.scalars(select(Item.status).where(Item.kind == "question")))
    assert statuses == {"in_review"}
    assert count(db, Question) == 11 and drawable_pool() == []


def test_a_reviewers_confirmation_publishes(db):
    upload = check_upload((IMPORTS / "template_utf8_bom.csv").read_bytes(), "t.csv", EDITOR)
    confirm_upload(upload.id, REVIEWER, publish=True)

    assert len(drawable_pool()) == 11
    assert set(db.session.scalars(select(Item.status).where(Item.kind == "question"))) == {"published"}
    row = db.session.scalar(select(AuditLog).where(AuditLog.target == f"bank_upload:{upload.id}", AuditLog.action == "bank_upload"))
    assert row.actor == REVIEWER and "新增 11" in row.detail


def test_a_second_confirmation_changes_nothing(db):
    upload = check_upload((IMPORTS / "template_utf8_bom.csv").read_bytes(), "t.csv", EDITOR)
    confirm_upload(upload.id, REVIEWER, publish=True)
    items, audits = count(db, Item), count(db, AuditLog)

    again, imported = confirm_upload(upload.id, REVIEWER, publish=True)
    assert not imported and again.status == "imported"
    assert (count(db, Item), count(db, AuditLog)) == (items, audits)


def test_a_broken_file_is_rejected_names_its_rows_and_imports_nothing(db):
    upload = check_upload((IMPORTS / "errors.csv").read_bytes(), "errors.csv", EDITOR)

    assert upload.status == "rejected" and upload.finished_at is not None
    lines = sorted({error["line"] for error in upload.report["errors"]})
    assert lines == [3, 5]  # 答案写错的一题: key Z is not an option; line 5 is an option without a stem (问答题, line 4, is skipped)
    assert upload.report["skipped"][0]["line"] == 4
    _, imported = confirm_upload(upload.id, REVIEWER, publish=True)
    assert not imported and count(db, Question) == 0 and count(db, Item) == 0


def test_a_row_that_fails_only_at_import_time_rolls_everything_back(db, monkeypatch):
    upload = check_upload((IMPORTS / "template_utf8_bom.csv").read_bytes(), "t.csv", EDITOR)
    from quizapp.bank import lifecycle

    real = lifecycle.publish

    def fail_on_third(data, actor, now=None, note=""):
        if data["stem"].startswith("3") or "事故隐患排查" in data["stem"]:
            raise ValidationFailed("模拟的写入错误")
        return real(data, actor, now, note)

    monkeypatch.setattr(lifecycle, "publish", fail_on_third)
    done, imported = confirm_upload(upload.id, REVIEWER, publish=True)

    assert not imported and done.status == "rejected"
    assert [error["line"] for error in done.result["errors"]] == [4]
    assert count(db, Question) == 0 and count(db, Item) == 0


def test_wrong_encoding_and_unknown_format_are_clear_errors(db):
    latin = "题干,答案\n".encode("utf-16")
    upload = check_upload(latin, "bank.bin", EDITOR)
    assert upload.status == "rejected"
    assert upload.report["errors"] and all(error["message"] for error in upload.report["errors"])
    with pytest.raises(ValidationFailed, match="空"):
        check_upload(b"", "empty.csv", EDITOR)
    with pytest.raises(ValidationFailed, match="文件过大"):
        check_upload(b"x" * 11, "big.csv", EDITOR, max_bytes=10)


def test_the_real_excel_bank_imports_299_questions(db):
    data = shared("xlsx", "yiban_qiye_anquan_guanliyuan.xlsx").read_bytes()
    upload = check_upload(data, "yiban_qiye_anquan_guanliyuan.xlsx", EDITOR)
    assert (upload.status, upload.format, upload.report["imported"]) == ("checked", "excel", 299)

    confirm_upload(upload.id, REVIEWER, publish=True)
    assert count(db, Question) == 299 and len(drawable_pool()) == 299
