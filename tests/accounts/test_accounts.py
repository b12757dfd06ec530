"""Staff accounts: password policy, login and throttling, roles, idle timeout, user management, audit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.accounts import services
from quizapp.accounts.models import StaffUser
from quizapp.accounts.passwords import WeakPassword, check_policy, verify_password
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.publishing.models import AuditLog
from tests.conftest import STAFF_PASSWORD


@pytest.mark.parametrize("password", ["short1!", "password123", "woaini1314520", "1234567890", "qwertyuiop", "zhangsan2024"])
def test_policy_rejects_short_and_common_passwords(password):
    with pytest.raises(WeakPassword):
        check_policy(password, user_inputs=("zhangsan",))


def test_policy_accepts_a_long_uncommon_password():
    check_policy("Fjord-Lantern-2718")
    check_policy("anquan-Kite-river-93")


def test_create_user_hashes_with_scrypt_and_audits(app):
    user = services.create_user("Editor1", "李编辑", "Fjord-Lantern-2718", ["editor", "nonsense"], actor="staff:9")
    assert user.username == "editor1"
    assert user.roles == ["editor"]
    assert user.password_hash.startswith("scrypt:")
    assert "Fjord" not in user.password_hash
    assert verify_password(user.password_hash, "Fjord-Lantern-2718")
    assert not verify_password(user.password_hash, "fjord-lantern-2718")
    entry = app.extensions["sqlalchemy"].session.scalar(select(AuditLog).where(AuditLog.action == "user_create"))
    assert (entry.actor, entry.target) == ("staff:9", f"user:{user.id}")


@pytest.mark.parametrize(
    ("username", "roles", "password", "code"),
    [
        ("ab", ["editor"], "Fjord-Lantern-2718", "invalid_username"),
        ("1abc", ["editor"], "Fjord-Lantern-2718", "invalid_username"),
        ("good", [], "Fjord-Lantern-2718", "validation_failed"),
        ("good", ["editor"], "good12345678", "weak_password"),
    ],
)
def test_create_user_refuses_bad_input(app, username, roles, password, code):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(username, "", password, roles, actor="staff:1")
    assert caught.value.code == code
    assert services.user_count() == 0


def test_username_taken_is_a_conflict(app, make_staff):
    make_staff("editor", username="lihua")
    with pytest.raises(Conflict):
        services.create_user("LiHua", "", "Fjord-Lantern-2718", ["editor"], actor="staff:1")


def test_last_admin_cannot_lose_the_role_or_be_disabled(app, make_staff):
    admin = make_staff("admin")
    with pytest.raises(Conflict):
        services.update_user(admin.id, display_name="a", roles=["editor"], is_active=True, actor="staff:1")
    with pytest.raises(Conflict):
        services.update_user(admin.id, display_name="a", roles=["admin"], is_active=False, actor="staff:1")
    second = make_staff("admin")
    services.update_user(admin.id, display_name="a", roles=["editor"], is_active=True, actor=second.actor)
    assert services.get_user(admin.id).roles == ["editor"]


def test_cli_create_admin(runner, app):
    result = runner.invoke(args=["users", "create-admin", "chief", "--display-name", "王主任"],
                           input="Fjord-Lantern-2718\nFjord-Lantern-2718\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    user = services.find_user("chief")
    assert (user.display_name, user.roles, user.is_active) == ("王主任", ["admin"], True)
    weak = runner.invoke(args=["users", "create-admin", "chief2"], input="password1234\npassword1234\n")
    assert weak.exit_code == 1
    assert "密码太常见" in weak.output
    taken = runner.invoke(args=["users", "create-admin", "chief"], input="Fjord-Lantern-2718\nFjord-Lantern-2718\n")
    assert taken.exit_code == 1 and "已被使用" in taken.output


def test_login_success_redirects_to_next_and_records_login(client, make_staff, app):
    user = make_staff("editor", username="ed")
    response = client.post("/staff/login?next=/staff/audit", data={"username": "ED", "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/audit"
    assert services.get_user(user.id).last_login_at is not None
    assert app.extensions["sqlalchemy"].session.scalar(select(AuditLog.action).where(AuditLog.target == f"user:{user.id}")) == "login"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/no/such/page"])
def test_login_never_redirects_off_site(client, make_staff, target):
    make_staff("editor", username="ed")
    response = client.post(f"/staff/login?next={target}", data={"username": "ed", "password": STAFF_PASSWORD})
    assert response.headers["Location"] == "/staff/"


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_staff):
    make_staff("editor", username="ed")
    wrong = client.post("/staff/login", data={"username": "ed", "password": "nope-nope-nope"})
    unknown = client.post("/staff/login", data={"username": "nobody", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert "用户名或密码不正确" in wrong.get_data(as_text=True)
    assert "用户名或密码不正确" in unknown.get_data(as_text=True)


def test_inactive_user_cannot_log_in_and_is_logged_out(client, make_staff, login_as, db):
    user = make_staff("editor", username="ed")
    login_as(client, user)
    assert client.get("/staff/").status_code == 200
    user.is_active = False
    db.session.commit()
    assert client.get("/staff/").status_code == 302
    assert client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}).status_code == 200


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_staff):
    make_staff("editor", username="ed")
    for _ in range(5):
        assert client.post("/staff/login", data={"username": "ed", "password": "wrong-wrong-1"}).status_code == 200
    locked = client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD})
    assert locked.status_code == 429
    assert "15 分钟" in locked.get_data(as_text=True)


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(client, make_staff):
    make_staff("editor", username="ed")
    for _ in range(5):
        client.post("/staff/login", data={"username": "ed", "password": "wrong-wrong-1"}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    attacker = client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert attacker.status_code == 429
    owner = client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert owner.status_code == 302


def test_failures_for_one_account_from_many_addresses_are_capped(app, client, make_staff):
    app.config["STAFF_LOGIN_LIMIT_ACCOUNT"] = "8 per hour"  # the same rule as 100 per hour, fewer requests
    make_staff("editor", username="ed")
    for number in range(8):
        address = {"REMOTE_ADDR": f"198.51.100.{number}"}
        assert client.post("/staff/login", data={"username": "ed", "password": "wrong-wrong-1"}, environ_base=address).status_code == 200
    fresh_address = {"REMOTE_ADDR": "192.0.2.200"}
    assert client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}, environ_base=fresh_address).status_code == 429


def test_account_lock_is_per_account_and_successes_do_not_count(client, make_staff):
    make_staff("editor", username="ed")
    make_staff("editor", username="other")
    for _ in range(6):
        assert client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}).status_code == 302
        client.post("/staff/logout", data={})
    for _ in range(5):
        client.post("/staff/login", data={"username": "ed", "password": "wrong-wrong-1"})
    assert client.post("/staff/login", data={"username": "other", "password": STAFF_PASSWORD}).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(client, make_staff):
    make_staff("editor", username="ed")
    for number in range(20):
        assert client.post("/staff/login", data={"username": f"guess{number}", "password": "x-x-x-x-x-x"}).status_code == 200
    assert client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}).status_code == 429
    other = client.post("/staff/login", data={"username": "ed", "password": STAFF_PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 302


def test_anonymous_is_redirected_to_login_with_next(client):
    for path in ("/staff/", "/staff/users", "/staff/audit", "/staff/password"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/staff/login?next=")


@pytest.mark.parametrize(("roles", "status"), [(("admin",), 200), (("editor",), 403), (("reviewer",), 403), (("editor", "reviewer"), 403)])
def test_only_admins_manage_users_and_read_the_audit_log(client, make_staff, login_as, roles, status):
    login_as(client, make_staff(*roles))
    for path in ("/staff/users", "/staff/users/new", "/staff/audit"):
        assert client.get(path).status_code == status, path
    assert client.get("/staff/").status_code == 200


def test_admin_creates_an_editor_in_the_browser_flow(client, make_staff, login_as, db):
    admin = make_staff("admin", username="boss")
    login_as(client, admin)
    bad = client.post("/staff/users/new", data={"username": "lihua", "display_name": "李", "roles": ["editor"], "password": "12345"})
    assert bad.status_code == 200
    assert "至少需要 10 个字符" in bad.get_data(as_text=True)
    ok = client.post("/staff/users/new", data={"username": "lihua", "display_name": "李华", "roles": ["editor", "reviewer"],
                                               "password": "Harbor-Quilt-5521"})  # fmt: skip
    assert ok.status_code == 302
    user = services.find_user("lihua")
    assert user.roles == ["editor", "reviewer"]
    page = client.get("/staff/audit?action=user_create").get_data(as_text=True)
    assert "boss" in page and "李华（lihua） <span class=\"muted\">（账号）</span>" in page  # the target user by name, not user:<id>
    assert "lihua 角色 编辑、审核员" in page


def test_admin_edits_roles_disables_and_resets_password(client, make_staff, login_as):
    admin = make_staff("admin", username="boss")
    target = make_staff("editor", username="ed")
    login_as(client, admin)
    response = client.post(f"/staff/users/{target.id}", data={"display_name": "新名字", "roles": ["reviewer"], "submit": "1"})
    assert response.status_code == 302
    assert (services.get_user(target.id).roles, services.get_user(target.id).is_active) == (["reviewer"], False)
    reset = client.post(f"/staff/users/{target.id}", data={"reset-password": "Meadow-Cipher-8830", "reset-submit": "1"})
    assert reset.status_code == 302
    assert verify_password(services.get_user(target.id).password_hash, "Meadow-Cipher-8830")


def test_user_changes_own_password(client, make_staff, login_as):
    user = make_staff("editor", username="ed")
    login_as(client, user)
    wrong = client.post("/staff/password", data={"current": "bad", "password": "Meadow-Cipher-8830", "confirm": "Meadow-Cipher-8830"})
    assert "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = client.post("/staff/password", data={"current": STAFF_PASSWORD, "password": "Meadow-Cipher-8830", "confirm": "x"})
    assert "不一致" in mismatch.get_data(as_text=True)
    ok = client.post("/staff/password", data={"current": STAFF_PASSWORD, "password": "Meadow-Cipher-8830", "confirm": "Meadow-Cipher-8830"})
    assert ok.status_code == 302
    assert verify_password(services.get_user(user.id).password_hash, "Meadow-Cipher-8830")


def test_idle_session_times_out(client, make_staff, login_as, monkeypatch):
    login_as(client, make_staff("editor"))
    assert client.get("/staff/").status_code == 200
    import quizapp.accounts.access as access

    real = access.time.time()
    monkeypatch.setattr(access.time, "time", lambda: real + 31 * 60)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_logout_needs_post(client, make_staff, login_as):
    login_as(client, make_staff("editor"))
    assert client.get("/staff/logout").status_code == 405
    client.post("/staff/logout", data={})
    assert client.get("/staff/").status_code == 302


def test_csrf_is_enforced_on_login_and_user_forms(app, make_staff):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    make_staff("admin", username="boss")
    response = client.post("/staff/login", data={"username": "boss", "password": STAFF_PASSWORD})
    assert response.status_code == 400  # CSRFProtect refuses the post: not logged in
    assert "页面已过期" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/staff/login", data={"username": "boss", "password": STAFF_PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/staff/users/new", data={"username": "x1", "display_name": "x", "roles": ["editor"],
                                                 "password": "Harbor-Quilt-5521"}).status_code == 400  # fmt: skip
    assert services.find_user("x1") is None


def test_audit_log_filters_by_actor_action_and_date(client, make_staff, login_as, db):
    from datetime import UTC, datetime

    from quizapp.publishing.services import record_audit

    admin = make_staff("admin", username="boss")
    record_audit("system:scheduler", "publish", target="competition:1", detail="old", now=datetime(2026, 1, 1, 1, tzinfo=UTC))
    record_audit(admin.actor, "draw", target="competition:2", detail="抽奖", now=datetime(2026, 3, 1, 1, tzinfo=UTC))
    db.session.commit()
    login_as(client, admin)
    by_actor = client.get("/staff/audit?actor=system:").get_data(as_text=True)
    assert "竞赛 #1" in by_actor and "竞赛 #2" not in by_actor  # no such competitions: kind and number
    by_date = client.get("/staff/audit?since=2026-02-01&until=2026-03-01").get_data(as_text=True)
    assert "竞赛 #2" in by_date and "竞赛 #1" not in by_date
    by_subject = client.get("/staff/audit?subject=抽奖").get_data(as_text=True)
    assert "竞赛 #2" in by_subject and "竞赛 #1" not in by_subject


def test_staff_user_table_holds_no_plain_password(app, make_staff, db):
    make_staff("editor", username="ed")
    stored = db.session.scalar(select(StaffUser.password_hash))
    assert STAFF_PASSWORD not in stored


def test_passwords_longer_than_zxcvbn_takes_are_judged_not_crashed(client, make_staff, login_as):
    long_strong = "Vb8*nKq3!Ws6pE" * 6  # 84 characters; zxcvbn stops at 72
    check_policy(long_strong)
    with pytest.raises(WeakPassword):
        check_policy("a" * 128)
    with pytest.raises(WeakPassword):
        check_policy("Vb8*nKq3!Ws6pE" * 10)  # 140 > 128
    admin = make_staff("admin", username="boss")
    target = make_staff("editor", username="ed")
    login_as(client, admin)
    response = client.post(f"/staff/users/{target.id}", data={"reset-password": long_strong, "reset-submit": "1"})
    assert response.status_code == 302
    assert verify_password(services.get_user(target.id).password_hash, long_strong)


def test_a_password_reset_ends_the_users_other_sessions(app, make_staff, login_as):
    admin, editor = make_staff("admin", username="boss"), make_staff("editor", username="ed")
    editor_browser, admin_browser = app.test_client(), app.test_client()
    login_as(editor_browser, editor)
    login_as(admin_browser, admin)
    assert editor_browser.get("/staff/").status_code == 200
    reset = admin_browser.post(f"/staff/users/{editor.id}", data={"reset-password": "Meadow-Cipher-8830", "reset-submit": "1"})
    assert reset.status_code == 302, reset.get_data(as_text=True)
    assert editor_browser.get("/staff/").status_code == 302


def test_changing_your_own_password_keeps_this_session_and_ends_the_others(app, make_staff, login_as):
    user = make_staff("editor", username="ed")
    here, elsewhere = app.test_client(), app.test_client()
    login_as(here, user)
    login_as(elsewhere, user)
    new = "Meadow-Cipher-8830"
    response = here.post("/staff/password", data={"current": STAFF_PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302


def test_wrong_current_password_is_shown_under_that_field_and_the_same_password_is_refused(client, make_staff, login_as):
    login_as(client, make_staff("editor", username="ed"))
    page = client.post("/staff/password", data={"current": "bad-bad-bad", "password": "Meadow-Cipher-8830",
                                                "confirm": "Meadow-Cipher-8830"}).get_data(as_text=True)  # fmt: skip
    current_block = page[page.index('for="current"'):page.index('for="password"')]
    assert "当前密码不正确" in current_block
    same = client.post("/staff/password", data={"current": STAFF_PASSWORD, "password": STAFF_PASSWORD, "confirm": STAFF_PASSWORD})
    assert "新密码不能与当前密码相同" in same.get_data(as_text=True)


def test_failed_logins_are_audited(client, make_staff, db):
    user = make_staff("editor", username="ed")
    client.post("/staff/login", data={"username": "ed", "password": "wrong-wrong-1"})
    client.post("/staff/login", data={"username": "ghost", "password": "wrong-wrong-1"})
    rows = list(db.session.scalars(select(AuditLog).where(AuditLog.action == "login_failed").order_by(AuditLog.id)))
    assert [(row.actor, row.target) for row in rows] == [("anonymous", f"user:{user.id}"), ("anonymous", None)]
    assert "ghost" in rows[1].detail and "127.0.0.1" in rows[1].detail


@pytest.mark.parametrize("name", ["\u202e王五", "\u200b", "<b>王</b>"])
def test_display_names_with_hidden_characters_or_markup_are_refused(app, name):
    with pytest.raises(ValidationFailed):
        services.create_user("lihua", name, "Fjord-Lantern-2718", ["editor"], actor="staff:1")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=0001-01-01", "2000–2100"),
        ("until=9999-12-31", "2000–2100"),
        ("since=2026-12-01&until=2026-11-01", "截止日期不能早于起始日期"),
        ("since=abc", "不是有效的日期"),
        ("actor=bogus", "不是有效的选择"),
    ],
)
def test_audit_filters_reject_bad_dates_and_choices_in_chinese(client, make_staff, login_as, query, message):
    login_as(client, make_staff("admin", username="boss"))
    response = client.get(f"/staff/audit?{query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_audit_subject_search_is_literal(client, make_staff, login_as, db):
    from quizapp.publishing.services import record_audit

    admin = make_staff("admin", username="boss")
    record_audit(admin.actor, "draw", target="competition:2", detail="一等奖 100%")
    record_audit(admin.actor, "draw", target="competition:3", detail="二等奖")
    db.session.commit()
    login_as(client, admin)
    assert "竞赛 #3" not in client.get("/staff/audit?subject=%25").get_data(as_text=True)  # no such competitions: kind and number
    assert "竞赛 #2" in client.get("/staff/audit?subject=%25").get_data(as_text=True)
    assert "竞赛 #3" not in client.get("/staff/audit?subject=_").get_data(as_text=True)


def test_audit_actions_are_shown_in_chinese(client, make_staff, login_as):
    login_as(client, make_staff("admin", username="boss"))
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "<td>登录</td>" in page


def test_errors_inside_the_workspace_use_the_workspace_shell(client, make_staff, login_as):
    login_as(client, make_staff("editor", username="ed"))
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "返回工作台" in page and "ws-nav" in page
    assert "返回首页" not in page
    missing = client.get("/staff/users/999999999999")
    assert missing.status_code == 404 and "返回工作台" in missing.get_data(as_text=True)


def test_the_menu_marks_one_current_entry(client, make_staff, login_as):
    login_as(client, make_staff("admin", username="boss"))
    page = client.get("/staff/audit").get_data(as_text=True)
    assert page.count('aria-current="page"') == 1
    assert 'aria-current="page">审计日志' in page
