"""The dashboard and the audit log (admins)."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from quizapp.accounts.access import role_required
from quizapp.core.pagination import page_count
from quizapp.workspace import audit, bp, nav_for, panels, register_nav


class AuditFilterForm(FlaskForm):
    """The audit-log filters (a GET form: no CSRF token needed, nothing changes)."""

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False

    actor = SelectField("操作人", validators=[Optional()])
    action = SelectField("操作", validators=[Optional()])
    subject = StringField("对象（编号、标题或内容）", validators=[Optional()])
    since = DateField("起始日期", validators=[Optional()])
    until = DateField("截止日期", validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        """Check the dates: years 2000–2100 and the start not after the end."""
        valid = super().validate(extra_validators)
        for field in (self.since, self.until):
            if field.data and not 2000 <= field.data.year <= 2100:
                field.errors.append("请填写 2000–2100 年之间的日期")
                valid = False
        if valid and self.since.data and self.until.data and self.since.data > self.until.data:
            self.until.errors.append("截止日期不能早于起始日期")
            valid = False
        return valid


@bp.app_context_processor
def workspace_context():
    """Give workspace templates the menu of the current user."""
    if current_user.is_authenticated and request.path.startswith("/staff"):
        entries = nav_for(current_user)
        return {"workspace_nav": entries, "workspace_nav_current": _current_entry(entries)}
    return {}


def _current_entry(entries) -> str | None:
    """Return the endpoint of the menu entry whose path is the longest prefix of this page's path."""
    best, best_length = None, 0
    for entry in entries:
        path = url_for(entry.endpoint).rstrip("/")
        if (request.path == path or request.path.startswith(path + "/")) and len(path) > best_length:
            best, best_length = entry.endpoint, len(path)
    return best


@bp.get("/")
@role_required("admin", "editor", "reviewer")
def dashboard():
    """The workspace home: each domain's panels for the current user."""
    rendered = [html for html in (render() for render in panels()) if html]
    return render_template("workspace/dashboard.html", panels=[Markup(html) for html in rendered])


@bp.get("/audit")
@role_required("admin")
def audit_log():
    """Browse the audit log with filters (admins)."""
    form = AuditFilterForm(request.args)
    names = audit.actor_names()
    form.actor.choices = [("", "全部"), ("system:", "系统（定时任务、内容同步）")] + sorted(names.items(), key=lambda pair: pair[1])
    form.action.choices = [("", "全部")] + [(action, audit.action_label(action)) for action in audit.actions()]
    flt = audit.AuditFilter()
    if form.validate():
        subject = (form.subject.data or "").strip()
        flt = audit.AuditFilter(form.actor.data or "", form.action.data or "", subject, form.since.data, form.until.data)
    page = request.args.get("page", 1, type=int)
    rows, page, total = audit.audit_page(flt, page, current_app.config["DISPLAY_TIMEZONE"])
    rows = audit.present(rows, names)
    return render_template("workspace/audit.html", form=form, rows=rows, names=names, page=page, action_label=audit.action_label,
                           pages=page_count(total, audit.PER_PAGE), total=total)  # fmt: skip


register_nav("工作台首页", "workspace.dashboard", ("admin", "editor", "reviewer"), order=0)
register_nav("审计日志", "workspace.audit_log", ("admin",), order=90)
register_nav("账号管理", "accounts.users", ("admin",), order=95)
