"""Forms for login, user management and password changes (Flask-WTF, CSRF on every form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.accounts import ROLE_LABELS

_CURRENT = {"autocomplete": "current-password"}
_NEW = {"autocomplete": "new-password"}


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=40)], render_kw={"autocomplete": "username"})
    password = PasswordField("密码", validators=[DataRequired("请填写密码"), Length(max=128)], render_kw=_CURRENT)
    submit = SubmitField("登录")


class _RolesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices():
    return [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class UserCreateForm(FlaskForm):
    """A new staff account: username, display name, roles, initial password."""

    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=40)])
    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=50)])
    roles = _RolesField("角色", choices=_role_choices(), validators=[DataRequired("请至少选择一个角色")])
    password = PasswordField("初始密码", validators=[DataRequired("请填写初始密码"), Length(max=128)],
                             render_kw=_NEW)  # fmt: skip
    submit = SubmitField("创建账号")


class UserEditForm(FlaskForm):
    """Display name, roles and whether the account may log in."""

    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=50)])
    roles = _RolesField("角色", choices=_role_choices(), validators=[DataRequired("请至少选择一个角色")])
    is_active = BooleanField("账号有效（取消勾选即停用）")
    submit = SubmitField("保存")


class PasswordResetForm(FlaskForm):
    """An admin sets a new password for someone."""

    password = PasswordField("新密码", validators=[DataRequired("请填写新密码"), Length(max=128)], render_kw=_NEW)
    submit = SubmitField("重设密码")


class PasswordChangeForm(FlaskForm):
    """A user changes their own password."""

    current = PasswordField("当前密码", validators=[DataRequired("请填写当前密码")], render_kw=_CURRENT)
    password = PasswordField("新密码", validators=[DataRequired("请填写新密码"), Length(max=128)], render_kw=_NEW)
    confirm = PasswordField("再次输入新密码", validators=[EqualTo("password", "两次输入的新密码不一致")], render_kw=_NEW)
    submit = SubmitField("修改密码")


class LogoutForm(FlaskForm):
    """The logout button (a POST with CSRF, so a link cannot log anyone out)."""

    submit = SubmitField("退出")
