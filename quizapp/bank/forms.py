"""Workspace forms of the question bank: browser filters, upload, confirmation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from quizapp.bank.formats import FORMATS
from quizapp.bank.models import TYPE_LABELS
from quizapp.core.text import has_hidden_characters
from quizapp.publishing.models import STATE_LABELS


def choices(pairs) -> list[SelectChoice]:
    """Return ``(value, label)`` pairs as WTForms choices (tuples are deprecated since WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


FORMAT_LABELS = {"excel": "Excel (.xlsx)", "docx": "Word 试卷 (.docx)", "moodle_xml": "Moodle XML", "aiken": "Aiken",
                 "gift": "GIFT", "csv": "CSV", "text": "纯文本试卷"}  # fmt: skip


class BankFilterForm(FlaskForm):
    """The browser's filters (a GET form: no CSRF token, nothing changes); choices are set by the view."""

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False

    type = SelectField("题型", choices=choices([("", "全部"), *TYPE_LABELS.items()]), validators=[Optional()])
    category = SelectField("分类", validators=[Optional()])
    law = SelectField("法律依据", validators=[Optional()])
    difficulty = SelectField("难度", choices=choices([("", "全部")] + [(str(n), str(n)) for n in range(1, 6)]), validators=[Optional()])
    tag = SelectField("标签", validators=[Optional()])
    status = SelectField("状态", choices=choices([("", "全部"), *STATE_LABELS.items(), ("none", "未纳入发布流程")]),
                         validators=[Optional()])
    text = StringField("题干或编号包含", validators=[Optional(), Length(max=100)])


class UploadForm(FlaskForm):
    """A bank file to check (dry run) before importing."""

    file = FileField("题库文件", validators=[FileRequired("请选择要上传的文件")])
    format = SelectField("格式", choices=choices([("", "自动识别"), *((name, FORMAT_LABELS.get(name, name)) for name in FORMATS)]),
                         validators=[Optional()])
    category = StringField("上级分类（可选，如 安全生产/法规）", validators=[Optional(), Length(max=100)])

    def validate_category(self, field) -> None:
        """Refuse invisible and control characters (NUL included: an upload body skips the request-wide check)."""
        if field.data and has_hidden_characters(field.data):
            raise ValidationError("分类中含有不可见或控制字符，请重新输入")


class ConfirmForm(FlaskForm):
    """Confirm the import of a checked upload (the CSRF token is the whole form)."""
