"""The staff workspace in Debian's Chromium, as the issue's "done when" describes it.

An admin created by the CLI logs in, creates an editor and a reviewer in the browser; the
audit log shows each step. CSRF is on, as in production. Skipped without /usr/bin/chromium.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.accounts import services as accounts
from tests.browser.helpers import BROWSER, SHOTS, log_in, log_out

pytestmark = BROWSER
ADMIN_PASSWORD = "Granite-Owl-4417"


def create_user(page, base: str, username: str, name: str, role_label: str, password: str) -> None:
    page.goto(base + "/staff/users/new")
    page.fill("#username", username)
    page.fill("#display_name", name)
    page.get_by_label(role_label).check()
    page.fill("#password", password)
    page.get_by_role("button", name="创建账号").click()
    page.wait_for_url(base + "/staff/users")


def test_cli_admin_creates_an_editor_and_a_reviewer_in_the_browser(live_server, desk_page, runner, app):
    base, page = live_server, desk_page
    result = runner.invoke(args=["users", "create-admin", "chief", "--display-name", "王主任"],
                           input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")  # fmt: skip
    assert result.exit_code == 0, result.output

    log_in(page, base, "chief", ADMIN_PASSWORD)
    create_user(page, base, "editor-li", "李编辑", "编辑", "Harbor-Quilt-5521")
    create_user(page, base, "reviewer-zhao", "赵审核", "审核员", "Meadow-Cipher-8830")
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "staff-01-users.png"), full_page=True)
    assert accounts.find_user("editor-li").roles == ["editor"]
    assert accounts.find_user("reviewer-zhao").roles == ["reviewer"]

    page.goto(base + "/staff/audit?action=user_create")
    rows = page.locator("table.table tbody tr")
    texts = [rows.nth(index).inner_text() for index in range(rows.count())]
    assert len(texts) == 3  # newest first: the reviewer, the editor, then the admin made by the CLI
    assert "王主任（chief）" in texts[0] and "王主任（chief）" in texts[1] and "system:cli" in texts[2]
    log_out(page)

    log_in(page, base, "editor-li", "Harbor-Quilt-5521")
    assert page.goto(base + "/staff/users").status == 403
