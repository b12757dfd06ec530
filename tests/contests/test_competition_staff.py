"""Workspace pages for competitions (/staff/competitions): roles, forms, live counts, window moves."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from quizapp.contests import actions, admin
from quizapp.contests.models import Competition
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.conftest import STAFF_PASSWORD
from tests.contests.factories import API, count
from tests.contests.staffing import browser_form, known_bank, settings  # noqa: F401

BASE = "/staff/competitions"
ENTRY = {"name": "张三", "phone": "13800138000", "organization": "区应急管理局", "group": "public", "consent": True}


def form_data(**overrides) -> dict:
    """Return a valid editor form over the known bank (times in Shanghai local time)."""
    data = {
        "title": "安全生产月知识竞赛",
        "slug": "aqy-2026",
        "description": "说明",
        "starts_at": "2026-06-10T09:00",
        "ends_at": "2026-06-20T18:00",
        "audience": "all",
        "organizations": "城南街道办事处\n区应急管理局\n城南街道办事处\n",
        "allow_other_organization": "y",
        "paper_mode": "rules",
        "rules-0-category": "安全生产法",
        "rules-0-type": "single_choice",
        "rules-0-difficulty": "",
        "rules-0-count": "2",
        "rules-1-category": "",
        "rules-1-type": "true_false",
        "rules-1-difficulty": "1",
        "rules-1-count": "1",
        "rules-2-category": "",
        "rules-2-type": "",
        "rules-2-difficulty": "",
        "rules-2-count": "",
        "fixed": "",
        "time_limit_min": "10",
        "attempts_allowed": "2",
        "pass_mark": "60",
        "partial_credit_multiple": "y",
        "shuffle_questions": "y",
        "points_single_choice": "40",
        "points_true_false": "20",
        "prize_description": "纪念品一份",
        "prize_threshold": "80",
        "prize_winners": "10",
        "retention_days": "90",
        "submit": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def upcoming(known_bank):  # noqa: F811
    """A staff-created competition starting tomorrow, published."""
    now = utcnow()
    competition = admin.create_competition(settings(starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=8)), "staff:1")
    return actions.publish(competition.id, "staff:1")


@pytest.fixture
def running(known_bank):  # noqa: F811
    """A staff-created competition that opened an hour ago, published."""
    now = utcnow()
    window = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=8)}
    return actions.publish(admin.create_competition(settings(slug="running", **window), "staff:1").id, "staff:1")


def audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


# Who may do what ------------------------------------------------------------------------

ACTIONS = {
    "list": ("get", lambda c: f"{BASE}/"),
    "view": ("get", lambda c: f"{BASE}/{c.id}"),
    "counts": ("get", lambda c: f"{BASE}/rule-counts?rules-0-count=1"),
    "new": ("get", lambda c: f"{BASE}/new"),
    "edit": ("get", lambda c: f"{BASE}/{c.id}/edit"),
    "duplicate": ("get", lambda c: f"{BASE}/{c.id}/duplicate"),
    "open_early": ("post", lambda c: f"{BASE}/{c.id}/open-early"),
    "close_early": ("post", lambda c: f"{BASE}/{c.id}/close-early"),
}
ALLOWED = {
    "admin": set(ACTIONS),
    "editor": {"list", "view", "counts", "new", "edit", "duplicate"},
    "reviewer": {"list", "view", "counts", "open_early", "close_early"},
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_on_each_action(client, make_staff, login_as, upcoming, role, action):
    login_as(client, make_staff(role))
    method, url = ACTIONS[action]
    response = getattr(client, method)(url(upcoming))
    if action in ALLOWED[role]:
        assert response.status_code in (200, 302), response.status_code
        if method == "post":  # open_early worked; close_early on an upcoming one is refused with a message
            assert response.headers["Location"] == f"{BASE}/{upcoming.id}"
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_is_sent_to_the_login_page(client, upcoming, action):
    method, url = ACTIONS[action]
    response = getattr(client, method)(url(upcoming))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_only_editors_and_admins_see_the_edit_buttons_and_only_reviewers_and_admins_the_window_buttons(
    client, make_staff, login_as, upcoming
):
    login_as(client, make_staff("reviewer"))
    page = client.get(f"{BASE}/{upcoming.id}").get_data(as_text=True)
    assert "提前开始" in page and f"{BASE}/{upcoming.id}/edit" not in page
    client.post("/staff/logout")
    login_as(client, make_staff("editor"))
    page = client.get(f"{BASE}/{upcoming.id}").get_data(as_text=True)
    assert "提前开始" not in page and f"{BASE}/{upcoming.id}/edit" in page


# The editor -----------------------------------------------------------------------------


@pytest.fixture
def editor(client, make_staff, login_as):
    user = make_staff("editor")
    login_as(client, user)
    return user


def test_create_from_the_form_stores_utc_seconds_and_units(client, editor, known_bank):  # noqa: F811
    response = client.post(f"{BASE}/new", data=form_data())
    assert response.status_code == 302
    competition = db.session.scalar(select(Competition))
    assert response.headers["Location"] == f"{BASE}/{competition.id}"
    assert competition.starts_at == datetime(2026, 6, 10, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
    assert competition.ends_at == datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
    assert competition.time_limit_s == 600
    assert competition.organizations == ["城南街道办事处", "区应急管理局"]
    assert competition.paper_rule == {"rules": [{"category": "安全生产法", "type": "single_choice", "count": 2},
                                                {"type": "true_false", "count": 1, "difficulty": [1]}]}  # fmt: skip
    assert competition.default_points == {"single_choice": 40.0, "true_false": 20.0}
    assert (competition.partial_credit_multiple, competition.shuffle_questions, competition.shuffle_options) == (True, True, False)
    assert (competition.prize_description, competition.prize_threshold, competition.prize_winners) == ("纪念品一份", 80.0, 10)
    assert competition.retention_days == 90
    [row] = audit("competition_create")
    assert row.actor == editor.actor


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2026-06-10T08:00"}, "结束时间须晚于开始时间"),
        ({"starts_at": "明天"}, "请按“年-月-日 时:分”填写时间"),
        ({"time_limit_min": "十"}, "请填写整数"),
        ({"time_limit_min": "0"}, "答题限时须在 1 到 600 分钟之间"),
        ({"pass_mark": "abc"}, "请填写数字"),
        ({"prize_winners": "五"}, "请填写整数"),
        ({"points_true_false": "二十"}, "请填写数字"),
        ({"rules-0-count": "两"}, "请填写整数"),
        # WTForms' own messages come from its Chinese catalogue (no English in these forms).
        ({"rules-1-difficulty": "1,2,3,4,5,1,2,3,4,5,1"}, "字段长度不能超过 20 个字符。"),
        ({"audience": "everyone"}, "不是有效的选择。"),
        ({"retention_days": ""}, "请填写个人信息保存期限"),
        ({"rules-1-difficulty": "7"}, "难度请填写 1–5 的数字"),
        ({"rules-0-count": "4"}, "第 1 条规则（安全生产法 · 单选题 · 任意难度）需要 4 道题，题库中只有 3 道符合"),
        ({"paper_mode": "fixed", "fixed": "k-01\nk-99"}, "以下题目不存在或已停用：k-99"),
    ],
)
def test_bad_input_is_shown_in_chinese_and_nothing_is_saved(client, editor, known_bank, overrides, message):  # noqa: F811
    response = client.post(f"{BASE}/new", data=form_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="安全生产月知识竞赛"' in page  # what was typed is kept
    assert count(Competition) == 0


def test_recount_rerenders_the_counts_without_saving(client, editor, known_bank):  # noqa: F811
    response = client.post(f"{BASE}/new", data=form_data(**{"rules-0-count": "", "rules-2-count": "3", "recount": "1", "submit": None,
                                                            "rules-2-category": "安全生产法", "title": ""}))  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert count(Competition) == 0
    # Row 0 lost its count (an error), row 2 asks for 3 of the 4 安全生产法 questions.
    assert "第 1 条规则需要填写题数（正整数）" in page
    assert "请填写标题" not in page  # recount checks only the paper rule
    assert 'name="rules-4-count"' in page  # two spare rows after the three sent


def test_recount_shows_each_rule_count_next_to_its_row(client, editor, known_bank):  # noqa: F811
    page = client.post(f"{BASE}/new", data=form_data(recount="1", submit=None)).get_data(as_text=True)
    outputs = dict(re.findall(r'<output class="rule-count" data-row="(\d)">([^<]*)</output>', page))
    assert outputs == {"0": "3 道", "1": "2 道", "2": "", "3": ""}  # 单选 under 安全生产法: k-01..03; 判断 difficulty 1: k-05, k-06
    assert "每份试卷 <output id=\"paper-total\">3</output> 题" in page


def test_live_count_json_against_the_known_bank(client, editor, known_bank):  # noqa: F811
    query = {"paper_mode": "rules", "rules-0-category": "安全生产法", "rules-0-count": "2", "rules-1-count": "",
             "rules-2-category": "消防法", "rules-2-difficulty": "1-4", "rules-2-count": "3"}  # fmt: skip
    data = client.get(f"{BASE}/rule-counts", query_string=query).get_json()
    assert data["rows"] == [0, 2]
    assert [(rule["matching"], rule["available"], rule["ok"]) for rule in data["rules"]] == [(4, 4, True), (2, 2, False)]
    assert data["total"] == 5
    assert data["errors"] == ["第 2 条规则（消防法 · 任意题型 · 难度 1、2、3、4）需要 3 道题，题库中只有 2 道符合"]
    bad = client.get(f"{BASE}/rule-counts", query_string={"rules-0-difficulty": "9", "rules-0-count": "1"}).get_json()
    assert bad["row_errors"] == {"0": "难度请填写 1–5 的数字，如 1,2 或 2-4"}
    fixed = client.get(f"{BASE}/rule-counts", query_string={"paper_mode": "fixed", "fixed": "k-01, k-02 k-08"}).get_json()
    assert (fixed["total"], fixed["found"], fixed["missing"]) == (3, 2, ["k-08"])


def test_edit_shows_the_stored_values_and_saving_them_unchanged_changes_nothing(client, editor, upcoming):
    page = client.get(f"{BASE}/{upcoming.id}/edit").get_data(as_text=True)
    sent = browser_form(page)
    local_start = upcoming.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")
    assert (sent["starts_at"], sent["time_limit_min"]) == (local_start, "10")
    assert (sent["rules-0-count"], sent["rules-1-type"]) == ("2", "true_false")
    assert sent["organizations"] == "城南街道办事处\n区应急管理局"
    sent["submit"] = "1"
    response = client.post(f"{BASE}/{upcoming.id}/edit", data=sent)
    assert response.status_code == 302
    assert audit("competition_update") == []
    assert "没有修改任何设置" in client.get(response.headers["Location"]).get_data(as_text=True)
    sent["rules-0-count"], sent["ends_at"] = "3", ""
    client.post(f"{BASE}/{upcoming.id}/edit", data=sent)
    [row] = audit("competition_update")
    assert row.detail.startswith("修改：ends_at, paper_rule；时间 ")
    assert db.session.get(Competition, upcoming.id).ends_at is None


def test_edit_of_a_competition_with_attempts_warns_that_papers_are_kept(client, editor, running):
    response = client.post(f"{API}/competitions/{running.id}/attempts", json=ENTRY)
    assert response.status_code == 201
    page = client.get(f"{BASE}/{running.id}/edit").get_data(as_text=True)
    assert "本竞赛已有 1 次答题" in page and "已有的试卷（题目、顺序、分值）和成绩保持不变" in page


def test_duplicate_page_creates_the_copy_and_opens_its_editor(client, editor, upcoming):
    page = client.get(f"{BASE}/{upcoming.id}/duplicate").get_data(as_text=True)
    assert 'value="aqy-2026-copy"' in page
    response = client.post(f"{BASE}/{upcoming.id}/duplicate", data={"slug": "aqy-2026-b", "title": "第二场"})
    copy = db.session.scalar(select(Competition).where(Competition.slug == "aqy-2026-b"))
    assert response.headers["Location"] == f"{BASE}/{copy.id}/edit"
    again = client.post(f"{BASE}/{upcoming.id}/duplicate", data={"slug": "aqy-2026-b", "title": "第二场"})
    assert again.status_code == 422 and "网址标识 aqy-2026-b 已被「第二场」使用" in again.get_data(as_text=True)
    assert count(Competition) == 2


def test_csrf_is_enforced_on_the_editor_and_the_window_buttons(app, make_staff, login_as, upcoming):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    user = make_staff("admin")
    login = {"username": user.username, "password": STAFF_PASSWORD, "csrf_token": token}
    assert client.post("/staff/login", data=login).status_code == 302
    assert client.post(f"{BASE}/{upcoming.id}/edit", data=form_data(title="被篡改")).status_code == 400
    assert client.post(f"{BASE}/{upcoming.id}/open-early").status_code == 400
    assert client.post(f"{BASE}/{upcoming.id}/duplicate", data={"slug": "x-copy", "title": "x"}).status_code == 400
    db.session.expire_all()
    stored = db.session.get(Competition, upcoming.id)
    assert (stored.title, stored.status, count(Competition)) == ("安全生产月知识竞赛", "upcoming", 1)
    page = client.get(f"{BASE}/{upcoming.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"{BASE}/{upcoming.id}/open-early", data={"csrf_token": token}).status_code == 302
    assert db.session.get(Competition, upcoming.id).status == "open"


# Open and close early, seen from outside --------------------------------------------------


def test_opening_early_lets_the_public_start(client, make_staff, login_as, upcoming):
    body = ENTRY
    assert client.get(f"{API}/competitions/{upcoming.id}").get_json()["status"] == "upcoming"
    assert client.post(f"{API}/competitions/{upcoming.id}/attempts", json=body).status_code == 403
    login_as(client, make_staff("reviewer"))
    response = client.post(f"{BASE}/{upcoming.id}/open-early")
    assert "已提前开始" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get(f"{API}/competitions/{upcoming.id}").get_json()["status"] == "open"
    assert 'id="entry"' in client.get(f"/competitions/{upcoming.id}").get_data(as_text=True)
    assert client.post(f"{API}/competitions/{upcoming.id}/attempts", json=body).status_code == 201
    [row] = audit("competition_open_early")
    assert row.target == f"competition:{upcoming.id}"
    again = client.post(f"{BASE}/{upcoming.id}/open-early")
    assert "竞赛已经开始或已经结束，不能提前开始" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(audit("competition_open_early")) == 1


def test_closing_early_stops_new_starts(client, make_staff, login_as, running):
    login_as(client, make_staff("admin"))
    client.post(f"{BASE}/{running.id}/close-early")
    assert client.get(f"{API}/competitions/{running.id}").get_json()["status"] == "closed"
    assert "竞赛已结束" in client.get(f"/competitions/{running.id}").get_data(as_text=True)
    body = ENTRY
    response = client.post(f"{API}/competitions/{running.id}/attempts", json=body)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "competition_not_open"
    [row] = audit("competition_close_early")
    assert row.target == f"competition:{running.id}"


def test_the_list_shows_status_local_window_and_participants(client, editor, upcoming, running):
    body = ENTRY
    client.post(f"{API}/competitions/{running.id}/attempts", json=body)
    page = client.get(f"{BASE}/").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    running_row = next(row for row in rows if "running" in row)
    assert "进行中" in running_row
    assert re.search(r"<td>1</td>\s*<td>1</td>", running_row)
    local_start = running.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert local_start in running_row
    assert "未开始" in next(row for row in rows if "aqy-2026" in row)


def test_the_public_page_and_api_show_audience_and_prize(client, known_bank):  # noqa: F811
    now = utcnow()
    competition = admin.create_competition(
        settings(starts_at=now - timedelta(hours=1), ends_at=None, audience="practitioner", prize_description="纪念品一份",
                 prize_winners=5),  # fmt: skip
        "staff:1",
    )
    actions.publish(competition.id, "staff:1")
    summary = client.get(f"{API}/competitions/{competition.id}").get_json()
    assert (summary["audience"], summary["prize"]) == ("practitioner", {"description": "纪念品一份", "threshold": 60.0, "winners": 5})
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "<dt>参赛对象</dt><dd>从业人员</dd>" in page
    assert "纪念品一份（得分达到 60 分可参加抽奖，共 5 名）" in page
    assert re.findall(r'<input ([^>]*)name="group"[^>]*value="(\w+)"', page) == [("checked id=\"group-0\" ", "practitioner")]
    refused = client.post(f"{API}/competitions/{competition.id}/attempts", json=ENTRY)
    assert refused.status_code == 422 and refused.get_json()["error"]["fields"] == {"group": "本竞赛仅面向从业人员"}
    assert client.post(f"{API}/competitions/{competition.id}/attempts", json={**ENTRY, "group": "practitioner"}).status_code == 201


def test_the_dashboard_panel_lists_running_and_coming_competitions(client, make_staff, login_as, upcoming, running):
    login_as(client, make_staff("reviewer"))
    page = client.get("/staff/").get_data(as_text=True)
    panel = page[page.index("<h2>知识竞赛</h2>"):]
    assert panel.index("进行中：") < panel.index(f'/staff/competitions/{running.id}"') < panel.index("即将开始：")
    assert panel.index("即将开始：") < panel.index(f'/staff/competitions/{upcoming.id}"')
    assert "0 人参赛，0 次答题" in panel


def test_a_form_opened_before_someone_else_changed_the_competition_saves_nothing(client, make_staff, login_as, upcoming):
    login_as(client, make_staff("admin"))
    sent = browser_form(client.get(f"{BASE}/{upcoming.id}/edit").get_data(as_text=True))
    client.post(f"{BASE}/{upcoming.id}/open-early")  # meanwhile: the start moves to now
    sent["title"], sent["submit"] = "过时的表单", "1"
    response = client.post(f"{BASE}/{upcoming.id}/edit", data=sent)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "您编辑期间本竞赛已被他人修改（或已提前开始、结束），本次修改未保存" in page
    assert 'value="过时的表单"' in page  # what was typed is still there
    db.session.expire_all()
    stored = db.session.get(Competition, upcoming.id)
    assert (stored.title, stored.status) == ("安全生产月知识竞赛", "open")  # the stale start did not come back
    assert audit("competition_update") == []


def test_the_competition_page_lists_its_audit_trail_in_chinese(client, make_staff, login_as, upcoming):
    reviewer = make_staff("reviewer", display_name="赵审核")
    login_as(client, reviewer)
    client.post(f"{BASE}/{upcoming.id}/open-early")
    page = client.get(f"{BASE}/{upcoming.id}").get_data(as_text=True)
    trail = page[page.index("<h2>操作记录</h2>"):]
    assert f"赵审核（{reviewer.username}） · 提前开始竞赛 · 开始时间由" in trail
    assert " · 新建竞赛 · 新建竞赛「安全生产月知识竞赛」（aqy-2026）" in trail
    assert trail.index("提前开始竞赛") < trail.index("新建竞赛")  # newest first


def test_the_browsers_crlf_leaves_the_description_unchanged_and_in_paragraphs(client, editor, upcoming):
    """Found by review: browsers send textareas with CRLF; the description counted as changed and lost its paragraphs."""
    two_paragraphs = admin.replace_settings(admin.CompetitionSettings.of(upcoming), description="第一段。\n\n第二段。")
    admin.update_competition(upcoming.id, two_paragraphs, "staff:1")
    sent = browser_form(client.get(f"{BASE}/{upcoming.id}/edit").get_data(as_text=True))
    assert sent["description"] == "第一段。\n\n第二段。"
    sent["description"] = sent["description"].replace("\n", "\r\n")  # what a browser posts (HTML: textarea newlines are CRLF)
    sent["title"], sent["submit"] = "安全生产月知识竞赛（更新）", "1"
    before = len(audit("competition_update"))
    client.post(f"{BASE}/{upcoming.id}/edit", data=sent)
    rows = audit("competition_update")
    assert len(rows) == before + 1 and rows[-1].detail == "修改：title"
    assert db.session.get(Competition, upcoming.id).description == "第一段。\n\n第二段。"
    page = client.get(f"/competitions/{upcoming.id}").get_data(as_text=True)
    assert "<p>第一段。</p>" in page and "<p>第二段。</p>" in page and "\r" not in page
