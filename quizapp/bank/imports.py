"""Import and export question banks: one transaction per import, duplicates reported, not added.

The readers and writers are in :mod:`quizapp.bank.formats`; this module owns
the database side. Semantics (issue 3): skipped items and duplicates are not
errors; any error means nothing is written unless ``partial``; ``dry_run``
writes nothing and reports what the same run would import. A question whose
uid is in the bank with other content is an update (a new version; attempts
keep the version they used); a file with no question in it is an error.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from quizapp.bank.formats import FORMATS, detect_format, get_format
from quizapp.bank.formats.base import Issue, Item, comparable, fingerprint_of
from quizapp.bank.formats.report import Entry, ImportReport
from quizapp.bank.formats.text import join_category
from quizapp.bank.models import Question, QuestionVersion
from quizapp.bank.services import is_live, question_data, version_hash
from quizapp.core.errors import ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db

CATEGORY_MAX = 200  # Question.category is String(200)


def normalise_category(value: str | None) -> str | None:
    """Return the category path *value* normalised: full-width ／ is /, segments trimmed, empty ones dropped; None when blank."""
    if value is None:
        return None
    segments = [segment.strip() for segment in value.replace("／", "/").split("/")]
    return "/".join(segment for segment in segments if segment) or None


def import_bank(
    data: bytes,
    *,
    filename: str = "",
    format_name: str | None = None,
    category: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    actor: str = "system:cli",
    review: bool = False,
    commit: bool = True,
) -> ImportReport:
    """Import the bank file *data* and return what happened.

    Questions go through the content lifecycle (:mod:`quizapp.bank.lifecycle`) as *actor*:
    published at once, or with *review* saved as drafts submitted for review (an upload
    by an editor), so a question nobody approved is never drawn. With *commit* False a
    successful import is flushed, not committed (the caller's transaction, e.g. a bank upload).

    *format_name* is a key of :data:`~quizapp.bank.formats.FORMATS`, detected
    from the content when None. *category* (``A/B``) is the parent of the
    categories in the file. A question whose uid exists is an update when its
    content (the versioned fields) differs from the current version's, else a
    duplicate; a new question is a duplicate when its fingerprint (normalised
    stem, options, key) equals that of an existing question's current version
    or of an earlier question in the file. A new question whose normalised
    stem is an existing question's is imported with a warning (perhaps an
    edited version without ids). Reading no question at all is an error.

    Raises:
        KeyError: for an unknown *format_name* (the CLI offers only known names).

    """
    name = format_name or detect_format(data, filename)
    if name is None:
        report = ImportReport(format="unknown", dry_run=dry_run)
        report.errors.append(Issue(0, f"{filename or '文件'}：无法识别格式，请用 --format 指定（{', '.join(FORMATS)}）"))
        return report
    result = get_format(name).read(data)
    report = ImportReport(format=name, skipped=list(result.skipped), dry_run=dry_run)
    report.errors = [Issue(0, f"{filename}：{issue.message}") if issue.line == 0 and filename else issue for issue in result.errors]
    if not result.items and not result.errors:
        report.errors.append(Issue(0, f"{filename + '：' if filename else ''}文件中没有找到可导入的题目"))
    candidates, updates = _without_duplicates(result.items, category, report)
    if report.errors and not partial:
        return report
    if dry_run:
        report.imported = [Entry(item.line, item.data["uid"]) for item in candidates if item.data["uid"] not in updates]
        report.updated = [Entry(item.line, item.data["uid"]) for item in candidates if item.data["uid"] in updates]
        return report
    report.imported, report.updated = _write(candidates, report, actor, review)
    if report.errors and not partial:
        db.session.rollback()
        report.imported, report.updated = [], []
        return report
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    report.written = bool(report.imported or report.updated)
    return report


def _existing() -> tuple[dict[str, str | None], dict[str, str], dict[str, str]]:
    """Return the bank's uid → current content hash, fingerprint → uid and normalised stem → uid (computed here: no column)."""
    version = QuestionVersion
    rows = db.session.execute(
        select(Question.uid, version.type, version.stem, version.options, version.key, version.content_hash).join(
            version, Question.current_version_id == version.id, isouter=True
        )
    ).all()
    uids = {row.uid: row.content_hash for row in rows}
    fingerprints = {
        fingerprint_of({"type": row.type, "stem": row.stem, "options": row.options, "key": row.key}): row.uid for row in rows if row.type
    }
    stems = {comparable(row.stem): row.uid for row in rows if row.stem}
    return uids, fingerprints, stems


def _without_duplicates(items: list[Item], category: str | None, report: ImportReport) -> tuple[list[Item], set[str]]:
    """Return the questions to save (new ones and updates) and the uids among them that are updates."""
    uids, fingerprints, stems = _existing()
    seen_uids: dict[str, int] = {}
    seen_fingerprints: dict[str, int] = {}
    kept, updates = [], set()
    for item in items:
        data = item.data
        data["category"] = join_category(category, data.get("category", ""))
        if len(data["category"]) > CATEGORY_MAX:
            report.errors.append(Issue(item.line, f"分类路径超过{CATEGORY_MAX}个字符"))
            continue
        digest = fingerprint_of(data)
        uid = data["uid"]
        if uid in uids and uids[uid] == version_hash(data):
            reason = "题库中已有同编号的题目"
        elif uid in seen_uids:
            reason = f"与本文件第{seen_uids[uid]}行的题目编号相同"
        elif uid in uids:  # the same question, edited: a new version
            seen_uids[uid], seen_fingerprints[digest] = item.line, item.line
            kept.append(item)
            updates.add(uid)
            continue
        elif digest in fingerprints:
            reason = f"与题库中的题目 {fingerprints[digest]} 内容相同"
        elif digest in seen_fingerprints:
            reason = f"与本文件第{seen_fingerprints[digest]}行的题目内容相同"
        else:
            seen_uids[uid], seen_fingerprints[digest] = item.line, item.line
            kept.append(item)
            if comparable(data["stem"]) in stems:
                existing = stems[comparable(data["stem"])]
                report.warnings.append(Issue(item.line, f"题干相同但答案或选项不同，可能是修改后的版本：已有题目 {existing}"))
            continue
        report.duplicates.append(Entry(item.line, uid, reason))
    return kept, updates


def _write(items: list[Item], report: ImportReport, actor: str, review: bool) -> tuple[list[Entry], list[Entry]]:
    """Save each question in its own savepoint, so a refused one can be reported and the rest kept; return created, updated."""
    from quizapp.bank import lifecycle

    write = lifecycle.submit_draft if review else lifecycle.publish
    created, updated = [], []
    now = utcnow()
    for item in items:
        try:
            with db.session.begin_nested():
                _, outcome = write(item.data, actor, now)
                db.session.flush()
        except ValidationFailed as exc:
            report.errors.append(Issue(item.line, exc.message))
        except SQLAlchemyError:
            report.errors.append(Issue(item.line, "数据库拒绝写入：与已有数据冲突，或有内容超出长度限制"))
        else:
            (created if outcome == "created" else updated).append(Entry(item.line, item.data["uid"]))
    return created, updated


def bank_questions() -> list[dict]:
    """Return every live question's current version (see ``is_live``) as ``save_question`` dicts, by category then uid."""
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(is_live())
        .order_by(Question.category, Question.uid)
    ).all()
    return [question_data(question, version) for question, version in rows]


def export_bank(format_name: str) -> tuple[bytes, int, list[Issue]]:
    """Write the whole active bank in *format_name*; return the file, the count written and the questions left out.

    Raises:
        KeyError: for an unknown format name.
        ValueError: for a format that has no writer.

    """
    fmt = get_format(format_name)
    if not fmt.can_write:
        raise ValueError(f"{format_name} 只能导入，不能导出")
    questions = bank_questions()
    content, left_out = fmt.write(questions)
    return content, len(questions) - len(left_out), left_out
