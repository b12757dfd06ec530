"""Staff forms for the publicity kinds (Flask-WTF, CSRF on): one per kind, Chinese messages throughout.

Legal basis in a text area: one citation a line, ``安全生产法 36`` or ``安全生产法 第三十六条：引文``
(the quote is optional, verbatim from the statute). The 每月一警示 form has hazard rows
(:class:`HazardRow`); a blank row is ignored and "添加一行" adds one without JavaScript.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, FieldList, Form, FormField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from quizapp.laws.texts import SHORT_NAMES, article_number
from quizapp.publicity.kinds import DECISION_NUMBER, PERIOD, RECTIFICATION_STATES

MARKDOWN_HINT = "支持 Markdown：空行分段，**加粗**，- 列表；不支持 HTML。"
BASIS_HINT = "每行一条：法律简称 条号[：引文]，如“安全生产法 36”或“消防法 第十六条：……”。可用：" + "、".join(SHORT_NAMES)
BASIS_LINE = re.compile(
    r"^《?(?P<law>[^\s《》:：]+?)》?\s*第?\s*(?P<article>\d+|[零〇一二三四五六七八九十百千]+)\s*条?\s*(?:[:：]\s*(?P<quote>.*))?$"
)


class LocalDateField(DateField):
    """A date field whose format error is in Chinese."""

    def process_formdata(self, valuelist):
        """Parse ``YYYY-MM-DD``; a bad value becomes a Chinese error."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("日期格式应为 年-月-日，如 2026-06-01") from None


def parse_basis_lines(text: str | None) -> list[dict]:
    """Read the legal-basis text area into ``[{"law", "article", "quote"?}]``.

    Raises:
        ValueError: with a Chinese message naming the line (``第 2 行：…``).

    """
    bases = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = BASIS_LINE.match(line)
        if match is None:
            raise ValueError(f"第 {number} 行：格式应为“法律简称 条号[：引文]”，如“安全生产法 36”")
        if match["law"] not in SHORT_NAMES:
            raise ValueError(f"第 {number} 行：未知法律“{match['law']}”，可用：{'、'.join(SHORT_NAMES)}")
        article = int(match["article"]) if match["article"].isdigit() else article_number(match["article"])
        basis = {"law": match["law"], "article": article}
        if (match["quote"] or "").strip():
            basis["quote"] = match["quote"].strip()
        bases.append(basis)
    return bases


def basis_lines(bases: list[dict]) -> str:
    """Return legal bases as text-area lines (the inverse of :func:`parse_basis_lines`)."""
    return "\n".join(f"{b['law']} {b['article']}" + (f"：{b['quote']}" if b.get("quote") else "") for b in bases or [])


def _basis_validator(required: bool):
    def check(form, field):
        try:
            bases = parse_basis_lines(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if required and not bases:
            raise ValidationError("请至少填写一条法律依据")

    return check


def _required(label: str):
    return DataRequired(f"请填写{label}")


class _Buttons:
    save = SubmitField("保存草稿")
    preview = SubmitField("预览")


class CaseForm(_Buttons, FlaskForm):
    """以案释法: title, date, industry, featured, legal basis and the four sections."""

    title = StringField("标题", validators=[_required("标题"), Length(max=200)])
    date = LocalDateField("日期", validators=[_required("日期")])
    industry = StringField("行业", validators=[_required("行业"), Length(max=60)])
    featured = BooleanField("首页推荐")
    legal_basis = TextAreaField("法律依据", validators=[_basis_validator(True)], description=BASIS_HINT)
    facts = TextAreaField("基本案情", validators=[_required("基本案情")], description=MARKDOWN_HINT)
    violation = TextAreaField("违法行为", validators=[_required("违法行为")])
    outcome = TextAreaField("处理结果", validators=[_required("处理结果")])
    lesson = TextAreaField("以案释法", validators=[_required("以案释法")])


class PenaltyForm(_Buttons, FlaskForm):
    """行政处罚公示: decision number, date, party, violation, legal basis, penalty, amount."""

    decision_no = StringField(
        "决定书文号", validators=[_required("决定书文号"), Regexp(DECISION_NUMBER.pattern, message="文号格式应如（长）应急罚〔2026〕12号")]
    )
    date = LocalDateField("作出日期", validators=[_required("作出日期")])
    party = StringField("当事人", validators=[_required("当事人"), Length(max=120)], description="自然人的姓名保存时自动隐去为“王某”形式。")
    party_type = SelectField("当事人类型", choices=[SelectChoice("enterprise", "单位"), SelectChoice("person", "自然人")])
    industry = StringField("行业", validators=[_required("行业"), Length(max=60)])
    violation_type = StringField("违法行为类型", validators=[_required("违法行为类型"), Length(max=120)])
    violation = TextAreaField("违法事实", validators=[_required("违法事实")], description=MARKDOWN_HINT)
    legal_basis = TextAreaField("处罚依据", validators=[_basis_validator(True)], description=BASIS_HINT)
    penalty = StringField("处罚内容", validators=[_required("处罚内容"), Length(max=300)])
    amount_yuan = StringField(
        "罚款金额（元）", validators=[Optional(), Regexp(r"^\d{1,10}$", message="罚款金额应为不带小数的元数，如 20000")]
    )


class QAForm(_Buttons, FlaskForm):
    """知识问答: question, topic, date, answer, legal basis (optional)."""

    question = StringField("问题", validators=[_required("问题"), Length(max=200)])
    topic = StringField("主题", validators=[_required("主题"), Length(max=60)])
    date = LocalDateField("日期", validators=[_required("日期")])
    answer = TextAreaField("回答", validators=[_required("回答")], description=MARKDOWN_HINT)
    legal_basis = TextAreaField("法律依据（可选）", validators=[_basis_validator(False)], description=BASIS_HINT)


class NewsForm(_Buttons, FlaskForm):
    """工作动态: title, date, event (optional), body."""

    title = StringField("标题", validators=[_required("标题"), Length(max=200)])
    date = LocalDateField("日期", validators=[_required("日期")])
    event = StringField("活动（可选）", validators=[Optional(), Length(max=60)], description="如“安全生产月”，用作栏目筛选。")
    body = TextAreaField("正文", validators=[_required("正文")], description=MARKDOWN_HINT)


ROW_FIELDS = {"place_type": "场所类型", "hazard": "隐患描述", "legal_basis": "法律依据", "result": "整改结果"}


class HazardRow(Form):
    """One hazard row: place type, hazard, legal basis (law + article lines), rectification status and result."""

    place_type = StringField("场所类型", validators=[Optional(), Length(max=60)])
    hazard = TextAreaField("隐患描述", validators=[Optional(), Length(max=500)])
    legal_basis = TextAreaField("法律依据", validators=[Optional()], description="每行一条：法律简称 条号[：引文]",
                                render_kw={"rows": 2})  # fmt: skip
    status = SelectField("整改情况", choices=[SelectChoice(state, state) for state in RECTIFICATION_STATES], validate_choice=False)
    result = TextAreaField("整改结果", validators=[Optional(), Length(max=500)])

    def is_blank(self) -> bool:
        """Return whether the row was left empty (the status select always has a value, so it does not count)."""
        return not any((self[name].data or "").strip() for name in ROW_FIELDS)


class WarningForm(_Buttons, FlaskForm):
    """每月一警示: month (YYYY-MM), theme, publication date, introduction, hazard rows."""

    period = StringField("月份", validators=[_required("月份"), Regexp(PERIOD.pattern, message="月份格式应为 年-月，如 2026-07")],
                         render_kw={"placeholder": "2026-07", "inputmode": "numeric"})  # fmt: skip
    theme = StringField("主题", validators=[_required("主题"), Length(max=100)])
    date = LocalDateField("发布日期", validators=[_required("发布日期")])
    intro = TextAreaField("导语", validators=[Optional()], description=MARKDOWN_HINT)
    hazards = FieldList(FormField(HazardRow), label="典型隐患", min_entries=3)
    add_row = SubmitField("添加一行")

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then each non-blank hazard row; errors name the row (``第 2 行：请填写隐患描述``)."""
        ok = super().validate(extra_validators)
        self.row_errors: list[str] = []
        filled = 0
        for number, entry in enumerate(self.hazards.entries, start=1):
            row = entry.form
            if row.is_blank():
                continue
            filled += 1
            for name, label in ROW_FIELDS.items():
                if not (row[name].data or "").strip():
                    self._row_error(row[name], f"第 {number} 行：请填写{label}")
            if row.status.data not in RECTIFICATION_STATES:
                self._row_error(row.status, f"第 {number} 行：请选择整改情况")
            try:
                parse_basis_lines(row.legal_basis.data)
            except ValueError as exc:
                self._row_error(row.legal_basis, f"第 {number} 行：法律依据有误（{exc}）")
        if filled == 0:
            self.row_errors.append("请至少填写一行典型隐患")
        return ok and not self.row_errors

    def _row_error(self, field, message: str) -> None:
        field.errors = [*field.errors, message]
        self.row_errors.append(message)


def hazard_row_data(hazard: dict) -> dict:
    """Return the form data of one stored hazard."""
    return {
        "place_type": hazard.get("place_type", ""),
        "hazard": hazard.get("hazard", ""),
        "legal_basis": basis_lines(hazard.get("legal_basis") or []),
        "status": hazard.get("status", RECTIFICATION_STATES[0]),
        "result": hazard.get("result", ""),
    }
