"""Who may do what: the login manager, ``role_required`` and the idle timeout.

Anonymous visitors of a staff page are redirected to the login page (with ``next``);
logged-in users without the role get 403. A staff session ends after
``STAFF_IDLE_TIMEOUT_S`` seconds without a request (default 1800).
"""

from __future__ import annotations

import time
from functools import wraps

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user

from quizapp.extensions import db

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录工作台"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

SEEN_KEY = "staff_seen_at"


@login_manager.user_loader
def load_user(user_id: str):
    """Return the active staff user with id *user_id*, or None (which logs them out)."""
    from quizapp.accounts.models import StaffUser

    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.is_active else None


def role_required(*roles: str):
    """Decorate a view: log in first (302 to login), then require any of *roles* (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def current_actor() -> str:
    """Return the audit actor of the request: ``staff:<id>`` (raises RuntimeError when anonymous)."""
    if not current_user.is_authenticated:
        raise RuntimeError("no staff user is logged in")
    return current_user.actor


def enforce_idle_timeout():
    """Log a staff user out after the idle timeout; refresh the last-seen time otherwise."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    seen = session.get(SEEN_KEY)
    if seen is not None and now - float(seen) > current_app.config["STAFF_IDLE_TIMEOUT_S"]:
        logout_user()
        session.pop(SEEN_KEY, None)
        flash("长时间未操作，已自动退出，请重新登录", "info")
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    session[SEEN_KEY] = now
    return None


def init_app(app: Flask) -> None:
    """Bind Flask-Login and the idle timeout to *app*."""
    login_manager.init_app(app)
    app.before_request(enforce_idle_timeout)
