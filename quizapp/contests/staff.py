"""Workspace pages for competitions (竞赛管理): list, view, preview, create, edit, duplicate, publish, open or close early.

Who may do what (docs/workspace.md, "Competitions"): every staff member views and previews;
admins and editors create, edit and duplicate (as drafts); admins and reviewers publish or
withdraw and open or close early — what the public can see and do, as in the content workflow.
"""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.accounts.access import current_actor, role_required
from quizapp.contests import actions, admin
from quizapp.contests.forms import StartForm
from quizapp.contests.models import AUDIENCES
from quizapp.contests.paper_check import PaperCheck
from quizapp.contests.presenters import paper_size
from quizapp.contests.services import get_competition
from quizapp.contests.staff_forms import CompetitionForm, ConfirmForm, DuplicateForm, PaperRuleForm, RuleCountQuery
from quizapp.core.errors import DomainError, ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.workspace import register_nav, register_panel
from quizapp.workspace.audit import action_label, actor_names

staff_bp = Blueprint("contests_staff", __name__, url_prefix="/staff/competitions")

STAFF_ROLES = ("admin", "editor", "reviewer")
EDIT_ROLES = ("admin", "editor")
WINDOW_ROLES = ("admin", "reviewer")
PUBLISH_ROLES = WINDOW_ROLES
STATUS_LABELS = {"upcoming": "未开始", "open": "进行中", "closed": "已结束"}


@staff_bp.app_context_processor
def competition_labels():
    """Give templates the status and audience labels."""
    return {"competition_status_labels": STATUS_LABELS, "audience_labels": AUDIENCES}


@staff_bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """List competitions with status, window (local time) and participant counts."""
    return render_template("contests/staff/index.html", rows=admin.competition_rows(), may_edit=current_user.has_role(*EDIT_ROLES))


@staff_bp.get("/<int:competition_id>")
@role_required(*STAFF_ROLES)
def view(competition_id: int):
    """Show one competition's settings, the live rule check, actions and its audit trail."""
    competition = get_competition(competition_id)
    return render_template(
        "contests/staff/view.html",
        competition=competition,
        check=admin.check_rule(competition.paper_rule or {}),
        attempts=admin.attempt_count(competition_id),
        trail=admin.audit_trail(competition_id),
        action_label=action_label,
        names=actor_names(),
        confirm=ConfirmForm(),
        may_edit=current_user.has_role(*EDIT_ROLES),
        may_move_window=current_user.has_role(*WINDOW_ROLES),
        may_publish=current_user.has_role(*PUBLISH_ROLES),
    )


@staff_bp.get("/<int:competition_id>/preview")
@role_required(*STAFF_ROLES)
def preview(competition_id: int):
    """Show the public competition page as participants will see it, for drafts too (entry disabled)."""
    competition = get_competition(competition_id)
    form = StartForm.for_competition(competition)
    return render_template("contests/detail.html", competition=competition, form=form, question_count=paper_size(competition),
                           mine=[], open_attempt=None, preview=True)  # fmt: skip


@staff_bp.route("/new", methods=["GET", "POST"])
@role_required(*EDIT_ROLES)
def new():
    """Create a competition."""
    form = CompetitionForm()
    if not form.is_submitted():
        form.fill_rule({"rules": []})
    return _editor(form, None)


@staff_bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@role_required(*EDIT_ROLES)
def edit(competition_id: int):
    """Edit a competition; existing papers keep their questions (the page says so)."""
    competition = get_competition(competition_id)
    form = CompetitionForm()
    if not form.is_submitted():
        form.fill(competition)
        form.version.data = admin.settings_version(competition)
    return _editor(form, competition)


def _editor(form: CompetitionForm, competition):
    """Recount (重新计算: nothing saved), or validate and save with one service call, or show the form."""
    status = 200
    if form.is_submitted() and form.recount.data:
        form.rules.validate(form)
    elif form.validate_on_submit():
        try:
            if competition is None:
                created = admin.create_competition(form.settings(), current_actor())
                flash(f"已创建竞赛「{created.title}」（草稿，未发布：管理员或审核员检查后发布）", "success")
                return redirect(url_for("contests_staff.view", competition_id=created.id))
            changed = admin.update_competition(competition.id, form.settings(), current_actor(), based_on=form.version.data or None)
            flash(f"已保存，修改了 {len(changed)} 项设置" if changed else "没有修改任何设置", "success")
            return redirect(url_for("contests_staff.view", competition_id=competition.id))
        except ValidationFailed as exc:
            form.show_errors(exc.fields)
            status = 422
        except DomainError as exc:
            form.form_errors.append(exc.message)
            status = exc.status
    elif form.is_submitted():
        status = 422
    check = admin.check_rule(form.paper_rule())
    form.add_spare_rows()
    attempts = admin.attempt_count(competition.id) if competition is not None else 0
    page = render_template("contests/staff/form.html", form=form, competition=competition, check=check,
                           row_counts=_row_counts(form, check), attempts=attempts, categories=admin.bank_categories())  # fmt: skip
    return page, status


def _row_counts(form: PaperRuleForm, check: PaperCheck) -> dict[int, dict]:
    """Map each filled rule row (form row number) to its count, for the row's <output>."""
    return {row: count.as_dict() for (row, _), count in zip(form.rule_rows(), check.rules, strict=False)}


@staff_bp.get("/rule-counts")
@role_required(*STAFF_ROLES)
def rule_counts():
    """JSON for the live count: the editor's rule fields in the query string → :meth:`PaperCheck.as_dict` + ``rows``.

    ``rows[i]`` is the form row number of ``rules[i]`` (empty rows are skipped).
    """
    form = RuleCountQuery(request.args)
    form.rules.validate(form)
    check = admin.check_rule(form.paper_rule())
    rows = [row for row, _ in form.rule_rows()]
    row_errors = {row: error for row, rule_form in form.rule_rows() for error in rule_form.difficulty.errors[:1]}
    return jsonify({**check.as_dict(), "rows": rows, "row_errors": {str(row): error for row, error in row_errors.items()}})


@staff_bp.route("/<int:competition_id>/duplicate", methods=["GET", "POST"])
@role_required(*EDIT_ROLES)
def duplicate(competition_id: int):
    """Copy a competition under a new slug and title (an upcoming draft, without participants)."""
    competition = get_competition(competition_id)
    form = DuplicateForm()
    if not form.is_submitted():
        form.slug.data, form.title.data = actions.suggest_copy(competition_id)
    status = 200
    if form.validate_on_submit():
        try:
            copy = actions.duplicate_competition(competition_id, form.slug.data, form.title.data, current_actor())
        except ValidationFailed as exc:
            for name, message in exc.fields.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
            status = 422
        else:
            flash(f"已复制为「{copy.title}」（草稿，未发布），请检查竞赛时间后保存", "success")
            return redirect(url_for("contests_staff.edit", competition_id=copy.id))
    elif form.is_submitted():
        status = 422
    return render_template("contests/staff/duplicate.html", form=form, competition=competition,
                           window=actions.shifted_window(competition.starts_at, competition.ends_at, utcnow())), status  # fmt: skip


@staff_bp.post("/<int:competition_id>/publish")
@role_required(*PUBLISH_ROLES)
def publish(competition_id: int):
    """Publish a draft (its page, home page entry and API entry appear)."""
    return _act(competition_id, actions.publish, "已发布：公众现在可以看到本竞赛")


@staff_bp.post("/<int:competition_id>/withdraw")
@role_required(*PUBLISH_ROLES)
def withdraw(competition_id: int):
    """Take a competition without attempts back to draft."""
    return _act(competition_id, actions.withdraw, "已撤回发布：本竞赛改为草稿，公众看不到")


@staff_bp.post("/<int:competition_id>/open-early")
@role_required(*WINDOW_ROLES)
def open_early(competition_id: int):
    """Open an upcoming competition now (moves the start to now)."""
    return _act(competition_id, actions.open_early, _opened_message)


def _opened_message(competition) -> str:
    """Say what opening early did: a draft's start moves, but the public still cannot see it."""
    if competition.is_published:
        return "已提前开始：竞赛现在开放答题"
    return "已把开始时间提前到现在；但竞赛仍是草稿（未发布），公众看不到，也不能答题，发布后即开放答题"


@staff_bp.post("/<int:competition_id>/close-early")
@role_required(*WINDOW_ROLES)
def close_early(competition_id: int):
    """Close an open competition now (moves the end to now)."""
    return _act(competition_id, actions.close_early, "已提前结束：不再接受新的答题")


def _act(competition_id: int, operation, done):
    """Run one confirmed action (CSRF-checked form) and go back to the competition page with its message.

    *done* is the success message, or a function of the competition the operation returned.
    """
    get_competition(competition_id)
    if not ConfirmForm().validate_on_submit():
        flash("页面已过期，请重试", "error")
    else:
        try:
            competition = operation(competition_id, current_actor())
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(done(competition) if callable(done) else done, "success")
    return redirect(url_for("contests_staff.view", competition_id=competition_id))


def competitions_panel() -> str:
    """Dashboard panel for all staff: the competitions open now and the next three to open."""
    if not current_user.has_role(*STAFF_ROLES):
        return ""
    rows = admin.competition_rows()
    now = utcnow()
    published = [row for row in rows if row.competition.is_published]
    running = [row for row in published if row.competition.status_at(now) == "open"]
    upcoming = [row for row in published if row.competition.status_at(now) == "upcoming"]
    coming = sorted(upcoming, key=lambda row: row.competition.starts_at)[:3]
    # Drafts are listed apart: under 进行中 they looked open to the public, which cannot see them.
    drafts = [row for row in rows if not row.competition.is_published and row.competition.status_at(now) != "closed"]
    return render_template("contests/staff/_panel.html", running=running, coming=coming, drafts=drafts, now=now)


register_nav("竞赛管理", "contests_staff.index", roles=STAFF_ROLES, order=30)
register_panel(competitions_panel, order=30)
