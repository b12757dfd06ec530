"""Shared caches (Flask-Caching): Redis when ``QUIZAPP_REDIS_URL`` is set, memory per process otherwise.

What is cached, for how long, and why staleness is acceptable:

- **Leaderboards** (``GET /api/v1/competitions/<id>/leaderboard`` and ``…/organizations``, the
  排行榜 page's data): ``LEADERBOARD_TTL_S`` = 5 s, keyed by path and query string. A submit does
  not clear it: the participant's own result page computes their rank live
  (:func:`quizapp.contests.ranking.rank_of`), so only the public board lags, by at most 5 s.
  With Redis every instance reads the same entry, so two instances show one leaderboard.
- **What is derived from the question bank** (the drawable pool for papers, the 练一练 index
  of questions by article, the 每日一题 order): kept per process by :func:`memo`, keyed by
  :func:`quizapp.bank.services.bank_fingerprint`, so it is never stale: any new version,
  activation or metadata edit changes the key. This is not shared through Redis: the
  fingerprint is one cheap aggregate query, the value a few hundred small tuples.

- **Whole reader pages for anonymous visitors** (``PAGE_CACHE_S``, default 15 s): a store of
  their own (``extensions.page_cache``: Redis, or files shared by one machine's workers); see
  :mod:`quizapp.public.pagecache`, which stores them without the visitor's CSRF token, and
  bypasses staff, flashes and the learner cookie.

Nothing personal is ever stored. Tests run with ``NullCache`` (nothing cached) unless a test
turns a cache on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app

from quizapp.extensions import cache

LEADERBOARD_TTL_S = 5


def _ok(response) -> bool:
    """Cache only successful responses (an error page must not outlive its cause)."""
    return getattr(response, "status_code", 200) == 200


def cached_response(timeout_s: int) -> Callable:
    """Return a view decorator caching the whole response for *timeout_s* seconds, per path and query string.

    Only for responses that are the same for every visitor (JSON without personal data).
    """
    return cache.cached(timeout=timeout_s, query_string=True, response_filter=_ok)


def cached_value(key: str, timeout_s: int, compute: Callable[[], object]) -> object:
    """Return the cached value under *key*, computing and storing it (for *timeout_s* seconds) on a miss.

    *compute* must return plain, picklable values (no ORM objects: they cannot cross processes).
    """
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout_s)
    return value


def memo(name: str, key: Hashable, compute: Callable[[], object]) -> object:
    """Return this app's value *name* if it was computed for *key*, else compute and keep it (one per name).

    For values fully determined by *key* (a fingerprint of the data they derive from), so they
    are never stale; kept on the app object, so each app (and each test) has its own.
    """
    store = current_app.extensions.setdefault("quizapp.memo", {})
    held = store.get(name)
    if held is not None and held[0] == key:
        return held[1]
    value = compute()
    store[name] = (key, value)
    return value
