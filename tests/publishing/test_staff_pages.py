"""Staff content pages: each role on each action, anonymous redirects, own-item refusal, CSRF, the scheduled warning end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS
from quizapp.publishing import workflow
from quizapp.publishing.models import AuditLog, Item
from quizapp.publishing.tasks import SCHEDULER_ACTOR, sweep_schedule
from tests.publishing.helpers import news_content

ROLES = ("admin", "editor", "reviewer")


class OwnUserClient(FlaskClient):
    """A test client that forgets Flask-Login's cached user before each request.

    The ``app`` fixture keeps one app context open, so ``g`` (where Flask-Login caches
    ``current_user``) would carry one client's user into another client's request.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _own_user_clients(app):
    app.test_client_class = OwnUserClient


@pytest.fixture
def author(make_staff):
    return make_staff("editor", username="author", display_name="李编辑")


@pytest.fixture
def as_role(app, make_staff, login_as):
    """Return ``as_role(*roles) -> (client, user)`` logged in through the login form."""

    def make(*roles: str, **kwargs):
        user = make_staff(*roles, **kwargs)
        client = app.test_client()
        login_as(client, user)
        return client, user

    return make


def news_item(author, state="draft", title="测试新闻", revisions=1) -> Item:
    """A news item written by *author* in *state* (draft, in_review, published, archived)."""
    content = news_content(title)
    item, _ = workflow.save_draft("news", content, KINDS["news"].listing(content), author.actor)
    for number in range(2, revisions + 1):
        changed = news_content(f"{title}{number}")
        workflow.save_draft("news", changed, KINDS["news"].listing(changed), author.actor, item_id=item.id)
    if state == "draft":
        return item
    workflow.submit(item.id, author.actor)
    if state in ("published", "archived"):
        workflow.approve(item.id, "staff:999")
    if state == "archived":
        workflow.archive(item.id, "staff:999")
    return item


NEWS_FORM = {"title": "页面新建的新闻", "date": "2026-06-01", "event": "", "body": "正文第一段。", "save": "保存草稿"}

#: action → (item state needed, method, path template, form data, {role: expected status})
ACTIONS = {
    "new_page": (None, "get", "/staff/content/kinds/news/new", None, {"admin": 403, "editor": 200, "reviewer": 403}),
    "create": (None, "post", "/staff/content/kinds/news/new", NEWS_FORM, {"admin": 403, "editor": 302, "reviewer": 403}),
    "edit_page": ("draft", "get", "/staff/content/items/{id}/edit", None, {"admin": 403, "editor": 200, "reviewer": 403}),
    "save": ("draft", "post", "/staff/content/items/{id}/edit", NEWS_FORM, {"admin": 403, "editor": 302, "reviewer": 403}),
    "submit": ("draft", "post", "/staff/content/items/{id}/submit", {}, {"admin": 403, "editor": 302, "reviewer": 403}),
    # an editor may withdraw only what they wrote: the item is the author's, so the service refuses (403)
    "withdraw": ("in_review", "post", "/staff/content/items/{id}/withdraw", {}, {"admin": 403, "editor": 403, "reviewer": 302}),
    "approve": ("in_review", "post", "/staff/content/items/{id}/approve", {"approve-publish_now": "1"},
                {"admin": 403, "editor": 403, "reviewer": 302}),
    "send_back": ("in_review", "post", "/staff/content/items/{id}/send-back", {"send_back-comment": "请补充"},
                  {"admin": 403, "editor": 403, "reviewer": 302}),
    "archive": ("published", "post", "/staff/content/items/{id}/archive", {}, {"admin": 403, "editor": 403, "reviewer": 302}),
    "restore": ("archived", "post", "/staff/content/items/{id}/restore", {}, {"admin": 403, "editor": 403, "reviewer": 302}),
    "restore_revision": ("draft2", "post", "/staff/content/items/{id}/revisions/1/restore", {},
                         {"admin": 403, "editor": 302, "reviewer": 403}),
    "list": (None, "get", "/staff/content/kinds/news", None, {role: 200 for role in ROLES}),
    "item": ("draft", "get", "/staff/content/items/{id}", None, {role: 200 for role in ROLES}),
    "preview": ("draft", "get", "/staff/content/items/{id}/preview", None, {role: 200 for role in ROLES}),
    "compare": ("draft2", "get", "/staff/content/items/{id}/compare?old=1&new=2", None, {role: 200 for role in ROLES}),
    "review": (None, "get", "/staff/content/review", None, {role: 200 for role in ROLES}),
    "schedule": (None, "get", "/staff/content/schedule", None, {role: 200 for role in ROLES}),
}  # fmt: skip


def _target(action: str, author) -> str:
    state, _, path, _, _ = ACTIONS[action]
    if state is None:
        return path
    item = news_item(author, "draft" if state == "draft2" else state, revisions=2 if state == "draft2" else 1)
    return path.format(id=item.id)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_on_each_action(app, pub_clock, as_role, author, role, action):
    client, _ = as_role(role)
    _, method, _, data, expected = ACTIONS[action]
    path = _target(action, author)
    response = client.get(path) if method == "get" else client.post(path, data=data)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:400]


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_visitors_are_sent_to_the_login_page(app, pub_clock, client, author, action):
    _, method, _, data, _ = ACTIONS[action]
    path = _target(action, author)
    response = client.get(path) if method == "get" else client.post(path, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_a_reviewer_who_is_also_the_editor_cannot_approve_their_own_item(app, pub_clock, as_role):
    client, user = as_role("editor", "reviewer")
    response = client.post("/staff/content/kinds/news/new", data=NEWS_FORM)
    item = db.session.scalar(select(Item).where(Item.title == "页面新建的新闻"))
    assert response.status_code == 302 and item is not None
    assert client.post(f"/staff/content/items/{item.id}/submit").status_code == 302
    page = client.get(f"/staff/content/items/{item.id}").get_data(as_text=True)
    assert "不能由您本人审核" in page and "批准并立即发布" not in page
    response = client.post(f"/staff/content/items/{item.id}/approve", data={"approve-publish_now": "1"})
    assert response.status_code == 403
    assert "不能审核自己编写的内容" in response.get_data(as_text=True)
    later = {"approve-schedule": "1", "approve-publish_at": "2026-06-02T09:00"}
    response = client.post(f"/staff/content/items/{item.id}/approve", data=later)
    assert response.status_code == 403
    assert db.session.get(Item, item.id).status == "in_review"


def test_a_form_without_its_csrf_token_is_refused(app, pub_clock, as_role, author):
    client, _ = as_role("editor")
    item = news_item(author)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/staff/content/items/{item.id}/submit")
        assert response.status_code == 400
        response = client.post("/staff/content/kinds/news/new", data=NEWS_FORM)
        assert response.status_code == 400
        assert "页面已过期" in response.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.get(Item, item.id).status == "draft"
    assert db.session.scalar(select(Item).where(Item.title == "页面新建的新闻")) is None


WARNING_FORM = {
    "period": "2026-07", "theme": "高温季节有限空间作业", "date": "2026-06-28", "intro": "入夏以来……",
    "hazards-0-place_type": "污水处理厂", "hazards-0-hazard": "未检测即进入污水井作业", "hazards-0-legal_basis": "安全生产法 43",
    "hazards-0-status": "已整改", "hazards-0-result": "配备气体检测仪并培训", "save": "保存草稿",
}  # fmt: skip


def test_an_editor_writes_a_warning_a_reviewer_schedules_it_and_it_appears_at_its_time(app, pub_clock, as_role, client):
    editor_client, editor = as_role("editor", display_name="王编辑")
    reviewer_client, reviewer = as_role("reviewer", display_name="赵审核")
    response = editor_client.post("/staff/content/kinds/warning/new", data=WARNING_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item = db.session.scalar(select(Item).where(Item.kind == "warning"))
    assert editor_client.post(f"/staff/content/items/{item.id}/submit").status_code == 302
    assert item.id in [queued.id for queued in db.session.scalars(select(Item).where(Item.status == "in_review"))]
    assert "高温季节有限空间作业" in reviewer_client.get("/staff/content/review").get_data(as_text=True)
    # 2026-06-01 10:00 Asia/Shanghai = 02:00Z
    response = reviewer_client.post(f"/staff/content/items/{item.id}/approve",
                                    data={"approve-schedule": "1", "approve-publish_at": "2026-06-01T10:00"})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(item)
    assert (item.status, item.publish_at.isoformat()) == ("scheduled", "2026-06-01T02:00:00+00:00")
    assert "2026-06-01 10:00" in reviewer_client.get("/staff/content/schedule").get_data(as_text=True)
    pub_clock.now = item.publish_at - timedelta(minutes=1)
    assert client.get("/warnings/2026/7").status_code == 404
    pub_clock.now = item.publish_at
    sweep_schedule()
    page = client.get("/warnings/2026/7")
    assert page.status_code == 200 and "未检测即进入污水井作业" in page.get_data(as_text=True)
    rows = db.session.execute(select(AuditLog.action, AuditLog.actor).where(AuditLog.item_id == item.id).order_by(AuditLog.id)).all()
    assert [tuple(row) for row in rows] == [
        ("create", editor.actor), ("submit", editor.actor), ("schedule", reviewer.actor), ("publish", SCHEDULER_ACTOR)]  # fmt: skip


def test_editing_a_published_item_on_the_page_leaves_the_old_text_live_until_approved(app, pub_clock, as_role, author, client):
    item = news_item(author, "published", title="旧标题")
    public = f"/news/{item.uid}"
    editor_client, _ = as_role("editor")
    reviewer_client, _ = as_role("reviewer")
    edit = editor_client.get(f"/staff/content/items/{item.id}/edit").get_data(as_text=True)
    assert 'value="旧标题"' in edit
    response = editor_client.post(f"/staff/content/items/{item.id}/edit", data={**NEWS_FORM, "title": "新标题"})
    assert response.status_code == 302
    assert editor_client.post(f"/staff/content/items/{item.id}/submit").status_code == 302
    assert "旧标题" in client.get(public).get_data(as_text=True)
    assert "已发布（修改待审核）" in reviewer_client.get(f"/staff/content/items/{item.id}").get_data(as_text=True)
    assert reviewer_client.post(f"/staff/content/items/{item.id}/approve", data={"approve-publish_now": "1"}).status_code == 302
    body = client.get(public).get_data(as_text=True)
    assert "新标题" in body and "旧标题" not in body


def test_compare_marks_deleted_and_inserted_text_and_restore_makes_a_new_revision(app, pub_clock, as_role, author):
    item = news_item(author, revisions=2, title="甲乙")
    client, _ = as_role("editor")
    page = client.get(f"/staff/content/items/{item.id}/compare?old=1&new=2").get_data(as_text=True)
    assert "甲乙<ins>2</ins>" in page
    assert client.post(f"/staff/content/items/{item.id}/revisions/1/restore").status_code == 302
    assert item.latest_revision().number == 3 and item.latest_revision().content["title"] == "甲乙"


def test_preview_shows_the_public_page_with_sanitised_markdown(app, pub_clock, as_role):
    client, _ = as_role("editor")
    data = {**NEWS_FORM, "body": "正文 **加粗** <script>alert(1)</script> [链接](javascript:alert(1))", "preview": "预览"}
    del data["save"]
    response = client.post("/staff/content/kinds/news/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>加粗</strong>" in html and "预览" in html
    assert "<script>alert" not in html and "href=\"javascript" not in html
    assert db.session.scalar(select(Item).where(Item.kind == "news")) is None  # a preview saves nothing


def test_presence_shows_who_else_has_the_item_open(app, pub_clock, as_role, author):
    item = news_item(author)
    first, _ = as_role("editor", display_name="甲编辑")
    second, _ = as_role("editor", display_name="乙编辑")
    assert "最近 2 分钟内没有其他人" in first.get(f"/staff/content/items/{item.id}/edit").get_data(as_text=True)
    page = second.get(f"/staff/content/items/{item.id}/edit").get_data(as_text=True)
    assert "甲编辑" in page and "08:00 打开" in page  # 2026-06-01 00:00Z is 08:00 in Asia/Shanghai
    assert 'src="/static/presence.js' in page and "<script>" not in page.replace('<script src=', '')
    pub_clock.advance(90)
    assert first.post(f"/staff/content/items/{item.id}/presence").get_json() == {"others": [{"name": "乙编辑", "seen_at": "08:00:00"}]}
    pub_clock.advance(121)
    assert second.post(f"/staff/content/items/{item.id}/presence").get_json() == {"others": []}


def test_an_overdue_item_and_a_stale_heartbeat_are_flagged_on_the_schedule_page_and_the_dashboard(app, pub_clock, as_role, author):
    client, _ = as_role("editor")
    item = news_item(author, "in_review", title="逾期新闻")
    workflow.approve(item.id, "staff:999", publish_at=pub_clock.now + timedelta(minutes=10))
    sweep_schedule()  # a heartbeat at 00:00Z
    pub_clock.advance(10 * 60 + 120)  # due 2 minutes ago: not yet overdue (publish_at < now − 2 min is)
    page = client.get("/staff/content/schedule").get_data(as_text=True)
    assert "已逾期" not in page and "定时发布任务可能已停止" in page  # the heartbeat is 12 minutes old
    pub_clock.advance(1)
    page = client.get("/staff/content/schedule").get_data(as_text=True)
    assert "已逾期" in page and "逾期新闻" in page
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "定时发布提醒" in dashboard and "逾期新闻" in dashboard and "定时发布任务可能已停止" in dashboard
    sweep_schedule()  # the scheduler runs again: published, fresh heartbeat
    assert "定时发布提醒" not in client.get("/staff/").get_data(as_text=True)


def test_a_fresh_heartbeat_alone_is_not_a_warning(app, pub_clock, as_role):
    client, _ = as_role("reviewer")
    sweep_schedule()
    pub_clock.advance(300)
    assert "定时发布任务可能已停止" not in client.get("/staff/content/schedule").get_data(as_text=True)
    pub_clock.advance(1)
    assert "定时发布任务可能已停止" in client.get("/staff/content/schedule").get_data(as_text=True)


def test_the_dashboard_reminds_of_next_months_warning_until_it_is_scheduled(app, pub_clock, as_role):
    # 2026-06-30 16:30Z is 07-01 00:30 in Asia/Shanghai: "next month" is already August
    pub_clock.now = pub_clock.now.replace(month=6, day=30, hour=16, minute=30)
    editor_client, editor = as_role("editor")
    reviewer_client, _ = as_role("reviewer")
    page = editor_client.get("/staff/").get_data(as_text=True)
    assert "2026年8月尚未排期" in page and "/staff/content/kinds/warning/new?period=2026-08" in page
    assert 'value="2026-08"' in editor_client.get("/staff/content/kinds/warning/new?period=2026-08").get_data(as_text=True)
    response = editor_client.post("/staff/content/kinds/warning/new", data={**WARNING_FORM, "period": "2026-08"})
    assert response.status_code == 302
    item = db.session.scalar(select(Item).where(Item.kind == "warning"))
    assert "目前为“草稿”" in reviewer_client.get("/staff/").get_data(as_text=True)
    editor_client.post(f"/staff/content/items/{item.id}/submit")
    schedule = {"approve-schedule": "1", "approve-publish_at": "2026-07-28T09:00"}
    reviewer_client.post(f"/staff/content/items/{item.id}/approve", data=schedule)
    assert db.session.get(Item, item.id).status == "scheduled"
    assert "尚未排期" not in reviewer_client.get("/staff/").get_data(as_text=True)


def test_the_warning_form_names_the_row_of_each_error_and_adds_rows_without_javascript(app, pub_clock, as_role):
    client, _ = as_role("editor")
    page = client.get("/staff/content/kinds/warning/new").get_data(as_text=True)
    assert page.count('class="card hazard-row"') == 3
    data = {**WARNING_FORM, "hazards-1-place_type": "仓库", "hazards-1-legal_basis": "刑法 1", "hazards-1-status": "整改中"}
    response = client.post("/staff/content/kinds/warning/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行：请填写隐患描述" in html and "第 2 行：请填写整改结果" in html and "第 2 行：法律依据有误" in html
    assert 'value="仓库"' in html and "未检测即进入污水井作业" in html  # nothing typed is lost
    added = client.post("/staff/content/kinds/warning/new", data={**data, "add_row": "添加一行"})
    assert added.status_code == 200 and added.get_data(as_text=True).count('class="card hazard-row"') == 4
    assert db.session.scalar(select(Item).where(Item.kind == "warning")) is None


def test_a_second_warning_for_the_same_month_gets_a_clear_error(app, pub_clock, as_role):
    client, _ = as_role("editor")
    assert client.post("/staff/content/kinds/warning/new", data=WARNING_FORM).status_code == 302
    response = client.post("/staff/content/kinds/warning/new", data={**WARNING_FORM, "theme": "另一期"})
    assert response.status_code == 422
    assert "2026-07 已有一期" in response.get_data(as_text=True)


def test_the_presence_ping_carries_the_pages_csrf_token_in_a_header(app, pub_clock, as_role, author):
    import re

    item = news_item(author)
    client, _ = as_role("editor")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.get(f"/staff/content/items/{item.id}/edit").get_data(as_text=True)
        token = re.search(r'data-csrf="([^"]+)"', page).group(1)
        assert client.post(f"/staff/content/items/{item.id}/presence").status_code == 400
        response = client.post(f"/staff/content/items/{item.id}/presence", headers={"X-CSRFToken": token})
        assert response.status_code == 200 and response.get_json() == {"others": []}
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
