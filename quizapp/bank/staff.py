"""Workspace pages of the question bank (``/staff/bank``): browser, a question's page, uploads.

Roles: editors, reviewers and admins browse; editors and reviewers upload and confirm
(a reviewer's confirmation publishes, an editor's submits for review: see
:mod:`quizapp.bank.uploads`); admins see everything but do not import.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.accounts.access import current_actor, role_required
from quizapp.bank import browse, uploads
from quizapp.bank.forms import BankFilterForm, ConfirmForm, UploadForm, choices
from quizapp.bank.imports import normalise_category
from quizapp.bank.models import TYPE_LABELS
from quizapp.core.errors import ValidationFailed
from quizapp.core.pagination import page_count
from quizapp.extensions import csrf
from quizapp.workspace import register_nav

bp = Blueprint("bank_staff", __name__, url_prefix="/staff/bank", template_folder="templates")

BROWSE = ("admin", "editor", "reviewer")
IMPORT = ("editor", "reviewer")
#: Form overhead allowed above the file size limit (multipart boundaries, the other fields).
FORM_OVERHEAD = 64 * 1024


def _upload_limit() -> int:
    return int(current_app.config.get("BANK_UPLOAD_MAX_BYTES", uploads.MAX_UPLOAD_BYTES))


@bp.get("/")
@role_required(*BROWSE)
def index():
    """List questions with filters (type, category, law, difficulty, tag, status, text), paginated."""
    form = BankFilterForm(request.args)
    form.category.choices = choices([("", "全部")] + [(value, value) for value in browse.categories()])
    form.law.choices = choices([("", "全部")] + [(value, value) for value in browse.facet_values("law")])
    form.tag.choices = choices([("", "全部")] + [(value, value) for value in browse.facet_values("tag")])
    flt = browse.BankFilter()
    if form.validate():
        flt = browse.BankFilter(form.type.data or "", form.category.data or "", form.law.data or "",
                                int(form.difficulty.data) if form.difficulty.data else None, form.tag.data or "",
                                form.status.data or "", (form.text.data or "").strip())  # fmt: skip
    rows, page, total = browse.question_page(flt, request.args.get("page", 1, type=int))
    return render_template("bank_staff/index.html", form=form, rows=rows, page=page, total=total,
                           pages=page_count(total, browse.PER_PAGE), type_labels=TYPE_LABELS)  # fmt: skip


@bp.get("/questions/<path:uid>")
@role_required(*BROWSE)
def question(uid: str):
    """A question: its approved versions, its lifecycle revisions and where it is used."""
    found = browse.get_question(uid)
    return render_template("bank_staff/question.html", question=found, versions=browse.versions_of(found),
                           revisions=browse.revisions_of(found), use=browse.question_use(found))  # fmt: skip


@bp.get("/uploads")
@role_required(*BROWSE)
def upload_list():
    """Past uploads and, for editors and reviewers, the upload form."""
    rows, page, total = uploads.upload_page(request.args.get("page", 1, type=int))
    form = UploadForm() if current_user.has_role(*IMPORT) else None
    return render_template("bank_staff/uploads.html", rows=rows, page=page, total=total, form=form,
                           pages=page_count(total, uploads.PER_PAGE), limit_mb=_upload_limit() // 1048576)  # fmt: skip


@bp.post("/uploads")
@csrf.exempt  # checked by UploadForm itself, after the larger body limit below is set
@role_required(*IMPORT)
def upload():
    """Store the file and run the dry run; show the report."""
    request.max_content_length = _upload_limit() + FORM_OVERHEAD  # this route only (MAX_CONTENT_LENGTH is 1 MiB)
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        form.file.data.close()  # a file over 500 KB was spooled to a temporary file
        try:
            created = uploads.check_upload(data, form.file.data.filename or "", current_actor(), format_name=form.format.data or None,
                                           category=normalise_category(form.category.data), max_bytes=_upload_limit())  # fmt: skip
        except ValidationFailed as exc:
            form.file.errors.append(exc.message)
        else:
            if created.status == "checked":
                flash("文件已检查，请查看试导入报告后确认导入", "info")
            else:
                flash("文件有错误，没有导入任何题目", "error")
            return redirect(url_for(".upload_detail", upload_id=created.id))
    rows, page, total = uploads.upload_page(1)
    return render_template("bank_staff/uploads.html", rows=rows, page=page, total=total, form=form,
                           pages=page_count(total, uploads.PER_PAGE), limit_mb=_upload_limit() // 1048576), 400  # fmt: skip


@bp.get("/uploads/<int:upload_id>")
@role_required(*BROWSE)
def upload_detail(upload_id: int):
    """The dry-run report of an upload and, while it waits, the confirmation button."""
    found = uploads.get_upload(upload_id)
    form = ConfirmForm() if found.status == "checked" and current_user.has_role(*IMPORT) else None
    return render_template("bank_staff/upload.html", upload=found, form=form, publishes=current_user.has_role("reviewer"))


@bp.post("/uploads/<int:upload_id>/confirm")
@role_required(*IMPORT)
def confirm(upload_id: int):
    """Import a checked upload (a second confirmation changes nothing)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        done, imported = uploads.confirm_upload(upload_id, current_actor(), publish=current_user.has_role("reviewer"))
        if imported:
            result = done.result
            how = "已发布" if current_user.has_role("reviewer") else "已提交审核"
            flash(f"导入完成（{how}）：新增 {result['imported']} 题，更新 {result['updated']} 题", "success")
        elif done.status == "rejected":
            flash("导入时发现错误，没有导入任何题目，详见报告", "error")
        else:
            flash("该文件已经处理过，本次没有重复导入", "info")
    return redirect(url_for(".upload_detail", upload_id=upload_id))


register_nav("题库", "bank_staff.index", BROWSE, order=20)
