"""Refuse a NUL character (U+0000) anywhere in a request's text, before any view sees it.

PostgreSQL ``text`` cannot hold U+0000 (``UntranslatableCharacter``) while SQLite stores it,
so one crafted field (a 填空 answer, a search query, a staff form) would be a 500 on one
database and silently stored on the other. No keyboard types it, so a whole-request refusal
(422, the API's error shape under ``/api/`` and for the autosave script) loses nothing a
person typed. Other control characters are the business of each field's own check
(:func:`quizapp.core.text.has_hidden_characters`).
"""

from __future__ import annotations

import re

from flask import Flask, current_app, jsonify, request

from quizapp.core.errors import ValidationFailed

NUL = "\x00"
NUL_MESSAGE = "提交的内容中含有不可见的控制字符（NUL），请删除后重新填写。"


#: ``\u0000`` in a JSON text, not preceded by an escaped backslash (``\\u0000`` is the six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _request_has_nul() -> bool:
    """Return whether the path, query, form or JSON body of the request has a NUL.

    The JSON body is scanned as text, not parsed, so absurdly nested JSON stays the API's 400.
    """
    if NUL in request.path or _has_nul(request.args):
        return True
    if _over_default_limit():
        # Parsing here would apply the default limit before a view that raises it for itself
        # (the bank upload, up to QUIZAPP_BANK_UPLOAD_MAX_MB) could: that view's form checks its
        # own text fields; any other view refuses the body with 413 when it parses it.
        return False
    if _has_nul(request.form):
        return True
    return request.is_json and JSON_NUL.search(request.get_data(cache=True)) is not None


def _has_nul(values) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def _over_default_limit() -> bool:
    """Return whether the request declares a body longer than the app's ``MAX_CONTENT_LENGTH``."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return bool(limit and request.content_length and request.content_length > limit)


def register(app: Flask) -> None:
    """Install the NUL check on *app*."""

    @app.before_request
    def refuse_nul():
        if not _request_has_nul():
            return None
        if not request.path.startswith("/api/") and request.accept_mimetypes.best == "application/json":
            return jsonify({"error": {"code": "invalid_text", "message": NUL_MESSAGE}}), 422
        raise ValidationFailed(NUL_MESSAGE, code="invalid_text")
