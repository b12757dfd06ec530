"""Bank upload in the workspace: store the file, show a dry run, import only on confirmation.

The file is kept in ``bank_upload`` (bytes in the database), so whichever app instance
receives the confirmation reads it from there and finishes the import. Rules:

- :func:`check_upload` stores the file and its dry-run report (:func:`quizapp.bank.imports.import_bank`
  with ``dry_run``). A file with errors is ``rejected`` at once and can never be imported.
- :func:`confirm_upload` claims the upload with a conditional ``UPDATE … WHERE status = 'checked'``
  in the transaction that writes the questions: a second confirmation (a double click, another
  instance) finds nothing to claim and changes nothing. Any error in any row means nothing is
  imported (no ``partial``); the rows are named in the stored result.
- Workflow (documented in docs/workspace.md): an upload confirmed by a reviewer publishes its
  questions at once (the dry-run report is the review); one confirmed by an editor without the
  reviewer role saves each new or changed question as a revision submitted for review, so
  nothing is drawn before a reviewer approves it. Both are audit-logged (``bank_upload_check``,
  ``bank_upload``) with the target ``bank_upload:<id>``, and every item keeps its own rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from quizapp.bank.formats import FORMATS
from quizapp.bank.imports import import_bank
from quizapp.bank.models import BankUpload
from quizapp.core.errors import NotFound, ValidationFailed
from quizapp.core.pagination import checked_page
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.services import record_audit

#: Default size limit of an uploaded bank file (bytes); setting ``BANK_UPLOAD_MAX_BYTES``.
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
PER_PAGE = 20


def _summary(report: dict) -> str:
    counts = (report.get("imported", 0), report.get("updated", 0), report.get("duplicates", 0), len(report.get("errors", [])))
    return "新增 {}，更新 {}，重复 {}，错误 {}".format(*counts)


def check_upload(data: bytes, filename: str, uploader: str, *, format_name: str | None = None, category: str | None = None,
                 max_bytes: int = MAX_UPLOAD_BYTES, now: datetime | None = None) -> BankUpload:  # fmt: skip
    """Store an uploaded bank file with its dry-run report; return the upload (``checked`` or ``rejected``). Commits.

    *format_name* is a key of :data:`~quizapp.bank.formats.FORMATS` or None (detected);
    *category* (``A/B``) is the parent category of the file's questions; *uploader* is the
    actor (``staff:<id>``). Encoding and format problems are errors of the report.

    Raises:
        ValidationFailed: for an empty file, one larger than *max_bytes*, or an unknown format name.

    """
    now = now or utcnow()
    if not data:
        raise ValidationFailed("上传的文件是空的")
    if len(data) > max_bytes:
        raise ValidationFailed(f"文件过大：{len(data) / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB，请拆分后分批上传")
    if format_name and format_name not in FORMATS:
        raise ValidationFailed(f"未知格式 {format_name}")
    report = import_bank(data, filename=filename, format_name=format_name or None, category=category or None, dry_run=True)
    db.session.rollback()  # the dry run only read; start the write cleanly
    result = report.as_dict()
    upload = BankUpload(filename=(filename or "upload")[:255], format=report.format[:20], category=category or "", size=len(data),
                        data=data, uploader=uploader, status="checked" if report.ok else "rejected", report=result,
                        result={}, created_at=now, finished_at=None if report.ok else now)  # fmt: skip
    db.session.add(upload)
    db.session.flush()
    detail = f"{upload.filename}（试导入）：{_summary(result)}"
    record_audit(uploader, "bank_upload_check", target=f"bank_upload:{upload.id}", detail=detail, now=now)
    db.session.commit()
    return upload


def confirm_upload(upload_id: int, actor: str, *, publish: bool, now: datetime | None = None) -> tuple[BankUpload, bool]:
    """Import a checked upload as *actor*; return the upload and whether this call imported it. Commits.

    *publish* True (the confirming staff member is a reviewer) makes the questions live at
    once; False submits them for review. A second call, or a call for a rejected upload,
    returns ``False`` and writes nothing. When the import finds an error (the bank changed
    since the dry run) nothing is imported and the upload becomes ``rejected`` with the
    errors in ``result``.

    Raises:
        NotFound: for an unknown upload id.

    """
    now = now or utcnow()
    upload = db.session.get(BankUpload, upload_id)
    if upload is None:
        raise NotFound("上传记录不存在")
    claimed = db.session.execute(
        update(BankUpload)
        .where(BankUpload.id == upload_id, BankUpload.status == "checked")
        .values(status="imported", confirmed_by=actor, finished_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return db.session.get(BankUpload, upload_id), False
    report = import_bank(upload.data, filename=upload.filename, format_name=upload.format if upload.format in FORMATS else None,
                         category=upload.category or None, actor=actor, review=not publish, commit=False)  # fmt: skip
    result = report.as_dict()
    if not report.ok:
        db.session.rollback()
        db.session.execute(
            update(BankUpload).where(BankUpload.id == upload_id, BankUpload.status == "checked")
            .values(status="rejected", result=result, confirmed_by=actor, finished_at=now)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        detail = f"{upload.filename}：{_summary(result)}"
        record_audit(actor, "bank_upload_failed", target=f"bank_upload:{upload_id}", detail=detail, now=now)
        db.session.commit()
        db.session.refresh(upload)
        return upload, False
    stored = update(BankUpload).where(BankUpload.id == upload_id).values(result=result)
    db.session.execute(stored.execution_options(synchronize_session=False))
    detail = f"{upload.filename}（{'直接发布' if publish else '提交审核'}）：{_summary(result)}"
    record_audit(actor, "bank_upload", target=f"bank_upload:{upload_id}", detail=detail, now=now)
    db.session.commit()
    db.session.refresh(upload)
    return upload, True


def upload_page(page: int) -> tuple[list[BankUpload], int, int]:
    """Return ``(uploads newest first, page, total)``; raise NotFound past the last page."""
    total = db.session.scalar(select(func.count()).select_from(BankUpload)) or 0
    page = checked_page(page, total, PER_PAGE)
    rows = db.session.scalars(select(BankUpload).order_by(BankUpload.created_at.desc(), BankUpload.id.desc())
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE))  # fmt: skip
    return list(rows), page, total


def get_upload(upload_id: int) -> BankUpload:
    """Return the upload *upload_id*.

    Raises:
        NotFound: for an unknown id.

    """
    upload = db.session.get(BankUpload, upload_id)
    if upload is None:
        raise NotFound("上传记录不存在")
    return upload
