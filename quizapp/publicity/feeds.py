"""Atom feeds (overall and per kind), the sitemap and poster QR codes.

All three list only what :func:`quizapp.publicity.services.visible_publicity` shows now (never bank questions),
so a scheduled item enters the feed and sitemap at its ``publish_at``.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import segno
from feedgen.feed import FeedGenerator
from flask import Response, current_app, request

from quizapp.core.timeutil import utcnow
from quizapp.core.urls import absolute_url, external_url_for, same_site_path, site_root
from quizapp.extensions import db
from quizapp.laws import services as laws
from quizapp.laws.searching import article_path
from quizapp.publicity import bp
from quizapp.publicity.kinds import KINDS, KINDS_BY_SLUG
from quizapp.publicity.links import item_path
from quizapp.publicity.services import all_visible, visible_publicity
from quizapp.publishing.models import Item

FEED_ENTRIES = 50
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ALL_SLUGS = ",".join(kind.slug for kind in KINDS.values())
QR_MAX_SCALE = 20


def build_feed(kind_name: str | None = None) -> bytes:
    """Return the Atom document (UTF-8 bytes) of the newest visible items, of one kind or all."""
    site = current_app.config["SITE_NAME"]
    kind = KINDS.get(kind_name) if kind_name else None
    self_url = absolute_url(request.path)
    home = external_url_for("publicity.warnings" if kind_name == "warning" else "public.home")
    if kind and kind.name != "warning":
        home = external_url_for("publicity.list_page", slug=kind.slug)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(f"{kind.label} - {site}" if kind else site)
    feed.subtitle(current_app.config["SITE_SPONSOR"])
    feed.author({"name": current_app.config["SITE_SPONSOR"]})
    feed.link(href=home, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language("zh-CN")
    items = list(db.session.scalars(visible_publicity(kind_name).limit(FEED_ENTRIES)))
    feed.updated(max((_when(item) for item in items), default=utcnow()))
    for item in reversed(items):  # feedgen prepends: add oldest first so the newest leads
        entry = feed.add_entry()
        url = item_path(item, external=True)
        entry.id(url)
        entry.title(f"【{KINDS[item.kind].label}】{item.title}" if not kind else item.title)
        entry.link(href=url)
        entry.summary(item.summary or item.title)
        entry.published(_when(item))
        entry.updated(_when(item))
    return feed.atom_str(pretty=True)


def _when(item: Item) -> datetime:
    """Return the item's own date (case, penalty, warning or news date) as local midnight; else when it was published."""
    if item.dated is not None:
        return datetime.combine(item.dated, time(), ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))
    return item.published_at or item.publish_at or item.created_at


@bp.get("/feed.xml")
def feed():
    """The overall Atom feed."""
    return Response(build_feed(), mimetype="application/atom+xml")


@bp.get(f"/<any({ALL_SLUGS}):slug>/feed.xml")
def kind_feed(slug: str):
    """The Atom feed of one kind."""
    return Response(build_feed(KINDS_BY_SLUG[slug].name), mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
def sitemap():
    """The sitemap: home, list pages, every visible item (``lastmod`` the item's own date) and the law library.

    The library is ``/laws``, each law's contents and every article of the version in force.
    """
    ElementTree.register_namespace("", SITEMAP_NS)
    root = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")

    def add(location: str, lastmod=None) -> None:
        node = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = location
        if lastmod is not None:
            ElementTree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.date().isoformat()

    add(external_url_for("public.home"))
    for kind in KINDS.values():
        endpoint = ("publicity.warnings", {}) if kind.name == "warning" else ("publicity.list_page", {"slug": kind.slug})
        add(external_url_for(endpoint[0], **endpoint[1]))
    for item in all_visible():
        add(item_path(item, external=True), _when(item))
    add(external_url_for("laws.index"))
    for law, _version, _count in laws.list_laws():
        add(external_url_for("laws.toc", slug=law.slug))
    for slug, article in laws.current_articles():
        add(absolute_url(article_path(slug, article)))
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/xml")


@bp.get("/qr")
def qr():
    """A QR code (segno) of a page of this site for posters: ``/qr?path=/cases/x[&format=png&scale=10]``.

    SVG by default; PNG with ``format=png``. ``scale`` is the module size in pixels (1–20).
    """
    path = same_site_path(request.args.get("path"))
    url = site_root() + path
    code = segno.make(url, error="m", micro=False)
    scale = min(max(request.args.get("scale", 4, type=int) or 4, 1), QR_MAX_SCALE)
    buffer = io.BytesIO()
    if request.args.get("format") == "png":
        code.save(buffer, kind="png", scale=scale, border=2)
        mimetype = "image/png"
    else:
        code.save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, title=url)
        mimetype = "image/svg+xml"
    response = Response(buffer.getvalue(), mimetype=mimetype)
    response.cache_control.public, response.cache_control.max_age = True, 86400
    return response
