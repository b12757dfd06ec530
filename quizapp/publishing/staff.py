"""Staff content pages (``/staff/content``): lists, editing with preview, review, history, presence, the schedule.

Kind-agnostic: every kind with an editor in :mod:`quizapp.publishing.editors` gets a list,
a form and the workflow. Roles (docs/workspace.md): editors write, save, submit, restore
revisions and withdraw what they submitted; reviewers approve (now or at a time), send
back, withdraw, archive and restore; admins see every page read-only, plus whatever their
other roles allow. Views are thin: validate → one service call → flash/redirect/render.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.accounts.access import current_actor, role_required
from quizapp.core.errors import DomainError, ValidationFailed
from quizapp.core.timeutil import format_local, local_to_utc, utcnow
from quizapp.publishing import history, overview, presence, workflow
from quizapp.publishing.editors import editor_for, editors
from quizapp.publishing.forms import ActionForm, ApproveForm, BaseRevisionForm, SendBackForm
from quizapp.workspace import register_nav
from quizapp.workspace.audit import action_label, actor_names

bp = Blueprint("publishing_staff", __name__, url_prefix="/staff/content", template_folder="templates")

STAFF = ("admin", "editor", "reviewer")


def allowed_actions(item, user) -> set[str]:
    """Return the actions *user* may take on *item* now: edit, submit, withdraw, approve, send_back, archive, restore, restore_revision."""
    stage = workflow.stage(item)
    under = workflow.revision_under_review(item)
    actions: set[str] = set()
    if user.has_role("editor"):
        if stage in ("draft", "published", "revision_draft"):
            actions |= {"edit", "restore_revision"}
        if stage in ("draft", "revision_draft"):
            actions.add("submit")
        if under is not None and under.actor == user.actor:
            actions.add("withdraw")
    if user.has_role("reviewer"):
        if under is not None:
            actions.add("withdraw")
            if under.actor != user.actor:
                actions.add("approve")
        if stage in ("in_review", "revision_review"):
            actions.add("send_back")
        if item.status in ("published", "scheduled"):
            actions.add("archive")
        if item.status == "archived":
            actions.add("restore")
    return actions


def _spec(kind: str):
    spec = editor_for(kind)
    if spec is None:
        abort(404)
    return spec


def editor_label(kind: str) -> str:
    """Return the Chinese name of *kind* from its editor (the kind itself when none is registered)."""
    spec = editor_for(kind)
    return spec.label if spec is not None else kind


@bp.app_context_processor
def _labels():
    if not request.path.startswith("/staff"):
        return {}
    return {"stage_of": workflow.stage, "stage_labels": workflow.STAGE_LABELS, "editor_label": editor_label}


@bp.get("/")
@role_required(*STAFF)
def index():
    """Go to the first kind's list."""
    return redirect(url_for(".kind_list", kind=editors()[0][0]))


@bp.get("/kinds/<kind>")
@role_required(*STAFF)
def kind_list(kind: str):
    """List one kind's items in every state, filtered by ``?status=`` and paginated (``?page=``)."""
    spec = _spec(kind)
    status = request.args.get("status") or None
    page = overview.list_items(kind, status if status in overview.STATUS_FILTERS else None, request.args.get("page", 1, type=int) or 1)
    return render_template("publishing_staff/list.html", kind=kind, spec=spec, kinds=editors(), status=status, page=page,
                           filters=overview.STATUS_FILTERS)  # fmt: skip


def _form_errors(form, exc: ValidationFailed) -> None:
    for name, message in exc.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
    if not exc.fields:
        form.form_errors.append(exc.message)


def _edit(kind: str, item=None):
    """Shared body of the new and edit pages: add a row, preview, or save a new revision."""
    spec = _spec(kind)
    base = BaseRevisionForm()
    if item is not None and request.method == "GET":
        latest = item.latest_revision()
        form = spec.form(data=spec.to_form_data(latest.content))
        base.base_revision.data = str(latest.number)
    elif request.method == "GET":  # a link may prefill text fields, e.g. the month reminder's ?period=2026-07
        form = spec.form()
        for name, value in request.args.items():
            if name in form and form[name].type == "StringField":
                form[name].data = value
    else:
        form = spec.form()
    status = 200
    if request.method == "POST":
        status = 422
        if getattr(form, "add_row", None) is not None and form.add_row.data:
            form.hazards.append_entry()  # "添加一行" without JavaScript: the page comes back with one more empty row
            status = 200
        elif form.validate_on_submit():
            try:
                content, listing = spec.to_content(form)
                if form.preview.data:
                    flash("预览：以下为发布后的页面效果，内容尚未保存。关闭本页返回编辑。", "info")
                    return spec.render_preview(item, content, listing)
                item, revision = workflow.save_draft(kind, content, listing, current_actor(), item.id if item is not None else None,
                                                     base_revision=base.number())  # fmt: skip
            except DomainError as exc:
                _form_errors(form, exc) if isinstance(exc, ValidationFailed) else form.form_errors.append(exc.message)
            else:
                flash(f"已保存第 {revision.number} 版草稿" if revision is not None else "内容没有变化，未生成新版本", "success")
                return redirect(url_for(".item_page", item_id=item.id))
    others = []
    if item is not None:
        presence.touch(item.id, current_user.id)
        others = presence.others(item.id, current_user.id)
    return render_template("publishing_staff/edit.html", kind=kind, spec=spec, form=form, base=base, item=item, others=others,
                           ping_s=presence.PING_INTERVAL_S), status  # fmt: skip


@bp.route("/kinds/<kind>/new", methods=["GET", "POST"])
@role_required("editor")
def new(kind: str):
    """Write a new item of *kind*: save a draft, preview, (每月一警示) add hazard rows."""
    return _edit(kind)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@role_required("editor")
def edit(item_id: int):
    """Edit an item: the newest revision fills the form; saving writes a new revision (the live one stays up)."""
    item = workflow.get_item(item_id)
    if "edit" not in allowed_actions(item, current_user) and request.method == "GET":
        flash(f"内容{workflow.STAGE_LABELS[workflow.stage(item)]}，请先撤回或恢复再修改。", "error")
        return redirect(url_for(".item_page", item_id=item.id))
    return _edit(item.kind, item)


def _item_page(item, status: int = 200, **forms):
    spec = _spec(item.kind)
    revisions = history.revisions(item)
    forms.setdefault("approve_form", ApproveForm(prefix="approve"))
    forms.setdefault("send_back_form", SendBackForm(prefix="send_back"))
    trail = history.trail(item)
    return render_template("publishing_staff/item.html", item=item, spec=spec, revisions=revisions, action=ActionForm(),
                           actions=allowed_actions(item, current_user), names=actor_names(), trail=trail, action_label=action_label,
                           under=workflow.revision_under_review(item), others=presence.others(item.id, current_user.id),
                           public_url=spec.public_url(item) if spec.public_url and item.status == "published" else None,
                           **forms), status  # fmt: skip


@bp.get("/items/<int:item_id>")
@role_required(*STAFF)
def item_page(item_id: int):
    """One item: its state, the actions the user may take, revisions with compare/restore, its audit trail."""
    return _item_page(workflow.get_item(item_id))


@bp.get("/items/<int:item_id>/preview")
@role_required(*STAFF)
def preview(item_id: int):
    """Show revision ``?revision=N`` (default the newest) exactly as the public page will look."""
    item = workflow.get_item(item_id)
    number = request.args.get("revision", type=int)
    revision = workflow.get_revision(item, number) if number else item.latest_revision()
    if revision is None:
        abort(404)
    flash(f"预览第 {revision.number} 版（{workflow.STAGE_LABELS[workflow.stage(item)]}）：以下为发布后的页面效果。", "info")
    return _spec(item.kind).render_preview(item, revision.content, revision.listing)


@bp.get("/items/<int:item_id>/compare")
@role_required(*STAFF)
def compare(item_id: int):
    """Compare revisions ``?old=`` and ``?new=`` field by field (deleted text struck through, added text underlined)."""
    item = workflow.get_item(item_id)
    latest = item.latest_revision()
    if latest is None:
        abort(404)
    new_number = request.args.get("new", latest.number, type=int)
    old_number = request.args.get("old", max(new_number - 1, 1), type=int)
    diffs = history.compare(item, old_number, new_number)
    return render_template("publishing_staff/compare.html", item=item, diffs=diffs, old=old_number, new=new_number,
                           revisions=history.revisions(item))  # fmt: skip


def _act(item_id: int, service, success: str, **forms):
    """Run one workflow service; on refusal show the item page with the message and its status (403/409/422)."""
    try:
        service()
    except DomainError as exc:
        flash(exc.message, "error")
        return _item_page(workflow.get_item(item_id), exc.status, **forms)
    flash(success, "success")
    return redirect(url_for(".item_page", item_id=item_id))


def _confirmed() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


@bp.post("/items/<int:item_id>/submit")
@role_required("editor")
def submit(item_id: int):
    """Submit the newest revision for review."""
    _confirmed()
    return _act(item_id, lambda: workflow.submit(item_id, current_actor()), "已提交审核")


@bp.post("/items/<int:item_id>/withdraw")
@role_required("editor", "reviewer")
def withdraw(item_id: int):
    """Take back a submitted or scheduled item (editors: only what they wrote)."""
    _confirmed()
    others = current_user.has_role("reviewer")
    return _act(item_id, lambda: workflow.withdraw(item_id, current_actor(), others=others), "已撤回")


@bp.post("/items/<int:item_id>/approve")
@role_required("reviewer")
def approve(item_id: int):
    """Approve: publish now, or at the local time typed (Asia/Shanghai, stored UTC)."""
    form = ApproveForm(prefix="approve")
    if not form.validate_on_submit():
        return _item_page(workflow.get_item(item_id), 422, approve_form=form)
    publish_at = local_to_utc(form.publish_at.data) if form.schedule.data else None
    message = f"已批准，定于 {format_local(publish_at)} 发布" if publish_at else "已批准并发布"
    return _act(item_id, lambda: workflow.approve(item_id, current_actor(), publish_at=publish_at), message, approve_form=form)


@bp.post("/items/<int:item_id>/send-back")
@role_required("reviewer")
def send_back(item_id: int):
    """Send the revision under review back to its author with a comment."""
    form = SendBackForm(prefix="send_back")
    if not form.validate_on_submit():
        return _item_page(workflow.get_item(item_id), 422, send_back_form=form)
    return _act(item_id, lambda: workflow.send_back(item_id, current_actor(), form.comment.data), "已退回修改", send_back_form=form)


@bp.post("/items/<int:item_id>/archive")
@role_required("reviewer")
def archive(item_id: int):
    """Take the item off the site."""
    _confirmed()
    return _act(item_id, lambda: workflow.archive(item_id, current_actor()), "已归档（已从网站撤下）")


@bp.post("/items/<int:item_id>/restore")
@role_required("reviewer")
def restore(item_id: int):
    """Return an archived item to draft."""
    _confirmed()
    return _act(item_id, lambda: workflow.restore(item_id, current_actor()), "已恢复为草稿")


@bp.post("/items/<int:item_id>/revisions/<int:number>/restore")
@role_required("editor")
def restore_revision(item_id: int, number: int):
    """Copy an old revision into a new one (which then goes through review)."""
    _confirmed()
    return _act(item_id, lambda: workflow.restore_revision(item_id, number, current_actor()), f"已将第 {number} 版恢复为最新草稿")


@bp.post("/items/<int:item_id>/presence")
@role_required(*STAFF)
def ping(item_id: int):
    """Refresh the caller's presence on the item (``static/presence.js``, every 30 s); answer who else is there."""
    workflow.get_item(item_id)
    presence.touch(item_id, current_user.id)
    others = presence.others(item_id, current_user.id)
    return jsonify(others=[{"name": other.name, "seen_at": format_local(other.seen_at, "%H:%M:%S")} for other in others])


@bp.get("/review")
@role_required(*STAFF)
def review():
    """The review queue: items and revisions waiting for a reviewer, oldest first."""
    return render_template("publishing_staff/review.html", items=overview.review_queue(), names=actor_names())


@bp.get("/schedule")
@role_required(*STAFF)
def schedule():
    """What is scheduled in the next 60 days, with overdue items and a stale scheduler heartbeat flagged."""
    now = utcnow()
    entries = overview.scheduled(now)
    return render_template("publishing_staff/schedule.html", entries=entries, health=overview.schedule_health(now), now=now,
                           days=overview.SCHEDULE_DAYS)  # fmt: skip


register_nav("内容管理", "publishing_staff.index", STAFF, order=20)
register_nav("待审核", "publishing_staff.review", ("reviewer",), order=21)
register_nav("发布日程", "publishing_staff.schedule", STAFF, order=22)

import quizapp.publishing.panels  # noqa: E402,F401  (registers the dashboard panels)
