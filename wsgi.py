"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make serve``) or ``flask --app wsgi run``.

The embedded scheduler starts only for the single-process server (``make run``). Under
gunicorn it stays off twice over: gunicorn.conf.py sets ``QUIZAPP_SCHEDULER_EMBEDDED=0``,
and gunicorn itself announces ``SERVER_SOFTWARE=gunicorn/…`` (for a server started
without our config file). There the scheduler is its own process: ``flask --app quizapp scheduler run``.
"""

import os

from quizapp import create_app
from quizapp.scheduler import start_embedded

app = create_app()


def under_gunicorn() -> bool:
    """Return whether this process is a gunicorn worker (gunicorn sets ``SERVER_SOFTWARE``)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn")


if app.config.get("SCHEDULER_EMBEDDED") and not under_gunicorn():
    start_embedded(app)
