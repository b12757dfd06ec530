"""Filter forms of the report pages (GET forms: they change nothing, so they carry no CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Optional, Regexp

from quizapp.contests.models import GROUPS
from quizapp.contests.results import ResultFilter

ANY = SelectChoice("", "全部")
PASSED_CHOICES = [ANY, SelectChoice("yes", "及格"), SelectChoice("no", "不及格")]


class ResultFilterForm(FlaskForm):
    """Filters of the results list: 单位, group, passed, name or masked number."""

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False

    organization = SelectField("单位", validators=[Optional()])
    group = SelectField("群体", choices=[ANY, *(SelectChoice(value, label) for value, label in GROUPS.items())], validators=[Optional()])
    passed = SelectField("是否及格", choices=PASSED_CHOICES, validators=[Optional()])
    text = StringField("姓名或手机号（后四位）", validators=[Optional()])

    def with_organizations(self, names: list[str]) -> ResultFilterForm:
        """Offer *names* (the 单位 participants gave) in the 单位 menu; return the form."""
        self.organization.choices = [ANY, *(SelectChoice(name, name) for name in names)]
        return self

    def to_filter(self) -> ResultFilter:
        """Return the :class:`ResultFilter` of the valid fields (an invalid choice filters nothing)."""
        if not self.validate():
            return ResultFilter()
        passed = {"yes": True, "no": False}.get(self.passed.data or "")
        return ResultFilter(self.organization.data or None, self.group.data or None, passed, (self.text.data or "").strip()[:40])


class YearForm(FlaskForm):
    """The year of the figures page."""

    class Meta:  # noqa: D106 - WTForms' per-form options
        csrf = False

    year = StringField("年份", validators=[Optional(), Regexp(r"^(20\d\d|2100)$", message="请填写 2000 至 2100 之间的四位年份")])

    def chosen(self, default: int) -> int:
        """Return the valid year typed, else *default* (the form then shows why)."""
        return int(self.year.data) if self.validate() and self.year.data else default
