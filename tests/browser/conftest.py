"""Browser fixtures: the app served with the starter content, and Chromium pages of phone and desk size."""

from __future__ import annotations

import pytest

from tests.browser.helpers import CHROMIUM, served


@pytest.fixture
def live_server(app, synced):
    """The app with the real starter content, served with CSRF on; yields the base URL."""
    with served(app) as base:
        yield base


def _page(viewport: dict, **options):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        context = browser.new_context(viewport=viewport, **options)
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture
def phone_page():
    """A Playwright page in a 390×844 touch viewport on Debian's Chromium."""
    yield from _page({"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def desk_page():
    """A Playwright page in a 1280×900 viewport on Debian's Chromium."""
    yield from _page({"width": 1280, "height": 900})
