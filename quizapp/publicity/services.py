"""Read side of the publicity kinds: visible lists with filters, detail pages, home-page picks.

Every query starts from :func:`quizapp.publishing.visibility.visible_items`, so a scheduled
item appears at its ``publish_at`` and an expired one disappears, whatever the sweep did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime

from sqlalchemy import extract, func, select
from sqlalchemy.orm import selectinload

from quizapp.core.errors import NotFound
from quizapp.core.pagination import checked_page, page_count
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS, Kind
from quizapp.publishing.models import Item
from quizapp.publishing.visibility import is_visible, visible_items

LIVE = selectinload(Item.live_revision)


@dataclass(frozen=True)
class Filters:
    """List filters (all optional): year of the item's date, industry, category (violation type / topic / event)."""

    year: int | None = None
    industry: str | None = None
    category: str | None = None

    def as_args(self) -> dict[str, str]:
        """Return the non-empty filters as query-string arguments (for pagination links)."""
        return {key: str(value) for key, value in vars(self).items() if value not in (None, "")}


@dataclass(frozen=True)
class Page:
    """One page of items: ``entries`` are ``(item, view)`` pairs, newest first."""

    entries: list[tuple[Item, object]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Return the number of pages (at least 1)."""
        return page_count(self.total, self.per_page)


def list_items(kind: Kind, page: int = 1, filters: Filters | None = None, now: datetime | None = None) -> Page:
    """Return page *page* (1-based; below 1 is the first) of the visible items of *kind* at *now* (UTC), filtered.

    Raises:
        NotFound: for a page past the last (checked before the query, so no huge offset reaches SQL),
            or a year filter outside 1 … 9999 (no date has it).

    """
    filters = filters or Filters()
    if filters.year and not MINYEAR <= filters.year <= MAXYEAR:
        raise NotFound("没有这一年的内容。")
    query = visible_items(kind.name, now)
    if filters.year:
        query = query.where(Item.dated >= date(filters.year, 1, 1), Item.dated <= date(filters.year, 12, 31))
    if filters.industry:
        query = query.where(Item.industry == filters.industry)
    if filters.category:
        query = query.where(Item.category == filters.category)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = checked_page(page, total, kind.per_page)
    items = db.session.scalars(query.limit(kind.per_page).offset((page - 1) * kind.per_page).options(LIVE)).all()
    return Page([(item, kind.view(item.live_revision.content)) for item in items], total, page, kind.per_page)


def facets(kind: Kind, now: datetime | None = None) -> dict[str, list]:
    """Return the filter choices among visible items of *kind*: ``{"years": [2026, …], "industries": […], "categories": […]}``."""
    visible = (Item.kind == kind.name, is_visible(now))
    years = db.session.scalars(select(extract("year", Item.dated)).distinct().where(*visible, Item.dated.is_not(None)))
    industries = db.session.scalars(select(Item.industry).distinct().where(*visible, Item.industry.is_not(None)))
    categories = db.session.scalars(select(Item.category).distinct().where(*visible, Item.category.is_not(None)))
    return {
        "years": sorted({int(year) for year in years}, reverse=True),
        "industries": sorted(industries),
        "categories": sorted(categories),
    }


def get_item(kind: Kind, uid: str, now: datetime | None = None) -> tuple[Item, object]:
    """Return ``(item, view)`` of the visible item *uid* of *kind*.

    Raises:
        NotFound: when there is no such item or it is not visible at *now*.

    """
    item = db.session.scalar(visible_items(kind.name, now).where(Item.uid == uid))
    if item is None:
        raise NotFound("内容不存在或尚未发布。")
    return item, kind.view(item.live_revision.content)


def get_warning(year: int, month: int, now: datetime | None = None) -> tuple[Item, object]:
    """Return ``(item, view)`` of the visible 每月一警示 of *year*-*month*. Raises NotFound."""
    kind = KINDS["warning"]
    item = db.session.scalar(visible_items(kind.name, now).where(Item.period == f"{year:04d}-{month:02d}"))
    if item is None:
        raise NotFound("该月的警示尚未发布。")
    return item, kind.view(item.live_revision.content)


def warning_archive(now: datetime | None = None) -> dict[int, list[tuple[Item, object]]]:
    """Return every visible monthly warning grouped by year (newest year and month first)."""
    kind = KINDS["warning"]
    items = db.session.scalars(visible_items(kind.name, now).order_by(None).order_by(Item.period.desc()).options(LIVE)).all()
    archive: dict[int, list[tuple[Item, object]]] = {}
    for item in items:
        view = kind.view(item.live_revision.content)
        archive.setdefault(view.year, []).append((item, view))
    return archive


def latest(kind_name: str, limit: int = 1, featured: bool = False, now: datetime | None = None) -> list[tuple[Item, object]]:
    """Return the newest *limit* visible items of a kind (only featured ones if *featured*), with their views."""
    kind = KINDS[kind_name]
    query = visible_items(kind.name, now)
    if featured:
        query = query.where(Item.is_featured.is_(True))
    if kind.name == "warning":
        query = query.order_by(None).order_by(Item.period.desc())
    return [(item, kind.view(item.live_revision.content)) for item in db.session.scalars(query.limit(limit).options(LIVE))]


def visible_publicity(kind_name: str | None = None, now: datetime | None = None):
    """Return ``select(Item)`` of the visible publicity items, of one kind or all, newest first.

    Only the kinds of :data:`quizapp.publicity.kinds.KINDS`: bank questions are items too
    (kind ``question``, on the same lifecycle) but have no public page, so no feed, sitemap
    or listing may show them.
    """
    return visible_items(kind_name, now or utcnow()).where(Item.kind.in_(KINDS))


def all_visible(now: datetime | None = None, limit: int | None = None) -> list[Item]:
    """Return every visible item of every kind, newest first (feeds and the sitemap)."""
    query = visible_publicity(None, now)
    return list(db.session.scalars(query.limit(limit) if limit else query))
