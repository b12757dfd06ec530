"""The staff user (Flask-Login) and its roles."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.accounts import ROLE_LABELS
from quizapp.core.timeutil import utcnow
from quizapp.core.types import JSONDoc, UTCDateTime
from quizapp.extensions import db


class StaffUser(UserMixin, db.Model):
    """A member of staff who logs in to the workspace.

    ``roles`` is a list drawn from :data:`quizapp.accounts.ROLES`; ``password_hash`` is
    Werkzeug's ``scrypt:…`` string (never the password). An inactive user cannot log in
    and is logged out on the next request.
    """

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list] = mapped_column(JSONDoc, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def has_role(self, *roles: str) -> bool:
        """Return whether the user holds any of *roles*."""
        return any(role in (self.roles or []) for role in roles)

    @property
    def role_labels(self) -> str:
        """Return the roles in Chinese, e.g. ``编辑、审核员``."""
        return "、".join(ROLE_LABELS[role] for role in self.roles or [] if role in ROLE_LABELS)

    def get_id(self) -> str:
        """Return the session id ``<id>:<fingerprint>``; a new password changes it, ending other sessions."""
        return f"{self.id}:{self.session_fingerprint()}"

    def session_fingerprint(self) -> str:
        """Return 16 hex digits of HMAC-SHA256(secret key, password hash): public-safe, changes with the password."""
        key = current_app.config["SECRET_KEY"].encode()
        return hmac.new(key, self.password_hash.encode(), hashlib.sha256).hexdigest()[:16]

    @property
    def actor(self) -> str:
        """Return the audit-log actor string ``staff:<id>``."""
        return f"staff:{self.id}"
