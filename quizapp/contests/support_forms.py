"""Forms of the participant-support and prize-draw staff pages (all POST, all with a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from quizapp.contests.draws import DEFAULT_PRIZE, PRIZE_MAX, SEED_MAX, WINNERS_MAX
from quizapp.contests.erasure import REASON_MAX
from quizapp.contests.support_services import SEARCH_HELP

REASON_MESSAGE = f"请填写原因（不超过{REASON_MAX}个字）"


class SearchForm(FlaskForm):
    """Find participants: one query box, an optional name and competition (POST, so no number lands in a URL)."""

    query = StringField("查询", validators=[DataRequired("请输入查询内容"), Length(max=40)], description=SEARCH_HELP)
    name = StringField("姓名（按后四位查询时必填）", validators=[Optional(), Length(max=20)])
    competition = SelectField("竞赛", coerce=int, default=0)
    submit = SubmitField("查询")

    def with_competitions(self, competitions) -> SearchForm:
        """Offer *competitions* (and 全部) in the menu; return the form."""
        self.competition.choices = [(0, "全部竞赛"), *((c.id, c.title) for c in competitions)]
        return self


class ReasonForm(FlaskForm):
    """A change that needs a reason for the audit log (reset an attempt)."""

    reason = TextAreaField("原因", validators=[DataRequired(REASON_MESSAGE), Length(max=REASON_MAX, message=REASON_MESSAGE)])
    submit = SubmitField("确认")


class GrantForm(ReasonForm):
    """Grant one extra attempt; ``expected`` carries the extra attempts shown, so a repeat adds nothing."""

    expected = HiddenField(validators=[InputRequired()])
    submit = SubmitField("增加 1 次答题机会")


class EraseForm(ReasonForm):
    """Erase a participant's name and number on request, after checking who asks."""

    confirm = BooleanField("已核实申请人身份，删除后无法恢复", validators=[DataRequired("请确认已核实申请人身份")])
    submit = SubmitField("删除姓名和手机号")


class DrawForm(FlaskForm):
    """A prize draw: prize, threshold (points; empty = the competition's prize threshold or pass mark), winners, seed."""

    prize = StringField("奖项名称", default=DEFAULT_PRIZE, validators=[DataRequired("请填写奖项名称"), Length(max=PRIZE_MAX)])
    threshold = FloatField("得分门槛（分，不填按竞赛设置）", validators=[Optional(), NumberRange(min=0, message="得分门槛不能为负数")])
    winners = IntegerField(
        "中奖人数", default=10, validators=[InputRequired("请填写中奖人数"), NumberRange(1, WINNERS_MAX, f"中奖人数须为 1–{WINNERS_MAX}")]
    )
    seed = StringField("随机种子", validators=[DataRequired("请填写随机种子"), Length(max=SEED_MAX)])
    preview = SubmitField("预览（不记录）")
    confirm = SubmitField("正式抽奖并公布")

    def options(self) -> dict:
        """Return the keyword arguments of :func:`quizapp.contests.draws.preview_draw`."""
        return {"prize": self.prize.data, "threshold": self.threshold.data, "winners": self.winners.data, "seed": self.seed.data}
