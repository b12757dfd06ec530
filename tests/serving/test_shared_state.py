"""Two app instances on one database and one Redis: one leaderboard, one rate limit, one scheduler effect.

Skipped when no Redis answers at 127.0.0.1:6379 (it uses database 13 and empties it).
The instances share the test database: a file on SQLite, ``QUIZAPP_TEST_DATABASE_URL`` on PostgreSQL.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text

from quizapp import config as settings
from quizapp import create_app
from quizapp.content.sync import sync_content
from quizapp.contests.models import Attempt, Competition
from quizapp.contests.tasks import sweep_overdue_attempts
from quizapp.core.timeutil import utcnow
from quizapp.extensions import cache, db
from quizapp.publishing.models import AuditLog
from quizapp.publishing.services import add_revision, create_item
from quizapp.publishing.tasks import ADVISORY_LOCK_KEY, SCHEDULER_ACTOR, sweep_schedule
from tests.conftest import ON_POSTGRES, ROOT
from tests.contests.factories import API, answer_all, entrant, start, submit

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure: no Redis here
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def database_url(tmp_path, request):
    if ON_POSTGRES:
        request.getfixturevalue("app")  # the suite's schema, emptied before and after
        return os.environ["QUIZAPP_TEST_DATABASE_URL"]
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


@pytest.fixture
def instances(database_url, redis_db):
    """Two apps (A, B) as two gunicorn machines would build them: same database, same Redis, same keys."""
    pii_key = Fernet.generate_key().decode()
    apps = []
    for _ in range(2):
        config = settings.TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = database_url
        config.PII_KEY = pii_key
        config.CACHE_TYPE = "RedisCache"
        config.CACHE_REDIS_URL = REDIS_URL
        config.RATELIMIT_STORAGE_URI = REDIS_URL
        config.ATTEMPT_START_LIMIT = "3 per minute"
        apps.append(create_app(config))
    if not ON_POSTGRES:
        with apps[0].app_context():
            db.create_all()
    yield apps
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def on(application):
    """Run the block inside *application*'s context, reading the database afresh."""
    with application.app_context():
        db.session.expire_all()
        yield
        db.session.remove()


def _starter_competition() -> SimpleNamespace:
    """Load the starter content; return the open competition's id, 单位 list and time limit as plain values."""
    sync_content(ROOT / "content")
    competition = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    return SimpleNamespace(id=competition.id, organizations=list(competition.organizations), time_limit_s=competition.time_limit_s)


def _board(client, competition_id: int) -> list[tuple]:
    response = client.get(f"{API}/competitions/{competition_id}/leaderboard")
    assert response.status_code == 200
    return [(entry["rank"], entry["name"], entry["score"]) for entry in response.get_json()["entries"]]


def _sit(client, competition: SimpleNamespace, phone: str, name: str, wrong: int) -> float:
    attempt = start(client, competition, phone=phone, name=name)
    answer_all(client, attempt, wrong=wrong)
    return submit(client, attempt)["score"]


def test_two_instances_show_one_leaderboard(instances):
    first, second = instances
    with on(first):
        competition = _starter_competition()
        best = _sit(first.test_client(), competition, "13800000001", "张三", wrong=0)
        board = _board(first.test_client(), competition.id)
    assert board == [(1, "张*", best)]

    with on(second):
        lower = _sit(second.test_client(), competition, "13800000002", "李四", wrong=3)
        # B has never computed the board: it serves the entry A put into Redis (at most 5 s old).
        assert _board(second.test_client(), competition.id) == board
    assert lower < best

    with on(first):
        cache.clear()  # what the 5 s expiry does
    with on(second):
        fresh = _board(second.test_client(), competition.id)
    with on(first):
        assert _board(first.test_client(), competition.id) == fresh == [(1, "张*", best), (2, "李*", lower)]


def test_two_instances_count_one_rate_limit_for_attempt_starts(instances):
    first, second = instances
    with on(first):
        competition = _starter_competition()
        for number in range(2):
            start(first.test_client(), competition, phone=f"1380000001{number}", name=f"甲{number}")
    with on(second):
        client = second.test_client()
        start(client, competition, phone="13800000020", name="乙")
        refused = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, phone="13800000021", name="丙"))
    assert refused.status_code == 429  # the third start of this address in a minute, counted across both instances


def _scheduled_news(publish_at) -> int:
    item = create_item("shared-news", "news", "staff:1")
    add_revision(item, {"title": "定时发布", "date": "2026-06-01", "event": "安全生产月", "body": "正文"}, {"title": "定时发布"}, "staff:1")
    db.session.flush()
    item.schedule(publish_at, "staff:1")
    db.session.commit()
    return item.id


def _publish_rows(item_id: int) -> int:
    return db.session.scalar(
        select(func.count(AuditLog.id)).where(AuditLog.item_id == item_id, AuditLog.actor == SCHEDULER_ACTOR, AuditLog.action == "publish")
    )


def test_the_publishing_sweep_on_two_instances_publishes_once(instances):
    first, second = instances
    with on(first):
        item_id = _scheduled_news(utcnow() - timedelta(minutes=1))
    results = []
    with on(first):
        if ON_POSTGRES:
            # A's sweep is under way (it holds the advisory lock) when B's starts: B skips.
            db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            with on(second):
                results.append(sweep_schedule())
            db.session.rollback()
        results.append(sweep_schedule())
    with on(second):
        results.append(sweep_schedule())
        assert _publish_rows(item_id) == 1
    expected = [{"skipped": 1}] if ON_POSTGRES else []
    assert results == [*expected, {"published": 1, "archived": 0}, {"published": 0, "archived": 0}]


def test_the_overdue_attempt_sweep_on_two_instances_scores_an_attempt_once(instances):
    first, second = instances
    with on(first):
        competition = _starter_competition()
        attempt = start(first.test_client(), competition, phone="13800000031", name="王五")
        late = utcnow() + timedelta(seconds=competition.time_limit_s + 60)
    with on(first):
        assert sweep_overdue_attempts(late) == 1
    with on(second):
        assert sweep_overdue_attempts(late) == 0
        row = db.session.get(Attempt, attempt["attempt_id"])
        assert (row.status, row.score) == ("submitted", 0)
