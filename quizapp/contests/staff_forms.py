"""Workspace forms for competitions (Flask-WTF, CSRF on every form; messages in Chinese).

The forms only convert what staff type into plain values (local times → UTC, minutes →
seconds, rule rows → the build_paper shape); every rule about the values lives in
:mod:`quizapp.contests.admin`.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from quizapp.bank.models import QUESTION_TYPES, TYPE_LABELS
from quizapp.contests.admin import CompetitionSettings
from quizapp.contests.models import AUDIENCES, Competition
from quizapp.contests.paper_check import parse_difficulty
from quizapp.core.timeutil import local_to_utc, to_display

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
#: Blank rule rows offered below the filled ones (without JavaScript, 重新计算 adds more).
SPARE_RULE_ROWS = 2
_UID_SPLIT = re.compile(r"[\s,，、;；]+")

#: Conversion errors of the number and time fields, plainer than the WTForms catalogue's
#: (不是有效的浮点数 / 日期与时间值): they say what to type. Other WTForms messages come from
#: its Chinese catalogue, set app-wide (``FlaskForm.Meta.locales`` in ``create_app``).
NOT_AN_INTEGER = "请填写整数"
NOT_A_NUMBER = "请填写数字"
NOT_A_TIME = "请按“年-月-日 时:分”填写时间"


def _difficulty(form, field) -> None:
    try:
        parse_difficulty(field.data or "")
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class RuleForm(Form):
    """One draw rule row: category prefix, type, difficulty levels and how many questions."""

    class Meta:  # noqa: D106 - WTForms' per-form options: a plain Form (inside FormField) is not a FlaskForm
        locales = ("zh",)

    category = StringField("分类（前缀）", validators=[Optional(), Length(max=200, message="分类不超过 200 个字")])
    type = SelectField("题型", choices=[SelectChoice("", "任意题型")] + [SelectChoice(kind, TYPE_LABELS[kind]) for kind in QUESTION_TYPES])
    difficulty = StringField("难度", validators=[Optional(), Length(max=20), _difficulty])
    count = IntegerField("题数", validators=[Optional()], invalid_value_message=NOT_AN_INTEGER)

    @property
    def is_blank(self) -> bool:
        """Return whether the row was left empty (empty rows are ignored)."""
        typed = [self.category.data, self.type.data, self.difficulty.data, *(self.count.raw_data or [])]
        return self.count.data is None and not any((value or "").strip() for value in typed if isinstance(value, str))

    def rule(self) -> dict:
        """Return the row in the build_paper shape (keys only when set; count 0 when missing)."""
        rule = {"category": (self.category.data or "").strip(), "type": self.type.data or ""}
        rule = {key: value for key, value in rule.items() if value}
        rule["count"] = self.count.data if isinstance(self.count.data, int) else 0
        try:
            levels = parse_difficulty(self.difficulty.data or "")
        except ValueError:  # shown next to the row by its validator
            levels = []
        if levels:
            rule["difficulty"] = levels
        return rule


class PaperRuleForm(FlaskForm):
    """The paper rule editor: draw rules or a fixed list of question ids."""

    paper_mode = RadioField("组卷方式", choices=[SelectChoice("rules", "按规则随机抽题"), SelectChoice("fixed", "固定试卷")],
                            default="rules")  # fmt: skip
    rules = FieldList(FormField(RuleForm), min_entries=0)
    fixed = TextAreaField("固定试卷的题目编号（按出题顺序，每行一个）", validators=[Optional()])

    def rule_rows(self) -> list[tuple[int, RuleForm]]:
        """Return ``(row number, row form)`` for the rows that are filled in, in order."""
        return [(row, entry.form) for row, entry in enumerate(self.rules.entries) if not entry.form.is_blank]

    def paper_rule(self) -> dict:
        """Return the editor's content in the build_paper shape."""
        if self.paper_mode.data == "fixed":
            return {"fixed": [uid for uid in _UID_SPLIT.split(self.fixed.data or "") if uid]}
        return {"rules": [form.rule() for _, form in self.rule_rows()]}

    def fill_rule(self, paper_rule: dict) -> None:
        """Set the editor from a stored rule (on a page that was not submitted)."""
        self.paper_mode.data = "fixed" if "fixed" in paper_rule else "rules"
        self.fixed.data = "\n".join(paper_rule.get("fixed", []))
        while self.rules.entries:
            self.rules.pop_entry()
        for rule in paper_rule.get("rules", []):
            self.rules.append_entry(
                {
                    "category": rule.get("category", ""),
                    "type": rule.get("type", ""),
                    "difficulty": ",".join(str(level) for level in rule.get("difficulty", [])),
                    "count": rule.get("count"),
                }
            )

    def add_spare_rows(self) -> None:
        """Offer :data:`SPARE_RULE_ROWS` empty rows after the filled ones."""
        blanks = sum(1 for entry in self.rules.entries if entry.form.is_blank)
        for _ in range(max(0, SPARE_RULE_ROWS - blanks)):
            self.rules.append_entry()


class RuleCountQuery(PaperRuleForm):
    """The live count's query string (GET, changes nothing: no CSRF token)."""

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False


def _points_field(kind: str) -> FloatField:
    return FloatField(f"{TYPE_LABELS[kind]}每题分值", validators=[Optional()], invalid_value_message=NOT_A_NUMBER)


class CompetitionForm(PaperRuleForm):
    """Create or edit a competition: everything in :class:`~quizapp.contests.admin.CompetitionSettings`."""

    title = StringField("标题", validators=[InputRequired("请填写标题"), Length(max=200, message="标题不超过 200 个字")])
    slug = StringField("网址标识", validators=[InputRequired("请填写网址标识"), Length(max=80, message="网址标识不超过 80 个字符")])
    description = TextAreaField("竞赛说明", validators=[Optional()])
    starts_at = DateTimeLocalField("开始时间（北京时间）", format=LOCAL_FORMAT, validators=[InputRequired("请填写开始时间")],
                                  invalid_value_message=NOT_A_TIME)
    ends_at = DateTimeLocalField("结束时间（北京时间，可不填）", format=LOCAL_FORMAT, validators=[Optional()],
                                invalid_value_message=NOT_A_TIME)
    audience = RadioField("参赛对象", choices=[SelectChoice(key, label) for key, label in AUDIENCES.items()], default="all")
    organizations = TextAreaField("单位列表（每行一个）", validators=[Optional()])
    allow_other_organization = BooleanField("允许选择“其他”并自填单位名称", default=True)
    time_limit_min = IntegerField("答题限时（分钟）", validators=[InputRequired("请填写答题限时")], default=15,
                                  invalid_value_message=NOT_AN_INTEGER)
    attempts_allowed = IntegerField("每人参赛次数", validators=[InputRequired("请填写参赛次数")], default=1,
                                    invalid_value_message=NOT_AN_INTEGER)
    pass_mark = FloatField("及格分数", validators=[InputRequired("请填写及格分数")], default=60,
                           invalid_value_message=NOT_A_NUMBER)
    partial_credit_multiple = BooleanField("多选题少选得一半分（错选不得分）")
    shuffle_questions = BooleanField("打乱题目顺序", default=True)
    shuffle_options = BooleanField("打乱选项顺序", default=True)
    points_single_choice = _points_field("single_choice")
    points_multiple_choice = _points_field("multiple_choice")
    points_true_false = _points_field("true_false")
    points_fill_blank = _points_field("fill_blank")
    prize_description = TextAreaField("奖品说明（有奖问答，不填表示无奖品）", validators=[Optional()])
    prize_threshold = FloatField("抽奖资格分数（不填则按及格分数）", validators=[Optional()], invalid_value_message=NOT_A_NUMBER)
    prize_winners = IntegerField("计划中奖人数", validators=[Optional()], invalid_value_message=NOT_AN_INTEGER)
    retention_days = IntegerField("个人信息保存期限（竞赛结束后天数）", validators=[Optional()], default=180,
                                  invalid_value_message=NOT_AN_INTEGER)
    version = HiddenField()
    recount = SubmitField("重新计算")
    submit = SubmitField("保存")

    def points_fields(self) -> list:
        """Return the per-type default points fields in type order."""
        return [getattr(self, f"points_{kind}") for kind in QUESTION_TYPES]

    def default_points(self) -> dict[str, float]:
        """Return ``{type: points}`` for the types whose points were filled in."""
        pairs = zip(QUESTION_TYPES, self.points_fields(), strict=True)
        return {kind: float(field.data) for kind, field in pairs if field.data is not None}

    def settings(self) -> CompetitionSettings:
        """Return the form's values as settings (local times read in the display zone, minutes → seconds)."""
        return CompetitionSettings(
            title=self.title.data or "",
            slug=(self.slug.data or "").strip(),
            description=self.description.data or "",
            starts_at=local_to_utc(self.starts_at.data),
            ends_at=local_to_utc(self.ends_at.data) if self.ends_at.data else None,
            audience=self.audience.data or "",
            organizations=(self.organizations.data or "").splitlines(),
            allow_other_organization=bool(self.allow_other_organization.data),
            paper_rule=self.paper_rule(),
            time_limit_s=int(self.time_limit_min.data) * 60,
            attempts_allowed=int(self.attempts_allowed.data),
            pass_mark=float(self.pass_mark.data),
            partial_credit_multiple=bool(self.partial_credit_multiple.data),
            shuffle_questions=bool(self.shuffle_questions.data),
            shuffle_options=bool(self.shuffle_options.data),
            default_points=self.default_points(),
            prize_description=self.prize_description.data or "",
            prize_threshold=self.prize_threshold.data,
            prize_winners=self.prize_winners.data,
            retention_days=self.retention_days.data,
        )

    def fill(self, competition: Competition) -> None:
        """Set every field from *competition* (for the edit page's first view)."""
        for name in ("title", "slug", "description", "audience", "allow_other_organization", "attempts_allowed", "pass_mark",
                     "partial_credit_multiple", "shuffle_questions", "shuffle_options", "prize_description", "prize_threshold",
                     "prize_winners", "retention_days"):  # fmt: skip
            getattr(self, name).data = getattr(competition, name)
        self.starts_at.data = _local_naive(competition.starts_at)
        self.ends_at.data = _local_naive(competition.ends_at)
        self.organizations.data = "\n".join(competition.organizations)
        self.time_limit_min.data = competition.time_limit_s // 60
        for kind, field in zip(QUESTION_TYPES, self.points_fields(), strict=True):
            field.data = (competition.default_points or {}).get(kind)
        self.fill_rule(competition.paper_rule or {})

    def show_errors(self, fields: dict[str, str]) -> None:
        """Put a service's field errors next to the fields (rule errors go to ``paper_errors``)."""
        aliases = {"time_limit_s": "time_limit_min", "paper_rule": None}
        for name, message in fields.items():
            target = getattr(self, aliases.get(name, name) or "", None)
            if target is None:
                self.paper_errors.append(message)
            else:
                target.errors = [*target.errors, message]

    @property
    def paper_errors(self) -> list[str]:
        """Return the errors about the paper rule as a whole."""
        if not hasattr(self, "_paper_errors"):
            self._paper_errors: list[str] = []
        return self._paper_errors


def _local_naive(moment):
    shown = to_display(moment)
    return shown.replace(tzinfo=None) if shown else None


class DuplicateForm(FlaskForm):
    """The new slug and title of a copy."""

    title = StringField("新竞赛标题", validators=[InputRequired("请填写标题"), Length(max=200, message="标题不超过 200 个字")])
    slug = StringField("新网址标识", validators=[InputRequired("请填写网址标识"), Length(max=80, message="网址标识不超过 80 个字符")])
    submit = SubmitField("复制")


class ConfirmForm(FlaskForm):
    """A button that changes state (open or close early): CSRF only."""

    submit = SubmitField("确认")
