"""The content workflow in Debian's Chromium (issue 5, "done when").

An editor writes and submits a monthly warning, a reviewer schedules it, it appears on its
own at its time, and the audit log shows each step. CSRF is on, as in production; the clock
is the tests' (the sweep runs as the scheduler would). Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.publishing.models import AuditLog, Item
from quizapp.publishing.tasks import SCHEDULER_ACTOR, sweep_schedule
from tests.browser.helpers import BROWSER, SHOTS, log_in, log_out
from tests.conftest import STAFF_PASSWORD
from tests.publishing.helpers import pub_clock  # noqa: F401  (fixture)

pytestmark = BROWSER


def test_an_editor_writes_a_warning_a_reviewer_schedules_it_and_it_appears_on_its_own(live_server, desk_page, pub_clock, make_staff):  # noqa: F811
    base, page = live_server, desk_page
    editor = make_staff("editor", username="editor-wang", display_name="王编辑")
    reviewer = make_staff("reviewer", username="reviewer-zhao", display_name="赵审核")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    log_in(page, base, "editor-wang", STAFF_PASSWORD)
    page.goto(base + "/staff/content/kinds/warning/new?period=2027-01")
    assert page.input_value("#period") == "2027-01"
    page.fill("#theme", "岁末年初烟花爆竹安全")
    page.fill("#date", "2026-12-28")
    page.fill("#hazards-0-place_type", "烟花爆竹零售店")
    page.fill("#hazards-0-hazard", "店内超量储存烟花爆竹")
    page.fill("#hazards-0-legal_basis", "安全生产法 41")
    page.fill("#hazards-0-result", "已清理超量部分，责令整改")
    page.get_by_role("button", name="添加一行").click()
    assert page.locator(".hazard-row").count() == 4
    assert page.input_value("#hazards-0-place_type") == "烟花爆竹零售店"  # nothing typed is lost
    page.screenshot(path=str(SHOTS / "content-warning-form.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/staff/content/items/*")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url("**/staff/content/items/*")
    assert "待审核" in page.inner_text(".facts")
    log_out(page)

    log_in(page, base, "reviewer-zhao", STAFF_PASSWORD)
    assert "岁末年初烟花爆竹安全" in page.inner_text("main")  # the dashboard's review panel
    page.goto(base + "/staff/content/review")
    page.get_by_role("link", name="2027年1月：岁末年初烟花爆竹安全").click()
    page.fill("#approve-publish_at", "2026-06-01T09:30")  # Asia/Shanghai: 01:30Z
    page.screenshot(path=str(SHOTS / "content-item-review.png"), full_page=True)
    page.get_by_role("button", name="批准并定时发布").click()
    page.wait_for_url("**/staff/content/items/*")
    assert "已排期" in page.inner_text(".facts") and "2026-06-01 09:30" in page.inner_text(".facts")
    assert not errors, errors

    item = db.session.scalar(select(Item).where(Item.period == "2027-01"))
    pub_clock.now = item.publish_at - timedelta(seconds=1)
    assert page.goto(base + "/warnings/2027/1").status == 404
    pub_clock.now = item.publish_at
    sweep_schedule()
    assert page.goto(base + "/warnings/2027/1").status == 200
    assert "店内超量储存烟花爆竹" in page.inner_text("main")
    rows = db.session.execute(select(AuditLog.action, AuditLog.actor).where(AuditLog.item_id == item.id).order_by(AuditLog.id))
    assert [tuple(row) for row in rows] == [
        ("create", editor.actor), ("submit", editor.actor), ("schedule", reviewer.actor), ("publish", SCHEDULER_ACTOR)]  # fmt: skip
