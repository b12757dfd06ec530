"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from quizapp import create_app
from quizapp.scheduler import start_embedded

app = create_app()

if app.config.get("SCHEDULER_EMBEDDED"):
    start_embedded(app)
