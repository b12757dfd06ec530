"""The whole-page cache of reader pages: per-visitor CSRF tokens, who bypasses it, invalidation, expiry, the view counter."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.extensions import page_cache as cache
from quizapp.practice.learner import COOKIE_NAME as LEARNER_COOKIE
from quizapp.public import pagecache
from quizapp.publishing import workflow
from quizapp.publishing.models import Item
from quizapp.publishing.tasks import sweep_schedule
from quizapp.reports.usage import flush_counts, usage_between
from tests.laws.factories import SAFETY_LAW

TTL_S = 30
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STAFF = "staff:7"


@pytest.fixture
def cached(app, practice_library):
    """The starter content and statutes, with the page cache on (memory, 30 s)."""
    app.config.update(PAGE_CACHE_TYPE="SimpleCache", PAGE_CACHE_S=TTL_S)
    pagecache.init_app(app)
    return app


@pytest.fixture
def with_csrf(cached):
    """CSRF protection on, as in production."""
    cached.config["WTF_CSRF_ENABLED"] = True
    return cached


def _article_with_practice(app) -> str:
    """Return the path of the first 安全生产法 article that carries a 练一练 form (found with the cache off)."""
    app.config["PAGE_CACHE_S"] = 0
    client = app.test_client()
    try:
        for number in range(1, 120):
            path = f"/laws/{SAFETY_LAW}/{number}"
            if 'action="/laws/' in client.get(path).get_data(as_text=True):
                return path
    finally:
        app.config["PAGE_CACHE_S"] = TTL_S
    raise AssertionError("no article with a practice question in the starter bank")


def _form(page: str) -> tuple[str, dict]:
    """Return the practice form's action and a complete answer (the first option, or true)."""
    form = re.search(r'<form method="post" class="card question" action="([^"]+)">(.*?)</form>', page, re.S)
    action, inner = form.group(1), form.group(2)
    data = {"csrf_token": TOKEN.search(inner).group(1), "version": re.search(r'name="version"[^>]*value="([^"]+)"', inner).group(1)}
    option = re.search(r'name="(choice|choices|truth)"[^>]*value="([^"]+)"', inner)
    data[option.group(1)] = option.group(2)
    return action, data


def _case(db) -> Item:
    return db.session.scalar(select(Item).where(Item.kind == "case").order_by(Item.uid))


@pytest.mark.parametrize("page", ["home", "article"])
def test_a_cache_hit_is_the_same_page_with_each_visitors_own_token_and_both_forms_are_accepted(with_csrf, page):
    path = "/" if page == "home" else _article_with_practice(with_csrf)
    first, second, stranger = with_csrf.test_client(), with_csrf.test_client(), with_csrf.test_client()

    miss = first.get(path)
    hit = second.get(path)

    assert (miss.headers[pagecache.STATUS_HEADER], hit.headers[pagecache.STATUS_HEADER]) == ("miss", "hit")
    first_token, second_token = TOKEN.search(miss.get_data(as_text=True)).group(1), TOKEN.search(hit.get_data(as_text=True)).group(1)
    assert first_token != second_token
    assert TOKEN.sub("", miss.get_data(as_text=True)) == TOKEN.sub("", hit.get_data(as_text=True))
    for response in (miss, hit):
        assert response.content_type == "text/html; charset=utf-8"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.headers["Vary"]
    with with_csrf.test_request_context(path):
        stored = cache.get(pagecache.page_key({}))
    assert pagecache.TOKEN_PLACEHOLDER in stored["body"]
    assert first_token.encode() not in stored["body"] and second_token.encode() not in stored["body"]

    action, answer = _form(hit.get_data(as_text=True))
    assert second.post(action, data=answer).status_code == 303
    action, answer = _form(miss.get_data(as_text=True))
    assert stranger.post(action, data=answer).status_code == 400  # a token belongs to its visitor's session
    assert first.post(action, data=answer).status_code == 303


def test_query_arguments_the_view_does_not_read_share_the_entry_and_a_404_is_not_stored(cached):
    client = cached.test_client()
    path = f"/laws/{SAFETY_LAW}/3"

    assert client.get(path).headers[pagecache.STATUS_HEADER] == "miss"
    assert client.get(f"{path}?from=singlemessage&isappinstalled=0").headers[pagecache.STATUS_HEADER] == "hit"
    assert client.get(f"{path}?version=abc").headers[pagecache.STATUS_HEADER] == "hit"  # read as no version, as the view does
    assert client.get(f"{path}?version=1").headers[pagecache.STATUS_HEADER] == "miss"
    missing = [client.get(f"/laws/{SAFETY_LAW}/9999") for _ in range(2)]
    assert [(r.status_code, r.headers.get(pagecache.STATUS_HEADER)) for r in missing] == [(404, None), (404, None)]


def test_staff_never_get_or_fill_the_cache(cached, db, make_staff, login_as):
    case_path = f"/cases/{_case(db).uid}"
    staff = cached.test_client()
    login_as(staff, make_staff("editor"))

    assert staff.get(case_path).headers[pagecache.STATUS_HEADER] == "bypass"
    assert cached.test_client().get(case_path).headers[pagecache.STATUS_HEADER] == "miss"  # staff stored nothing
    assert staff.get(case_path).headers[pagecache.STATUS_HEADER] == "bypass"  # nor read the stored page


def test_a_waiting_flash_bypasses_the_cache_and_shows(cached):
    client = cached.test_client()
    assert client.get("/").headers[pagecache.STATUS_HEADER] == "miss"
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "已退出登录")]

    flashed = client.get("/")

    assert flashed.headers[pagecache.STATUS_HEADER] == "bypass"
    assert "已退出登录" in flashed.get_data(as_text=True)
    after = client.get("/")
    assert after.headers[pagecache.STATUS_HEADER] == "hit" and "已退出登录" not in after.get_data(as_text=True)


def test_a_learner_with_a_cookie_gets_their_own_option_order_never_a_stored_page(cached):
    path = _article_with_practice(cached)
    learner = cached.test_client()
    action, answer = _form_without_token(learner.get(path).get_data(as_text=True))
    assert learner.post(action, data=answer).status_code == 303
    assert learner.get_cookie(LEARNER_COOKIE) is not None

    assert learner.get(path).headers[pagecache.STATUS_HEADER] == "bypass"
    assert cached.test_client().get(path).headers[pagecache.STATUS_HEADER] == "hit"  # the anonymous entry stays


def _form_without_token(page: str) -> tuple[str, dict]:
    form = re.search(r'<form method="post" class="card question" action="([^"]+)">(.*?)</form>', page, re.S)
    inner = form.group(2)
    data = {"version": re.search(r'name="version"[^>]*value="([^"]+)"', inner).group(1)}
    option = re.search(r'name="(choice|choices|truth)"[^>]*value="([^"]+)"', inner)
    data[option.group(1)] = option.group(2)
    return form.group(1), data


def test_archiving_an_item_retires_its_stored_page_at_once(cached, db):
    case = _case(db)
    client = cached.test_client()
    assert client.get(f"/cases/{case.uid}").headers[pagecache.STATUS_HEADER] == "miss"
    assert client.get(f"/cases/{case.uid}").headers[pagecache.STATUS_HEADER] == "hit"
    home = client.get("/").get_data(as_text=True)
    assert client.get("/").headers[pagecache.STATUS_HEADER] == "hit"
    generation = pagecache.generation()

    workflow.archive(case.id, STAFF)

    assert pagecache.generation() != generation
    assert client.get(f"/cases/{case.uid}").status_code == 404
    fresh = client.get("/")
    assert fresh.headers[pagecache.STATUS_HEADER] == "miss"
    assert (f"/cases/{case.uid}" in home, f"/cases/{case.uid}" in fresh.get_data(as_text=True)) == (True, False)


def test_the_scheduled_sweeps_bulk_update_moves_the_generation_and_a_rollback_does_not(cached, db):
    case = _case(db)
    generation = pagecache.generation()
    case.expire_at = utcnow() - timedelta(minutes=1)  # past: the sweep archives it
    db.session.flush()
    db.session.rollback()
    assert pagecache.generation() == generation  # rolled back: nothing changed on the site

    case = _case(db)
    case.expire_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert pagecache.generation() != generation
    generation = pagecache.generation()

    assert sweep_schedule()["archived"] == 1
    assert pagecache.generation() != generation


def test_a_stored_page_lives_page_cache_s_seconds(cached, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr("cachelib.simple.time", lambda: now[0])
    client = cached.test_client()
    path = f"/laws/{SAFETY_LAW}/5"

    assert client.get(path).headers[pagecache.STATUS_HEADER] == "miss"
    now[0] += TTL_S - 1
    assert client.get(path).headers[pagecache.STATUS_HEADER] == "hit"
    now[0] += 2
    assert client.get(path).headers[pagecache.STATUS_HEADER] == "miss"


def test_the_workers_of_one_machine_share_stored_pages_and_the_generation_through_files(app, practice_library, tmp_path):
    from quizapp import create_app

    workers = [app, create_app("testing")]  # the second has no data of its own: it can only answer from the store
    for worker in workers:
        worker.config.update(PAGE_CACHE_TYPE="FileSystemCache", PAGE_CACHE_DIR=str(tmp_path), PAGE_CACHE_S=TTL_S)
        pagecache.init_app(worker)
    path = f"/laws/{SAFETY_LAW}/3"

    stored = workers[0].test_client().get(path)
    served = workers[1].test_client().get(path)

    assert (stored.headers[pagecache.STATUS_HEADER], served.headers[pagecache.STATUS_HEADER]) == ("miss", "hit")
    assert served.get_data() == stored.get_data()
    workflow.archive(_case(db).id, STAFF)  # a commit in the first worker
    generations = []
    for worker in workers:
        with worker.app_context():
            generations.append(pagecache.generation())
    assert generations[0] == generations[1] != "0"
    with workers[1].app_context():
        db.create_all()  # its own in-memory database on SQLite (the shared one on PostgreSQL)
    try:
        assert workers[1].test_client().get(path).headers.get(pagecache.STATUS_HEADER) != "hit"
    finally:
        with workers[1].app_context():
            db.session.remove()
            db.engine.dispose()


def test_zero_seconds_turns_the_cache_off(cached):
    cached.config["PAGE_CACHE_S"] = 0
    client = cached.test_client()
    assert [client.get("/").headers[pagecache.STATUS_HEADER] for _ in range(2)] == ["bypass", "bypass"]


def test_every_article_view_is_counted_cache_hits_included(cached, db):
    client = cached.test_client()
    statuses = [client.get(f"/laws/{SAFETY_LAW}/{number}").headers[pagecache.STATUS_HEADER] for number in (3, 3, 3, 4)]
    assert statuses == ["miss", "hit", "hit", "miss"]
    client.get(f"/laws/{SAFETY_LAW}/9999")  # a missing article is not a view

    assert flush_counts() == 4
    assert flush_counts() == 0
    client.get(f"/laws/{SAFETY_LAW}/4")
    assert usage_between(date(2000, 1, 1), date(2099, 12, 31))["law_article_view"] == 5  # reads flush first


def test_a_hit_sets_only_a_new_visitors_session_cookie_and_never_rewrites_a_returning_ones(with_csrf):
    visitor = with_csrf.test_client()
    visitor.get("/")  # the miss: renders, stores
    first_hit = with_csrf.test_client().get("/")
    returning = visitor.get("/")

    assert [cookie.split("=", 1)[0] for cookie in first_hit.headers.getlist("Set-Cookie")] == ["session"]
    assert (returning.headers[pagecache.STATUS_HEADER], returning.headers.getlist("Set-Cookie")) == ("hit", [])


def test_a_head_request_is_answered_from_the_stored_page(cached):
    client = cached.test_client()
    assert client.get("/").headers[pagecache.STATUS_HEADER] == "miss"
    head = client.head("/")
    assert (head.status_code, head.headers[pagecache.STATUS_HEADER], head.get_data()) == (200, "hit", b"")
