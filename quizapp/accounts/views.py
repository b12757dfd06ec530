"""Login, logout, own password, and user management (admins)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import HTTPException

from quizapp.accounts import bp, services
from quizapp.accounts.access import role_required
from quizapp.accounts.forms import LoginForm, LogoutForm, PasswordChangeForm, PasswordResetForm, UserCreateForm, UserEditForm
from quizapp.core.errors import DomainError
from quizapp.core.urls import same_site_path
from quizapp.extensions import limiter

LOCKED_MESSAGE = "登录失败次数过多，请 15 分钟后再试"


def _login_failed(response) -> bool:
    """Count only failed login attempts (a successful login never uses up the limit)."""
    return bool(g.get("login_failed"))


def _username() -> str:
    return services.normalise_username(request.form.get("username", ""))[:40]


def _account_key() -> str:
    return "staff-login:" + _username()


def _account_address_key() -> str:
    return f"staff-login-account-address:{_username()}:{request.remote_addr or 'unknown'}"


def _address_key() -> str:
    return "staff-login-address:" + (request.remote_addr or "unknown")


# Three limits on failed logins (NIST SP 800-63B §5.2.2 "rate limiting"; OWASP Authentication
# Cheat Sheet on lockout abuse): one account from one address (5 per 15 minutes) stops guessing
# without letting anybody who knows a username lock its owner out from everywhere; one address
# (20 per 15 minutes) stops spraying many usernames; one account from all addresses together
# (100 per hour, NIST's ceiling of 100 consecutive failures) caps distributed guessing.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_LOGIN_LIMIT_ACCOUNT_ADDRESS"], key_func=_account_address_key, methods=["POST"],
               deduct_when=_login_failed, error_message=LOCKED_MESSAGE)  # fmt: skip
@limiter.limit(lambda: current_app.config["STAFF_LOGIN_LIMIT_ACCOUNT"], key_func=_account_key, methods=["POST"],
               deduct_when=_login_failed, error_message=LOCKED_MESSAGE)  # fmt: skip
@limiter.limit(lambda: current_app.config["STAFF_LOGIN_LIMIT_ADDRESS"], key_func=_address_key, methods=["POST"],
               deduct_when=_login_failed, error_message=LOCKED_MESSAGE)  # fmt: skip
def login():
    """Show the login form; log in and go to ``next`` (same-site paths only) or the dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("workspace.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data, request.remote_addr)
        if user is not None:
            login_user(user)
            flash(f"欢迎，{user.display_name}", "success")
            return redirect(_next_page())
        g.login_failed = True
        form.password.errors.append("用户名或密码不正确")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("accounts/login.html", form=form)


def _next_page() -> str:
    """Return ``next`` when it is a path of this site, else the dashboard (never another site)."""
    try:
        return same_site_path(request.args.get("next"))
    except HTTPException:
        return url_for("workspace.dashboard")


@bp.post("/logout")
def logout():
    """Log out (POST with CSRF) and return to the login page."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("已退出登录", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@role_required()
def change_password():
    """Let the logged-in user change their own password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = services.change_own_password(current_user, form.current.data, form.password.data)
        except DomainError as exc:
            (form.current if exc.code == "wrong_password" else form.password).errors.append(exc.message)
        else:
            login_user(user)  # the session id follows the password: keep this session, end the others
            flash("密码已修改，其他设备上的登录已失效", "success")
            return redirect(url_for("workspace.dashboard"))
    return render_template("accounts/password.html", form=form)


@bp.get("/users")
@role_required("admin")
def users():
    """List staff accounts (admins)."""
    return render_template("accounts/users.html", users=services.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    """Create a staff account (admins)."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.display_name.data, form.password.data, form.roles.data,
                                        actor=current_user.actor)  # fmt: skip
        except DomainError as exc:
            _field_error(form, exc)
        else:
            flash(f"已创建账号 {user.username}", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int):
    """Edit a staff account's name, roles and status, or reset its password (admins)."""
    user = services.get_user(user_id)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    reset = PasswordResetForm(prefix="reset")
    if reset.submit.data and reset.validate_on_submit():
        try:
            services.set_password(user.id, reset.password.data, actor=current_user.actor)
        except DomainError as exc:
            reset.password.errors.append(exc.message)
        else:
            flash(f"已为 {user.username} 重设密码", "success")
            return redirect(url_for("accounts.users"))
    elif form.submit.data and form.validate_on_submit():
        try:
            services.update_user(user.id, display_name=form.display_name.data, roles=form.roles.data,
                                 is_active=form.is_active.data, actor=current_user.actor)  # fmt: skip
        except DomainError as exc:
            (form.display_name if exc.code == "invalid_display_name" else form.roles).errors.append(exc.message)
        else:
            flash(f"已保存 {user.username}", "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, reset=reset, user=user)


def _field_error(form: UserCreateForm, exc: DomainError) -> None:
    fields = {"invalid_username": form.username, "username_taken": form.username, "weak_password": form.password,
              "invalid_display_name": form.display_name}  # fmt: skip
    field = fields.get(exc.code, form.roles)
    field.errors = [*field.errors, exc.message]
