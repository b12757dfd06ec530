"""Staff account operations: create, update, password, authenticate. Each commits and audits.

Errors: :class:`~quizapp.core.errors.ValidationFailed` (bad username, roles or weak
password, with a Chinese message), :class:`~quizapp.core.errors.Conflict` (username taken,
removing the last active admin), :class:`~quizapp.core.errors.NotFound`.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select

from quizapp.accounts import ROLES
from quizapp.accounts.models import StaffUser
from quizapp.accounts.passwords import WeakPassword, check_policy, hash_password, verify_password
from quizapp.core.errors import Conflict, NotFound, ValidationFailed
from quizapp.core.text import FORBIDDEN_TEXT, has_hidden_characters, normalise_text
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.services import record_audit

USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,39}$")


def normalise_username(username: str) -> str:
    """Return the username as stored: stripped and lower-case."""
    return (username or "").strip().lower()


def find_user(username: str) -> StaffUser | None:
    """Return the user named *username* (case-insensitive), or None."""
    return db.session.scalar(select(StaffUser).where(StaffUser.username == normalise_username(username)))


def get_user(user_id: int) -> StaffUser:
    """Return user *user_id*; raise NotFound."""
    user = db.session.get(StaffUser, user_id)
    if user is None:
        raise NotFound("没有这个账号")
    return user


def list_users() -> list[StaffUser]:
    """Return every staff user, by username."""
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))


def _check_roles(roles) -> list[str]:
    roles = [role for role in ROLES if role in set(roles or [])]
    if not roles:
        raise ValidationFailed("请至少选择一个角色")
    return roles


def _check_password(password: str, username: str, display_name: str) -> str:
    try:
        check_policy(password, user_inputs=(username, display_name))
    except WeakPassword as exc:
        raise ValidationFailed(str(exc), code="weak_password") from None
    return hash_password(password)


def create_user(username: str, display_name: str, password: str, roles, actor: str, now: datetime | None = None) -> StaffUser:
    """Create an active staff user with *roles*; audit ``user_create``; commit.

    Raises ValidationFailed (username not 3–40 of ``a-z0-9_.-`` starting with a letter, no
    role, weak password) or Conflict (username taken).
    """
    now = now or utcnow()
    username = normalise_username(username)
    if not USERNAME.match(username):
        raise ValidationFailed("用户名需为 3–40 位小写字母、数字或 _ . -，以字母开头", code="invalid_username")
    display_name = _check_display_name(display_name, username)
    roles = _check_roles(roles)
    password_hash = _check_password(password, username, display_name)
    if find_user(username) is not None:
        raise Conflict("用户名已被使用", code="username_taken")
    user = StaffUser(username=username, display_name=display_name, password_hash=password_hash, roles=roles,
                     is_active=True, created_at=now, password_changed_at=now)  # fmt: skip
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user_create", target=f"user:{user.id}", detail=f"{username} 角色 {','.join(roles)}", now=now)
    db.session.commit()
    return user


def update_user(user_id: int, *, display_name: str, roles, is_active: bool, actor: str, now: datetime | None = None) -> StaffUser:
    """Change a user's name, roles and active flag; audit ``user_update``; commit.

    Raises Conflict when the change would leave no active admin.
    """
    now = now or utcnow()
    user = get_user(user_id)
    roles = _check_roles(roles)
    if user.has_role("admin") and ("admin" not in roles or not is_active) and _active_admins() <= 1:
        raise Conflict("至少需要保留一个有效的管理员账号", code="last_admin")
    before = f"{','.join(user.roles)} {'有效' if user.is_active else '停用'}"
    user.display_name = _check_display_name(display_name, user.username)
    user.roles = roles
    user.is_active = bool(is_active)
    after = f"{','.join(roles)} {'有效' if user.is_active else '停用'}"
    record_audit(actor, "user_update", target=f"user:{user.id}", detail=f"{user.username}: {before} → {after}", now=now)
    db.session.commit()
    return user


def _active_admins() -> int:
    users = db.session.scalars(select(StaffUser).where(StaffUser.is_active.is_(True)))
    return sum(1 for user in users if user.has_role("admin"))


def set_password(user_id: int, password: str, actor: str, now: datetime | None = None) -> StaffUser:
    """Set a new password (policy-checked); audit ``password_change``; commit. Raises ValidationFailed."""
    now = now or utcnow()
    user = get_user(user_id)
    user.password_hash = _check_password(password, user.username, user.display_name)
    user.password_changed_at = now
    record_audit(actor, "password_change", target=f"user:{user.id}", detail=user.username, now=now)
    db.session.commit()
    return user


def change_own_password(user: StaffUser, current: str, new: str, now: datetime | None = None) -> StaffUser:
    """Change *user*'s own password after checking the *current* one.

    Raises ValidationFailed: ``wrong_password`` (field ``current``), ``same_password`` or
    ``weak_password`` (field ``password``).
    """
    if not verify_password(user.password_hash, current):
        raise ValidationFailed("当前密码不正确", code="wrong_password", fields={"current": "当前密码不正确"})
    if new == current:
        raise ValidationFailed("新密码不能与当前密码相同", code="same_password")
    return set_password(user.id, new, user.actor, now)


def authenticate(username: str, password: str, address: str | None = None, now: datetime | None = None) -> StaffUser | None:
    """Return the active user whose password matches, recording the login; None otherwise.

    Takes the same time whether or not the user exists. Successful logins are audited
    (``login``, with the address); throttling of failures is the login view's (Flask-Limiter).
    """
    now = now or utcnow()
    user = find_user(username)
    if not verify_password(user.password_hash if user else None, password or "") or not user.is_active:
        _record_failure(username, user, address, now)
        return None
    user.last_login_at = now
    record_audit(user.actor, "login", target=f"user:{user.id}", detail=f"来自 {address or '未知地址'}", now=now)
    db.session.commit()
    return user


def _record_failure(username: str, user: StaffUser | None, address: str | None, now: datetime) -> None:
    """Audit a failed login (bounded by the login throttle: at most 20 per address per 15 minutes)."""
    shown = normalise_username(username)[:40]
    target = f"user:{user.id}" if user else None
    record_audit("anonymous", "login_failed", target=target, detail=f"用户名 {shown} 来自 {address or '未知地址'}", now=now)
    db.session.commit()


def _check_display_name(display_name: str, username: str) -> str:
    display_name = normalise_text(display_name)[:50] or username
    if has_hidden_characters(display_name) or FORBIDDEN_TEXT.search(display_name):
        raise ValidationFailed("姓名中不能含有不可见字符或 < > & 引号 斜杠等符号", code="invalid_display_name")
    return display_name


def count_admins() -> int:
    """Return how many staff users exist with the admin role (active or not)."""
    return sum(1 for roles in db.session.scalars(select(StaffUser.roles)) if "admin" in (roles or []))


def user_count() -> int:
    """Return the number of staff users."""
    return db.session.scalar(select(func.count()).select_from(StaffUser)) or 0
