"""The APScheduler instance and the domains' jobs.

One scheduler per deployment: ``flask scheduler run`` in its own process, or,
for the single-process default (``make run``), started once inside the app and
guarded by a lock file so a reloader or a second process does not start another.
"""

from __future__ import annotations

import fcntl
import importlib
import os
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from quizapp.contests import tasks as contest_tasks
from quizapp.publishing import tasks as publishing_tasks

#: (job id, "module:function", interval seconds) of every domain; the ids are fixed,
#: so a restart replaces a job instead of adding a second one.
DOMAIN_JOBS = [*contest_tasks.JOBS, *publishing_tasks.JOBS]

#: Catch up once after downtime (coalesce), never overlap a job with itself, and run a
#: missed job however late: each job takes everything that is due when it runs.
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


def _in_app_context(app: Flask, target: str):
    module_name, _, function_name = target.partition(":")

    def run():
        with app.app_context():
            function = getattr(importlib.import_module(module_name), function_name)
            return function()

    run.__name__ = function_name
    return run


def build_scheduler(app: Flask, scheduler_class=BackgroundScheduler):
    """Return a scheduler with every domain job (interval, coalesced, one instance at a time).

    Jobs live in the default in-memory job store: their definitions are code, never pickled
    into the database.
    """
    scheduler = scheduler_class(timezone="UTC", job_defaults=JOB_DEFAULTS)
    for job_id, target, interval_s in DOMAIN_JOBS:
        scheduler.add_job(_in_app_context(app, target), "interval", seconds=interval_s, id=job_id, replace_existing=True)
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the scheduler in the foreground (``flask scheduler run``)."""
    build_scheduler(app, BlockingScheduler).start()


_lock_handle = None


def start_embedded(app: Flask) -> bool:
    """Start a background scheduler once per machine for the single-process server.

    Returns False (and starts nothing) when another process holds the lock.
    """
    global _lock_handle
    if os.environ.get("WERKZEUG_RUN_MAIN") == "false":
        return False
    lock_path = Path(app.instance_path) / "scheduler.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _lock_handle = handle
    build_scheduler(app).start()
    return True
