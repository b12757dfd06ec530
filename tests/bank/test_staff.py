"""The bank's workspace pages (/staff/bank): each role on each action, filters, upload through the browser."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.bank import lifecycle
from quizapp.bank.models import BankUpload, Question
from quizapp.bank.services import drawable_pool
from quizapp.bank.uploads import check_upload
from quizapp.publishing.models import Item
from tests.bank.formats.conftest import IMPORTS
from tests.bank.test_lifecycle import question

CSV = (IMPORTS / "template_utf8_bom.csv").read_bytes()


def upload_file(client, data: bytes = CSV, name: str = "template.csv", **fields):
    """POST a multipart upload, encoded in memory (the test client would spool a large body to an unclosed temporary file)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=name), **fields})
    return client.post("/staff/bank/uploads", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("path", ["/staff/bank/", "/staff/bank/uploads", "/staff/bank/questions/x", "/staff/bank/uploads/1"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and "/staff/login" in response.location and "next=" in response.location


def test_anonymous_upload_and_confirm_are_sent_to_the_login_page(client, db):
    assert "/staff/login" in upload_file(client).location
    assert "/staff/login" in client.post("/staff/bank/uploads/1/confirm").location
    assert db.session.scalar(select(func.count()).select_from(BankUpload)) == 0


@pytest.mark.parametrize("role", ["admin", "editor", "reviewer"])
def test_every_role_browses_the_bank_and_a_question(client, db, make_staff, login_as, role):
    db.session.commit()
    lifecycle.publish(question(), "staff:99")
    db.session.commit()
    login_as(client, make_staff(role))
    listing = client.get("/staff/bank/")
    assert listing.status_code == 200 and "lc-001" in listing.get_data(as_text=True)
    page = client.get("/staff/bank/questions/lc-001")
    assert page.status_code == 200 and "第 1 版（当前）" in page.get_data(as_text=True)
    assert client.get("/staff/bank/uploads").status_code == 200


@pytest.mark.parametrize(("role", "status"), [("admin", 403), ("editor", 302), ("reviewer", 302)])
def test_only_editors_and_reviewers_upload(client, db, make_staff, login_as, role, status):
    login_as(client, make_staff(role))
    assert upload_file(client).status_code == status
    assert db.session.scalar(select(func.count()).select_from(BankUpload)) == (0 if status == 403 else 1)


@pytest.mark.parametrize(("role", "status"), [("admin", 403), ("editor", 302), ("reviewer", 302)])
def test_only_editors_and_reviewers_confirm(client, db, make_staff, login_as, role, status):
    upload = check_upload(CSV, "t.csv", "staff:99")
    login_as(client, make_staff(role))
    assert client.post(f"/staff/bank/uploads/{upload.id}/confirm").status_code == status
    db.session.expire_all()
    assert db.session.get(BankUpload, upload.id).status == ("checked" if status == 403 else "imported")


def test_editor_upload_shows_the_dry_run_then_confirm_submits_for_review(client, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    response = upload_file(client)
    upload_id = int(re.search(r"/uploads/(\d+)$", response.location).group(1))
    report = client.get(f"/staff/bank/uploads/{upload_id}").get_data(as_text=True)
    assert "新增 <strong>11</strong> 题" in report and "提交审核" in report and "确认导入" in report
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0

    client.post(f"/staff/bank/uploads/{upload_id}/confirm")
    again = client.post(f"/staff/bank/uploads/{upload_id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "已经处理过" in again
    assert set(db.session.scalars(select(Item.status).where(Item.kind == "question"))) == {"in_review"}
    assert drawable_pool() == []


def test_reviewer_confirmation_publishes(client, db, make_staff, login_as):
    login_as(client, make_staff("reviewer"))
    upload_id = int(upload_file(client).location.rsplit("/", 1)[1])
    assert "直接发布" in client.get(f"/staff/bank/uploads/{upload_id}").get_data(as_text=True)
    client.post(f"/staff/bank/uploads/{upload_id}/confirm")
    assert len(drawable_pool()) == 11


def test_a_broken_upload_names_its_row_and_offers_no_confirmation(client, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    response = upload_file(client, (IMPORTS / "errors.csv").read_bytes(), "errors.csv", follow_redirects=True)
    page = client.get(response.location).get_data(as_text=True)
    assert "第 3 行" in page and "有错误，未导入" in page and "确认导入" not in page


def test_an_empty_or_too_large_file_is_refused_with_a_message(client, app, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    empty = upload_file(client, b"", "empty.csv")
    assert empty.status_code == 400 and "请选择要上传的文件" in empty.get_data(as_text=True) or "空" in empty.get_data(as_text=True)
    app.config["BANK_UPLOAD_MAX_BYTES"] = 100
    big = upload_file(client, CSV, "big.csv")
    assert big.status_code == 400 and "文件过大" in big.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BankUpload)) == 0


def test_a_file_over_one_mebibyte_is_accepted_on_this_route(client, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    padded = b"\x00" * (1024 * 1024 + 10)  # not a bank file: stored and rejected, not refused with 413
    response = upload_file(client, padded, "padded.bin")
    assert response.status_code == 302
    assert db.session.execute(select(BankUpload.size, BankUpload.status)).one() == (len(padded), "rejected")


def test_a_nul_in_the_category_is_refused_for_small_and_large_uploads(client, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    small = upload_file(client, category="安全\x00生产")
    assert small.status_code == 422  # the request-wide NUL check (quizapp.public.inputs)
    padded = CSV + b"\n" * (1024 * 1024)  # over MAX_CONTENT_LENGTH: the upload view's own limit and form apply
    large = upload_file(client, padded, category="安全\x00生产")
    assert large.status_code == 400
    assert "不可见或控制字符" in large.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BankUpload)) == 0


def test_upload_needs_the_csrf_token_when_csrf_is_on(client, app, db, make_staff, login_as):
    login_as(client, make_staff("editor"))
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload_file(client)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(BankUpload)) == 0


def test_filters_find_by_type_law_tag_difficulty_status_and_text(client, db, make_staff, login_as):
    lifecycle.publish(question(), "staff:99")
    basis = [{"law": "生产安全事故报告和调查处理条例", "article": 4, "quote": ""}]
    true_false = question("lc-tf", type="true_false", options=[], key=True, stem="判断：可以瞒报事故。", difficulty=4,
                          legal_basis=basis, tags=["事故报告"])
    lifecycle.publish(true_false, "staff:99")
    lifecycle.save_draft(question("lc-draft", stem="尚未审核的题目"), "staff:98")
    db.session.commit()
    login_as(client, make_staff("editor"))

    def listed(query: str) -> set[str]:
        return set(re.findall(r"<code>(lc-[a-z0-9-]+)</code>", client.get(f"/staff/bank/?{query}").get_data(as_text=True)))

    assert listed("") == {"lc-001", "lc-tf", "lc-draft"}
    assert listed("type=true_false") == {"lc-tf"}
    assert listed("law=生产安全事故报告和调查处理条例") == {"lc-tf"}
    assert listed("tag=主要负责人") == {"lc-001", "lc-draft"}
    assert listed("difficulty=4") == {"lc-tf"}
    assert listed("status=draft") == {"lc-draft"}
    assert listed("text=瞒报") == {"lc-tf"}
    assert listed("text=尚未审核") == {"lc-draft"}
    assert listed("category=安全生产法") == {"lc-001", "lc-tf", "lc-draft"}
