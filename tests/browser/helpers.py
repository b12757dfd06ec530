"""Shared pieces of the browser tests: Debian's Chromium, a served app, staff logins."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("QUIZAPP_SCREENSHOTS", "/tmp/quizapp-shots"))
#: Every browser test module sets ``pytestmark = BROWSER``: skipped, with the reason, without Chromium.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@contextmanager
def served(app):
    """Serve *app* with CSRF on (as in production) on a free local port in a thread; yield the base URL."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def log_in(page, base: str, username: str, password: str) -> None:
    """Log in to the workspace through its form; wait for the dashboard."""
    page.goto(base + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + "/staff/")


def log_out(page) -> None:
    """Press 退出 and wait for the login page."""
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/staff/login")
