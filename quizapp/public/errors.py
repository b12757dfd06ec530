"""Error handlers: JSON for the API, Chinese pages for people; never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from quizapp.api.errors import domain_error_response, http_error_response, is_api_request
from quizapp.core.errors import DomainError

PAGE_TITLES = {404: "页面不存在", 403: "无权访问", 429: "操作过于频繁", 405: "请求方式不正确", 400: "请求有误", 413: "提交内容过大"}


def register(app: Flask) -> None:
    """Install the handlers on *app*."""

    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        if is_api_request():
            return domain_error_response(exc)
        title = PAGE_TITLES.get(exc.status, "操作未完成")
        return _page(exc.status, title, exc.message)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        if is_api_request():
            return http_error_response(exc)
        status = exc.code or 500
        title = PAGE_TITLES.get(status, "出错了")
        return _page(status, title, _message(exc))

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        from quizapp.extensions import db

        db.session.rollback()
        if is_api_request():
            return http_error_response(InternalServerError())
        if _in_workspace():
            return _page(500, "系统繁忙", "系统繁忙，请稍后再试；已保存的内容不会丢失。")
        return _page(500, "系统繁忙", "系统繁忙，请稍后再试；您已保存的答案不会丢失。")


def _in_workspace() -> bool:
    return request.path == "/staff" or request.path.startswith("/staff/")


def _page(status: int, title: str, message: str):
    """Render the error page: the workspace's own shell under ``/staff/``, the public one elsewhere."""
    template = "workspace/error.html" if _in_workspace() else "error.html"
    return render_template(template, status=status, title=title, message=message), status


def _message(exc: HTTPException) -> str:
    if exc.code == 404:
        return "您访问的页面不存在或已被删除。"
    if exc.code == 429 and any("\u4e00" <= ch <= "\u9fff" for ch in exc.description or ""):
        return exc.description  # a limit with its own Chinese message (e.g. the staff login lockout)
    if exc.code == 429:
        return "您的操作过于频繁，请一分钟后返回上一页再试，已填写的内容不会丢失。"
    if exc.code == 400 and "CSRF" in (exc.description or ""):
        return "页面已过期，请返回刷新后重试。"
    return "请求未能完成，请返回重试。"
