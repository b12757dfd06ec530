"""The competition editor in Debian's Chromium: live rule counts (static JS), paper mode, save with CSRF on.

Skipped without /usr/bin/chromium. The bank is :mod:`tests.contests.staffing`'s known bank.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.contests.models import Competition
from quizapp.extensions import db
from tests.browser.helpers import BROWSER, log_in, log_out, served
from tests.conftest import STAFF_PASSWORD
from tests.contests.staffing import known_bank  # noqa: F401

pytestmark = BROWSER


@pytest.fixture
def editor_server(app, known_bank):  # noqa: F811
    """The app over the known bank, served with CSRF on; yields the base URL."""
    with served(app) as base:
        yield base


def test_live_counts_follow_typing_and_the_form_saves(editor_server, desk_page, make_staff):
    base, page = editor_server, desk_page
    user = make_staff("editor")
    log_in(page, base, user.username, STAFF_PASSWORD)
    page.goto(base + "/staff/competitions/new")
    page.fill("#rules-0-category", "安全生产法")
    page.select_option("#rules-0-type", "single_choice")
    page.fill("#rules-0-count", "2")
    row0 = page.locator('output.rule-count[data-row="0"]')
    row0.filter(has_text="3 道").wait_for()  # k-01..03 (k-08 is inactive)
    page.fill("#rules-1-category", "消防法")
    page.fill("#rules-1-count", "3")
    page.locator('output.rule-count[data-row="1"]').filter(has_text="2 道 不足").wait_for()
    page.locator("#paper-check").filter(has_text="第 2 条规则（消防法 · 任意题型 · 任意难度）需要 3 道题，题库中只有 2 道符合").wait_for()
    assert page.locator("#paper-total").inner_text() == "5"

    page.get_by_label("固定试卷", exact=True).check()
    page.locator(".rule-rows").wait_for(state="hidden")
    page.get_by_label("按规则随机抽题").check()
    page.locator(".rule-rows").wait_for(state="visible")

    page.fill("#rules-1-count", "2")
    page.locator('output.rule-count[data-row="1"]').filter(has_text="2 道").wait_for()
    page.fill("#title", "浏览器里建的竞赛")
    page.fill("#slug", "browser-made")
    page.fill("#starts_at", "2026-06-10T09:00")
    page.fill("#ends_at", "2026-06-20T18:00")
    page.fill("#organizations", "区应急管理局\n城南街道办事处")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(base + "/staff/competitions/*")
    assert "已创建竞赛「浏览器里建的竞赛」" in page.content()
    competition = db.session.scalar(select(Competition).where(Competition.slug == "browser-made"))
    assert competition.paper_rule == {"rules": [{"category": "安全生产法", "type": "single_choice", "count": 2},
                                                {"category": "消防法", "count": 2}]}  # fmt: skip
    assert (competition.time_limit_s, competition.retention_days) == (900, 180)

    # A new competition is a draft: the public gets 404 until a reviewer publishes it.
    assert "草稿（未发布）" in page.content() and not competition.is_published
    assert page.goto(f"{base}/competitions/{competition.id}").status == 404
    page.goto(f"{base}/staff/competitions/{competition.id}")
    log_out(page)
    log_in(page, base, make_staff("reviewer").username, STAFF_PASSWORD)
    page.goto(f"{base}/staff/competitions/{competition.id}")
    page.get_by_role("button", name="发布", exact=True).click()
    page.locator(".flash").filter(has_text="已发布：公众现在可以看到本竞赛").wait_for()
    assert page.goto(f"{base}/competitions/{competition.id}").status == 200
