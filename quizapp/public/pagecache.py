"""Whole-page cache for anonymous readers: the home page, publicity items and law articles.

A reader page costs 20–30 ms of CPU to build (SQLAlchemy and Jinja) and is the same for every
anonymous visitor except for three things, each handled here:

- **the CSRF token** of the practice form (每日一题, 练一练): the HTML is stored with the
  rendering visitor's signed token replaced by :data:`TOKEN_PLACEHOLDER`, and every visitor
  served from the cache gets their own ``generate_csrf()`` put back in. The stored copy never
  holds anybody's token, and the token a visitor receives is made from their own session
  exactly as an uncached render would make it, so a cache hit submits like a fresh page
  (tests/public/test_pagecache.py posts the form after a hit, with CSRF on).
- **the learner cookie**, which reorders a question's options per learner
  (:func:`quizapp.practice.services.option_order`): a request carrying it is never served from
  the cache and never stored; a first-time visitor (a WeChat link) has none.
- **flashes and staff**: a request with a flashed message waiting, or from a logged-in staff
  user, bypasses the cache, so staff always see the live page.

Only GET/HEAD answered 200 with ``text/html`` and without a cookie of the view's own are stored.
The key is ``page:<generation>:<site root><path>?<the view's declared query arguments>``:
other query arguments (``?from=singlemessage`` added by WeChat) are left out, since these views
never read them. The site root is left out when ``QUIZAPP_SITE_URL`` fixes absolute URLs, so a
forged Host header can neither poison an entry nor multiply them.

Where pages are kept (:data:`quizapp.extensions.page_cache`, its own Flask-Caching instance):
in Redis when ``QUIZAPP_REDIS_URL`` is set (every machine), otherwise in files under
``instance/page-cache`` (``QUIZAPP_PAGE_CACHE_DIR``), shared by the workers of one machine, so
a page renders once per period rather than once per worker, and a generation bump reaches
every worker. A cache read is a file read of a few kB (tens of microseconds).

Freshness: an entry lives ``PAGE_CACHE_S`` seconds (``QUIZAPP_PAGE_CACHE_S``; 0 turns the cache
off), which bounds how late a scheduled item or a competition opening shows; and any commit
that changes published content, a competition, the law library or the question bank moves the
**generation** (:func:`bump_generation`, through the session hooks of :func:`init_app`), which
retires every stored page at once, for every worker sharing the store.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from functools import wraps

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from quizapp.accounts.access import may_be_logged_in
from quizapp.extensions import page_cache as cache
from quizapp.practice.learner import COOKIE_NAME as LEARNER_COOKIE

GENERATION_KEY = "page:generation"
#: Pages kept at most (the site has a few thousand pages; each a few kB to a few tens of kB).
FILE_THRESHOLD = 5000
#: Stands for the visitor's CSRF token in a stored page; no signed token can contain ``:`` or spaces.
TOKEN_PLACEHOLDER = b"quizapp:csrf token:placeholder"
#: Marks what happened to a page request (``hit``, ``miss``, ``bypass``): for operators and tests.
STATUS_HEADER = "X-Page-Cache"
FLASHES_KEY = "_flashes"


def _token_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def is_cacheable_request() -> bool:
    """Return True when this request may be served from, and stored into, the page cache.

    GET or HEAD, no staff login (not even a stale one), no flashed message waiting, no learner cookie.
    """
    return (
        request.method in ("GET", "HEAD")
        and LEARNER_COOKIE not in request.cookies
        and FLASHES_KEY not in session
        and not may_be_logged_in()
    )


def generation() -> str:
    """Return the current generation of stored pages (``"0"`` before the first change)."""
    return str(cache.get(GENERATION_KEY) or "0")


def bump_generation() -> None:
    """Retire every stored page: the next request of each page renders it afresh."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=0)


def page_key(arguments: dict[str, type]) -> str:
    """Return the cache key of this request: generation, site root (unless fixed), path and the declared arguments."""
    root = "" if current_app.config.get("SITE_URL") else f"{request.scheme}://{request.host}{request.script_root}"
    values = []
    for name in sorted(arguments):
        value = request.args.get(name, type=arguments[name])
        if value is not None:
            values.append(f"{name}={value}")
    return f"page:{generation()}:{root}{request.path}?{'&'.join(values)}"


#: The view functions behind :func:`cached_page` (for :func:`skip_rate_limit_bookkeeping`).
_CACHED_VIEWS: set = set()


def cached_page(arguments: dict[str, type] | None = None, on_hit: Callable[[], None] | None = None):
    """Decorate a reader view so anonymous visitors get its page from the cache (see the module docstring).

    *arguments* maps each query argument the view reads to its type (``{"version": int}``); a
    value that does not parse keys like an absent one, as the view reads it. *on_hit* runs
    on each cache hit, for what the view does besides rendering (the law-article view counter).
    """
    arguments = arguments or {}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            # In tests an app context outlives the request; a token left in g would be another visitor's.
            g.pop(_token_field(), None)
            timeout_s = current_app.config.get("PAGE_CACHE_S", 0)
            if not timeout_s or not is_cacheable_request():
                return _headers(make_response(view(*args, **kwargs)), "bypass")
            key = page_key(arguments)
            entry = cache.get(key)
            if entry is not None:
                if on_hit is not None:
                    on_hit()
                return _headers(_from_entry(entry), "hit")
            response = make_response(view(*args, **kwargs))
            entry = _to_entry(response)
            if entry is not None:
                cache.set(key, entry, timeout=timeout_s)
            return _headers(response, "miss" if entry is not None else "bypass")

        _CACHED_VIEWS.add(wrapped)
        return wrapped

    return decorator


def _to_entry(response: Response) -> dict | None:
    """Return what to store of *response* (body with the token replaced), or None when it must not be stored."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.is_streamed
        or "Set-Cookie" in response.headers
        or FLASHES_KEY in session  # flashed during this request: the next page shows it
    ):
        return None
    body = response.get_data()
    token = g.get(_token_field())
    if token:
        body = body.replace(token.encode(), TOKEN_PLACEHOLDER)
    return {"body": body, "content_type": response.content_type, "token": bool(token)}


def _from_entry(entry: dict) -> Response:
    """Build the response of a cache hit, with this visitor's own CSRF token put in."""
    body = entry["body"]
    if entry["token"]:
        body = body.replace(TOKEN_PLACEHOLDER, generate_csrf().encode())
    return Response(body, status=200, content_type=entry["content_type"])


def _headers(response: Response, status: str) -> Response:
    """Vary on cookies; keep a page that carries a CSRF token out of every shared and disk cache."""
    response.vary.add("Cookie")
    if g.get(_token_field()):
        response.headers["Cache-Control"] = "private, no-store"
    response.headers[STATUS_HEADER] = status
    return response


def _is_reader_page() -> bool:
    return request.method in ("GET", "HEAD") and current_app.view_functions.get(request.endpoint or "") in _CACHED_VIEWS


_FILTERED: list = []


def skip_rate_limit_bookkeeping(limiter) -> None:
    """Let Flask-Limiter skip reader pages outright: none carries a limit and there is no default limit.

    Its per-request resolution of limits is about a tenth of a cache hit's CPU. A default limit
    added later (``default_limits``) would not apply to these pages: give them one explicitly.
    """
    if _is_reader_page not in _FILTERED:  # the limiter is one object per process, create_app runs per test
        limiter.request_filter(_is_reader_page)
        _FILTERED.append(_is_reader_page)


# --- invalidation -----------------------------------------------------------------------------

_WATCHED: tuple[type, ...] = ()
_DIRTY = "quizapp.pagecache.dirty"


def _watched() -> tuple[type, ...]:
    """Return the model classes whose changes show on reader pages (imported late: they import this package)."""
    global _WATCHED
    if not _WATCHED:
        from quizapp.bank.models import Question, QuestionFacet, QuestionVersion
        from quizapp.contests.models import Competition
        from quizapp.laws.models import Law, LawArticle, LawDivision, LawVersion
        from quizapp.publishing.models import Item, Revision

        _WATCHED = (Item, Revision, Competition, Law, LawVersion, LawDivision, LawArticle, Question, QuestionVersion, QuestionFacet)
    return _WATCHED


def _after_flush(session: Session, _context) -> None:
    watched = _watched()
    if any(isinstance(obj, watched) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_DIRTY] = True


def _do_orm_execute(state) -> None:
    # Bulk UPDATE/DELETE (the publishing sweep's conditional UPDATEs) never pass through the flush.
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None:
        if issubclass(state.bind_mapper.class_, _watched()):
            state.session.info[_DIRTY] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        from flask import has_app_context

        if has_app_context() and current_app.config.get("PAGE_CACHE_S", 0):
            bump_generation()


def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)


def init_app(app: Flask) -> None:
    """Bind the page store (``PAGE_CACHE_TYPE``: FileSystemCache, RedisCache, SimpleCache or NullCache) to *app*.

    Also installs, once per process, the session hooks that move the generation after every
    commit that changed what reader pages show.
    """
    config = app.config
    settings = {"CACHE_TYPE": config["PAGE_CACHE_TYPE"], "CACHE_KEY_PREFIX": config.get("CACHE_KEY_PREFIX", "quizapp:"),
                "CACHE_DEFAULT_TIMEOUT": config.get("PAGE_CACHE_S") or 1, "CACHE_NO_NULL_WARNING": True}  # fmt: skip
    if settings["CACHE_TYPE"] == "RedisCache":
        settings["CACHE_REDIS_URL"] = config["CACHE_REDIS_URL"]
    elif settings["CACHE_TYPE"] == "FileSystemCache":
        settings["CACHE_DIR"] = config.get("PAGE_CACHE_DIR") or os.path.join(app.instance_path, "page-cache")
        settings["CACHE_THRESHOLD"] = FILE_THRESHOLD
    elif settings["CACHE_TYPE"] == "SimpleCache":
        settings["CACHE_THRESHOLD"] = FILE_THRESHOLD
    cache.init_app(app, config=settings)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _do_orm_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
