"""The anonymous learner cookie: a random learner key, signed, HttpOnly, kept for two years.

No account is needed: the 错题本 belongs to whoever holds the cookie on that device.
The value is signed with the app's secret key (itsdangerous), so a learner cannot
read or guess another learner's book by editing their cookie.
"""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "quizapp_learner"
COOKIE_MAX_AGE_S = 2 * 365 * 24 * 3600
_SALT = "quizapp.practice.learner"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def learner_key() -> str | None:
    """Return the learner key from this request's cookie, or None when absent or tampered with."""
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return None
    try:
        key = _serializer().loads(value)
    except BadSignature:
        return None
    return key if isinstance(key, str) else None


def remember_learner(response: Response, key: str) -> Response:
    """Set (or refresh) the learner cookie on *response*."""
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps(key),
        max_age=COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response
