"""Workflow forms of the staff content pages (Flask-WTF, CSRF on every one); the kinds' own forms come from the editor registry."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ActionForm(FlaskForm):
    """A bare confirmation (CSRF token only) for submit, withdraw, archive, restore and restoring a revision."""

    submit = SubmitField("确定")


class LocalDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` field (Asia/Shanghai as typed) whose format error is in Chinese."""

    def process_formdata(self, valuelist):
        """Parse ``YYYY-MM-DDTHH:MM``; a bad value becomes a Chinese error."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("时间格式应为 年-月-日 时:分，如 2026-07-01 09:00") from None


class ApproveForm(FlaskForm):
    """Approve: publish now, or at a local time (Asia/Shanghai) when one is given with "定时发布"."""

    publish_at = LocalDateTimeField("定时发布时间（北京时间）", format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], validators=[Optional()])
    publish_now = SubmitField("批准并立即发布")
    schedule = SubmitField("批准并定时发布")

    def validate(self, extra_validators=None) -> bool:
        """Require a time for "定时发布"."""
        ok = super().validate(extra_validators)
        if ok and self.schedule.data and self.publish_at.data is None:
            self.publish_at.errors = [*self.publish_at.errors, "请填写定时发布时间"]
            return False
        return ok


class SendBackForm(FlaskForm):
    """Send back with a required comment (kept in the audit log)."""

    comment = TextAreaField("修改意见", validators=[DataRequired("退回时请填写修改意见"), Length(max=280, message="修改意见最多 280 字")])
    submit = SubmitField("退回修改")


class BaseRevisionForm(FlaskForm):
    """The revision number the edit form was opened on, so a save over someone else's newer save is refused.

    Rendered inside the kind's form (which carries the CSRF token), so it has none of its own.
    """

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False

    base_revision = HiddenField()

    def number(self) -> int | None:
        """Return the base revision number, or None when absent or not a number."""
        value = (self.base_revision.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None
