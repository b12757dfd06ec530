"""Forms for the competition pages (Flask-WTF, CSRF on every form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TelField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.contests.entrants import Entrant
from quizapp.contests.models import GROUPS, OTHER_ORGANIZATION, Competition
from quizapp.core.errors import ValidationFailed


class StartForm(FlaskForm):
    """The entry form: name, phone, 单位 (with 其他), group, consent."""

    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=20, message="姓名不超过20个字")])
    phone = TelField("手机号", validators=[DataRequired("请填写手机号")], render_kw={"inputmode": "tel", "autocomplete": "tel"})
    organization = SelectField("单位", validators=[DataRequired("请选择您的单位")])
    other_organization = StringField("单位名称（选择“其他”时填写）", validators=[Optional(), Length(max=60)])
    group = RadioField(
        "参赛人员类别",
        choices=[SelectChoice(value, label) for value, label in GROUPS.items()],
        validators=[InputRequired("请选择参赛人员类别")],
    )
    consent = BooleanField("我已阅读并同意《个人信息保护规则》", validators=[DataRequired("请阅读并同意《个人信息保护规则》")])
    submit = SubmitField("开始答题")

    @classmethod
    def for_competition(cls, competition: Competition, **kwargs) -> StartForm:
        """Build the form with the competition's 单位 list (and 其他 when allowed)."""
        form = cls(**kwargs)
        choices = [SelectChoice("", "请选择单位")] + [SelectChoice(name, name) for name in competition.organizations]
        if competition.allow_other_organization:
            choices.append(SelectChoice(OTHER_ORGANIZATION, "其他（请填写）"))
        form.organization.choices = choices
        if competition.audience in GROUPS:  # a competition for one group offers only that group
            form.group.choices = [SelectChoice(competition.audience, GROUPS[competition.audience])]
            if not form.is_submitted():
                form.group.data = competition.audience
        return form

    def entrant(self) -> Entrant:
        """Return the form's values as a service Entrant."""
        return Entrant(
            name=self.name.data or "",
            phone=self.phone.data or "",
            organization=self.organization.data or "",
            other_organization=self.other_organization.data or "",
            group=self.group.data or "",
            consent=bool(self.consent.data),
        )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple-choice question."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OneValueRadioField(RadioField):
    """Radio buttons that notice a request sending two different values.

    A browser sends one value per radio group; WTForms would keep the first of a crafted
    ``choice=A&choice=B`` and grade it. Here :attr:`is_ambiguous` is set instead (data None),
    and :meth:`AnswerForm.raw_answer` refuses the answer.
    """

    is_ambiguous = False

    def process_formdata(self, valuelist):
        """Take the one submitted value; flag two or more different values."""
        if len(set(valuelist)) > 1:
            self.is_ambiguous, self.data = True, None
            return
        super().process_formdata(valuelist)


class AnswerForm(FlaskForm):
    """One question's answer; fields are set per type by :func:`answer_form`."""

    action = StringField()
    choice = OneValueRadioField(validate_choice=False)
    choices = MultiCheckboxField(validate_choice=False)
    truth = OneValueRadioField(choices=[SelectChoice("true", "正确"), SelectChoice("false", "错误")], validate_choice=False)
    blanks = FieldList(StringField(validators=[Length(max=200)]), min_entries=0)

    def raw_answer(self, question_type: str) -> object:
        """Return the answer in the API shape of *question_type*, or None when left empty.

        Raises:
            ValidationFailed: two different values for a single-choice or true/false question
                (``invalid_answer``, 422), as the API refuses a list for them.

        """
        if question_type == "single_choice":
            if self.choice.is_ambiguous:
                raise ValidationFailed("单选题只能选择一个选项", code="invalid_answer")
            return self.choice.data or None
        if question_type == "multiple_choice":
            return list(self.choices.data or []) or None
        if question_type == "true_false":
            if self.truth.is_ambiguous:
                raise ValidationFailed("判断题只能选择“正确”或“错误”其中之一", code="invalid_answer")
            return {"true": True, "false": False}.get(self.truth.data or "")
        values = [entry.data or "" for entry in self.blanks.entries]
        return values if any(value.strip() for value in values) else None


def answer_form(question: dict, saved: object, formdata=None) -> AnswerForm:
    """Build the answer form for a paper question, pre-filled with the saved answer."""
    blanks = question["blanks"]
    data = {"blanks": list(saved) if isinstance(saved, list) and question["type"] == "fill_blank" else [""] * blanks}
    if question["type"] == "single_choice":
        data["choice"] = saved
    elif question["type"] == "multiple_choice":
        data["choices"] = saved or []
    elif question["type"] == "true_false" and isinstance(saved, bool):
        data["truth"] = "true" if saved else "false"
    form = AnswerForm(formdata=formdata, data=data) if formdata is not None else AnswerForm(data=data)
    choices = [SelectChoice(option["id"], f"{option['label']}. {option['text']}") for option in question["options"]]
    form.choice.choices = choices
    form.choices.choices = choices
    while len(form.blanks.entries) < blanks:
        form.blanks.append_entry("")
    return form
