"""Who may do what: the login manager, ``role_required`` and the idle timeout.

Anonymous visitors of a staff page are redirected to the login page (with ``next``);
logged-in users without the role get 403. A staff session ends after
``STAFF_IDLE_TIMEOUT_S`` seconds without a request (default 1800).
"""

from __future__ import annotations

import hmac
import time
from functools import wraps

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE

from quizapp.extensions import db

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "请先登录工作台"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

SEEN_KEY = "staff_seen_at"


@login_manager.user_loader
def load_user(user_id: str):
    """Return the active staff user of session id ``<id>:<fingerprint>``, or None (which logs them out).

    The fingerprint follows the password hash, so a reset or change of password ends
    every session made with the old one.
    """
    from quizapp.accounts.models import StaffUser

    number, _, fingerprint = user_id.partition(":")
    if not number.isdigit() or len(number) > 9:
        return None
    user = db.session.get(StaffUser, int(number))
    if user is None or not user.is_active or not hmac.compare_digest(fingerprint, user.session_fingerprint()):
        return None
    return user


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


def may_be_logged_in() -> bool:
    """Return True when this request could carry a staff login (a user id in the session, or a remember cookie).

    False means anonymous for certain, without loading the user: readers' requests skip
    Flask-Login's session-protection check, which would otherwise rewrite an anonymous
    visitor's session cookie on every request.
    """
    return "_user_id" in session or current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies


def enforce_idle_timeout():
    """Log a staff user out after the idle timeout; refresh the last-seen time otherwise."""
    if not may_be_logged_in() or not current_user.is_authenticated:
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


def forget_cached_user() -> None:
    """Drop Flask-Login's per-context user cache so each request loads its own user.

    ``g`` belongs to the app context, which outlives a request when one is already pushed
    (tests, scripts); without this, a second browser's request could see the first one's user.
    """
    g.pop("_login_user", None)


def init_app(app: Flask) -> None:
    """Bind Flask-Login and the idle timeout to *app*."""
    login_manager.init_app(app)
    app.before_request(forget_cached_user)
    app.before_request(enforce_idle_timeout)
