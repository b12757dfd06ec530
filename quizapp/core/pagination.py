"""One pagination rule for every list: pages are 1-based, a page past the last is a 404."""

from __future__ import annotations

from quizapp.core.errors import NotFound


def page_count(total: int, per_page: int) -> int:
    """Return how many pages *total* items fill at *per_page* a page (at least 1)."""
    return max(1, -(-total // per_page))


def checked_page(page: int, total: int, per_page: int) -> int:
    """Return *page* clamped below at 1.

    Raises:
        NotFound: when *page* lies past the last page (checked before any query uses it).

    """
    page = max(1, page)
    if page > page_count(total, per_page):
        raise NotFound("没有这一页。")
    return page
