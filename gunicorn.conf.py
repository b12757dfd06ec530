"""gunicorn settings for quizapp: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make serve``).

Every setting can be changed through the environment, so one file serves a laptop, the
benchmark (bench/) and production (docs/deploy.md):

- ``QUIZAPP_BIND``         address to listen on (default ``127.0.0.1:8000``; behind nginx keep it local)
- ``QUIZAPP_WORKERS``      worker processes (default ``2 × CPU cores + 1``, gunicorn's own rule of thumb)
- ``QUIZAPP_THREADS``      threads per worker (default 1: the sync worker; >1 switches to gthread)
- ``QUIZAPP_TIMEOUT``      seconds a worker may spend on one request before it is restarted (default 30)
- ``QUIZAPP_ACCESS_LOG``   ``-`` for stdout (default), a path, or empty to switch the access log off

Under gunicorn the embedded scheduler is off (``QUIZAPP_SCHEDULER_EMBEDDED=0`` is put into the
workers' environment): run exactly one ``flask --app quizapp scheduler run`` beside it.
The database for several workers is PostgreSQL (``QUIZAPP_DATABASE_URL``); SQLite works, but
every write takes the one file lock, so it is the single-process default only.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("QUIZAPP_BIND", "127.0.0.1:8000")
workers = _int("QUIZAPP_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("QUIZAPP_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("QUIZAPP_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5  # seconds; nginx keeps upstream connections open (docs/deploy.md)
# Each worker builds its own app after the fork, so no database connection or scheduler
# thread is ever shared between processes.
preload_app = False
max_requests = 10_000  # recycle workers now and then, with jitter so they do not restart together
max_requests_jitter = 1_000
accesslog = os.environ.get("QUIZAPP_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("QUIZAPP_LOG_LEVEL", "info")
# The scheduler runs as its own process (`flask --app quizapp scheduler run`), never in a worker.
raw_env = ["QUIZAPP_SCHEDULER_EMBEDDED=0"]
proc_name = "quizapp"
# gunicorn ≥ 25 opens a control socket at $HOME/.gunicorn/gunicorn.ctl; two masters on one machine
# (two instances, the benchmark) would fight over it, and nothing here uses it.
control_socket_disable = True


def database_warning(database_url: str | None, worker_count: int) -> str | None:
    """Return the warning to print when several workers would share an SQLite file, else None."""
    if worker_count > 1 and (not database_url or database_url.startswith("sqlite")):
        return (
            f"quizapp: {worker_count} workers on SQLite ({database_url or 'instance/quizapp.sqlite3'}): "
            "every write waits for the one file lock. Under gunicorn use PostgreSQL through "
            "QUIZAPP_DATABASE_URL=postgresql+psycopg://user@host/db (docs/deploy.md)."
        )
    return None


def shared_state_warning(redis_url: str | None, worker_count: int) -> str | None:
    """Return the warning to print when several workers keep rate limits and caches in memory, else None."""
    if worker_count > 1 and not redis_url:
        return (
            "quizapp: QUIZAPP_REDIS_URL is unset, so each worker keeps its own rate-limit counters "
            "and cache; set it (redis://127.0.0.1:6379/0) when more than one process serves."
        )
    return None


def on_starting(server) -> None:
    """Say which database and shared state the workers will use; refuse SQLite in production."""
    database_url = os.environ.get("QUIZAPP_DATABASE_URL")
    count = server.cfg.workers
    for warning in (database_warning(database_url, count), shared_state_warning(os.environ.get("QUIZAPP_REDIS_URL"), count)):
        if warning:
            print(warning, file=sys.stderr, flush=True)
    if os.environ.get("QUIZAPP_ENV") == "production" and database_warning(database_url, count):
        raise SystemExit("quizapp: production under gunicorn needs PostgreSQL (QUIZAPP_DATABASE_URL); refusing SQLite")
