"""Production serving: gunicorn.conf.py, the scheduler kept out of gunicorn workers, static cache headers."""

from __future__ import annotations

import hashlib
import multiprocessing
import runpy

import pytest
from gunicorn.config import Config as GunicornConfig

import quizapp.scheduler
from quizapp import create_app
from tests.conftest import ROOT

CONF = ROOT / "gunicorn.conf.py"
SERVING_VARIABLES = (
    "QUIZAPP_BIND", "QUIZAPP_WORKERS", "QUIZAPP_THREADS", "QUIZAPP_TIMEOUT", "QUIZAPP_ACCESS_LOG",
    "QUIZAPP_SCHEDULER_EMBEDDED", "SERVER_SOFTWARE", "QUIZAPP_ENV", "QUIZAPP_DATABASE_URL", "QUIZAPP_REDIS_URL",
)


@pytest.fixture
def serving_env(monkeypatch):
    for name in SERVING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _gunicorn_settings() -> GunicornConfig:
    """Load gunicorn.conf.py the way gunicorn does: every upper-level name that is a setting."""
    namespace = runpy.run_path(str(CONF))
    config = GunicornConfig()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_defaults_follow_the_cpu_count_and_log_to_stdout(serving_env):
    config = _gunicorn_settings()

    assert config.workers == multiprocessing.cpu_count() * 2 + 1
    assert config.worker_class_str == "sync"
    assert (config.bind, config.timeout, config.preload_app) == (["127.0.0.1:8000"], 30, False)
    assert config.accesslog == "-"
    assert config.env == {"QUIZAPP_SCHEDULER_EMBEDDED": "0"}


def test_the_environment_sets_address_workers_and_threads(serving_env):
    serving_env.setenv("QUIZAPP_BIND", "0.0.0.0:9000")
    serving_env.setenv("QUIZAPP_WORKERS", "3")
    serving_env.setenv("QUIZAPP_THREADS", "4")
    serving_env.setenv("QUIZAPP_ACCESS_LOG", "")

    config = _gunicorn_settings()

    assert (config.bind, config.workers, config.threads, config.worker_class_str) == (["0.0.0.0:9000"], 3, 4, "gthread")
    assert config.accesslog is None


def test_sqlite_with_several_workers_is_warned_about_and_refused_in_production(serving_env, capsys):
    namespace = runpy.run_path(str(CONF))
    warn = namespace["database_warning"]
    assert "PostgreSQL" in warn("sqlite:////tmp/q.db", 3)
    assert "PostgreSQL" in warn(None, 2)
    assert warn("sqlite:////tmp/q.db", 1) is None
    assert warn("postgresql+psycopg://u@h/db", 5) is None
    assert namespace["shared_state_warning"](None, 2) is not None
    assert namespace["shared_state_warning"]("redis://127.0.0.1:6379/0", 2) is None

    class Server:
        cfg = type("Cfg", (), {"workers": 3})()

    serving_env.setenv("QUIZAPP_DATABASE_URL", "sqlite:////tmp/q.db")
    namespace["on_starting"](Server())
    assert "QUIZAPP_DATABASE_URL=postgresql" in capsys.readouterr().err
    serving_env.setenv("QUIZAPP_ENV", "production")
    with pytest.raises(SystemExit):
        namespace["on_starting"](Server())


def test_the_scheduler_switch_overrides_the_environment_default(serving_env):
    serving_env.setenv("QUIZAPP_SCHEDULER_EMBEDDED", "0")
    assert create_app("development").config["SCHEDULER_EMBEDDED"] is False
    serving_env.setenv("QUIZAPP_SCHEDULER_EMBEDDED", "1")
    assert create_app("testing").config["SCHEDULER_EMBEDDED"] is True


@pytest.fixture
def started(serving_env):
    """Record calls of start_embedded instead of starting a scheduler thread."""
    calls = []
    serving_env.setattr(quizapp.scheduler, "start_embedded", lambda app: calls.append(app) or True)
    serving_env.setenv("QUIZAPP_ENV", "testing")
    return calls


def test_wsgi_starts_the_embedded_scheduler_for_the_single_process_server(started, serving_env):
    serving_env.setenv("QUIZAPP_SCHEDULER_EMBEDDED", "1")
    runpy.run_path(str(ROOT / "wsgi.py"))
    assert len(started) == 1


def test_wsgi_under_gunicorn_config_leaves_the_scheduler_to_its_own_process(started, serving_env):
    for key, value in _gunicorn_settings().env.items():  # what the gunicorn master puts into os.environ
        serving_env.setenv(key, value)
    runpy.run_path(str(ROOT / "wsgi.py"))
    assert started == []


def test_wsgi_under_gunicorn_without_our_config_still_starts_no_scheduler(started, serving_env):
    serving_env.setenv("QUIZAPP_SCHEDULER_EMBEDDED", "1")
    serving_env.setenv("SERVER_SOFTWARE", "gunicorn/27.0.1")
    runpy.run_path(str(ROOT / "wsgi.py"))
    assert started == []


def _site_css_version() -> str:
    return hashlib.sha256((ROOT / "quizapp" / "static" / "site.css").read_bytes()).hexdigest()[:12]


def test_static_urls_carry_the_content_hash(app):
    from flask import url_for

    with app.test_request_context():
        assert url_for("static", filename="site.css") == f"/static/site.css?v={_site_css_version()}"
        assert url_for("static", filename="no-such-file.css") == "/static/no-such-file.css"


def test_pages_link_the_versioned_stylesheet(client):
    assert f'href="/static/site.css?v={_site_css_version()}"' in client.get("/privacy").get_data(as_text=True)


def test_a_versioned_asset_is_cached_for_a_year_with_an_etag(client):
    with client.get(f"/static/site.css?v={_site_css_version()}") as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600
        assert response.cache_control.public and response.cache_control.immutable
        assert not response.cache_control.no_cache
        etag = response.headers["ETag"]
    with client.get(f"/static/site.css?v={_site_css_version()}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304
        assert again.cache_control.max_age == 365 * 24 * 3600


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_an_unversioned_or_stale_asset_is_cached_briefly(client, query):
    with client.get(f"/static/site.css{query}") as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 300
        assert not response.cache_control.immutable
        assert response.headers["ETag"]
