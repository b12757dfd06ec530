"""JSON errors for ``/api/``: ``{"error": {"code", "message"}}`` with the right status."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from quizapp.core.errors import DomainError

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
}
HTTP_MESSAGES = {
    404: "请求的资源不存在",
    405: "不支持该请求方法",
    413: "请求内容过大",
    429: "请求过于频繁，请一分钟后再试",
    500: "服务器内部错误，请稍后再试",
}


def is_api_request() -> bool:
    """Return whether the current request is for the JSON API."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, **extra):
    """Build the JSON error response."""
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def domain_error_response(exc: DomainError):
    """Turn a DomainError into its JSON error (fields included for 422)."""
    extra = {"fields": exc.fields} if getattr(exc, "fields", None) else {}
    return error_response(exc.status, exc.code, exc.message, **extra)


def http_error_response(exc: HTTPException):
    """Turn a werkzeug HTTPException into a JSON error."""
    status = exc.code or 500
    message = HTTP_MESSAGES.get(status) or exc.description or "请求错误"
    return error_response(status, HTTP_CODES.get(status, "error"), message)


def bad_request(message: str) -> DomainError:
    """Return a 400 DomainError with *message* (for the caller to raise)."""
    return DomainError(message, code="bad_request", status=400)


def json_body() -> dict:
    """Return the request's JSON object body or raise a 400 DomainError."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly nested JSON: refuse it like any malformed body
        body = None
    if not isinstance(body, dict):
        raise bad_request("请求体应为 JSON 对象（Content-Type: application/json）")
    return body
