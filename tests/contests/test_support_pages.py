"""Staff pages for participant support, erasure and prize draws: each role on each action, and the flows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.contests.models import Attempt, Participant, PrizeDraw
from quizapp.extensions import db
from tests.contests.people import audit_rows, make_competition, make_participant, make_people

SEED = "2026安全月"


@pytest.fixture
def data(app, clock):
    """Return ids: a closed competition with the six PEOPLE, and a running one with 周九.

    周九's attempt 31 is open (stuck) after a submitted attempt 30.
    """
    closed = make_competition(clock.now)
    make_people(closed, clock.now)
    running = make_competition(clock.now, closed=False, slug="running", title="进行中的竞赛")
    zhou = make_participant(running, "周九", "13200132000", [(30, 70)], clock.now)
    db.session.add(
        Attempt(id=31, competition_id=running.id, participant_id=zhou.id, token_hash="1" * 64, seed="t",
                started_at=clock.now - timedelta(minutes=3), deadline_at=clock.now + timedelta(minutes=12))  # fmt: skip
    )
    db.session.commit()
    zhang = db.session.scalar(select(Participant.id).where(Participant.name == "张三"))
    return {"closed": closed.id, "running": running.id, "zhou": zhou.id, "zhang": zhang}


def actions(data) -> dict[str, tuple[str, str, dict]]:
    """Return name → (method, url, form) of every page and action."""
    draw = {"prize": "幸运奖", "winners": "3", "seed": SEED}
    return {
        "search page": ("get", "/staff/support/", {}),
        "search": ("post", "/staff/support/", {"query": "132****2000", "competition": "0"}),
        "participant": ("get", f"/staff/support/participants/{data['zhou']}", {}),
        "reset": ("post", "/staff/support/attempts/31/reset", {"reset-reason": "手机没电"}),
        "grant": ("post", f"/staff/support/participants/{data['zhou']}/grant", {"grant-reason": "断网", "grant-expected": "0"}),
        "erase": ("post", f"/staff/support/participants/{data['zhang']}/erase", {"erase-reason": "本人申请", "erase-confirm": "y"}),
        "draws": ("get", "/staff/support/draws", {}),
        "draw page": ("get", f"/staff/support/draws/{data['closed']}", {}),
        "draw preview": ("post", f"/staff/support/draws/{data['closed']}", {**draw, "preview": "1"}),
        "draw": ("post", f"/staff/support/draws/{data['closed']}", {**draw, "confirm": "1"}),
    }


#: Expected status per action for (admin, reviewer, editor): 200 page, 302 done and redirected, 403 refused.
EXPECTED = {
    "search page": (200, 200, 200),
    "search": (200, 200, 200),
    "participant": (200, 200, 200),
    "reset": (302, 302, 302),
    "grant": (302, 302, 302),
    "erase": (302, 302, 403),
    "draws": (200, 200, 403),
    "draw page": (200, 200, 403),
    "draw preview": (200, 200, 403),
    "draw": (302, 302, 403),
}
CHANGES = {"reset": "reset_attempt", "grant": "grant_attempt", "erase": "erase", "draw": "draw"}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role_index", [0, 1, 2], ids=["admin", "reviewer", "editor"])
def test_each_role_on_each_action(client, data, make_staff, login_as, action, role_index):
    role = ("admin", "reviewer", "editor")[role_index]
    user = make_staff(role)
    login_as(client, user)
    method, url, form = actions(data)[action]

    response = getattr(client, method)(url, data=form)

    assert response.status_code == EXPECTED[action][role_index], response.get_data(as_text=True)[:300]
    if action in CHANGES:
        expected_rows = [user.actor] if response.status_code == 302 else []
        assert [actor for actor, _, _ in audit_rows(CHANGES[action])] == expected_rows


@pytest.mark.parametrize("action", list(EXPECTED))
def test_anonymous_visitors_are_sent_to_the_login_page(client, data, action):
    method, url, form = actions(data)[action]

    response = getattr(client, method)(url, data=form)

    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login?next=")
    assert audit_rows(CHANGES.get(action, "none")) == []


def test_the_menu_shows_support_to_everyone_and_draws_to_reviewers_and_admins(client, make_staff, login_as, app):
    editor = make_staff("editor")
    login_as(client, editor)
    page = client.get("/staff/").get_data(as_text=True)
    assert "参赛者服务" in page and "有奖抽奖" not in page
    client.post("/staff/logout")
    login_as(client, make_staff("reviewer"))
    page = client.get("/staff/").get_data(as_text=True)
    assert "参赛者服务" in page and "有奖抽奖" in page


@pytest.fixture
def reviewer(client, make_staff, login_as):
    user = make_staff("reviewer")
    login_as(client, user)
    return user


def test_search_by_full_number_lists_the_person_without_showing_the_number_in_the_url(client, data, reviewer):
    response = client.post("/staff/support/", data={"query": "132 0013 2000", "competition": "0"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "周九" in page and "132****2000" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "#31" in page and "（2/2）" in page
    assert f"/staff/support/participants/{data['zhou']}" in page


def test_an_unrecognised_search_says_what_to_type(client, data, reviewer):
    response = client.post("/staff/support/", data={"query": "8000", "competition": "0"})
    assert "没有找到符合条件的参赛者" in response.get_data(as_text=True)  # four digits without a name: attempt 8000, none
    response = client.post("/staff/support/", data={"query": "张三", "competition": "0"})
    assert response.status_code == 422 and "无法识别的查询" in response.get_data(as_text=True)


def test_reset_needs_a_reason_then_scores_the_attempt(client, data, reviewer):
    refused = client.post("/staff/support/attempts/31/reset", data={"reset-reason": " "})
    assert refused.status_code == 422 and db.session.get(Attempt, 31).status == "open"

    done = client.post("/staff/support/attempts/31/reset", data={"reset-reason": "手机没电"}, follow_redirects=True)

    db.session.expire_all()
    assert db.session.get(Attempt, 31).status == "submitted"
    assert "答题 #31 已按已保存的答案交卷，得分 0" in done.get_data(as_text=True)
    again = client.post("/staff/support/attempts/31/reset", data={"reset-reason": "手机没电"}, follow_redirects=True)
    assert "已经交卷" in again.get_data(as_text=True) and len(audit_rows("reset_attempt")) == 1


def test_grant_twice_from_the_same_page_adds_one(client, data, reviewer):
    form = {"grant-reason": "断网", "grant-expected": "0"}
    first = client.post(f"/staff/support/participants/{data['zhou']}/grant", data=form, follow_redirects=True)
    second = client.post(f"/staff/support/participants/{data['zhou']}/grant", data=form, follow_redirects=True)

    assert "现可参加 3 次" in first.get_data(as_text=True)
    assert "重复提交" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, data["zhou"]).extra_attempts == 1


def test_erase_needs_the_identity_check(client, data, reviewer):
    refused = client.post(f"/staff/support/participants/{data['zhang']}/erase", data={"erase-reason": "本人申请"})
    assert refused.status_code == 422 and "请确认已核实申请人身份" in refused.get_data(as_text=True)

    done = client.post(
        f"/staff/support/participants/{data['zhang']}/erase", data={"erase-reason": "本人申请", "erase-confirm": "y"}, follow_redirects=True
    )

    assert "已删除该参赛者的姓名和手机号" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Participant, data["zhang"]).name == "已删除"


def test_draw_page_suggests_a_seed_previews_then_records_once(client, data, reviewer):
    page = client.get(f"/staff/support/draws/{data['closed']}").get_data(as_text=True)
    assert re.search(r'name="seed"[^>]*value="[0-9a-f]{16}"', page)
    form = {"prize": "幸运奖", "winners": "3", "seed": SEED}

    preview = client.post(f"/staff/support/draws/{data['closed']}", data={**form, "preview": "1"}).get_data(as_text=True)
    assert "预览" in preview and preview.index("#16") < preview.index("#17") < preview.index("#12")
    assert db.session.scalar(select(PrizeDraw)) is None

    recorded = client.post(f"/staff/support/draws/{data['closed']}", data={**form, "confirm": "1"}, follow_redirects=True)
    assert "已抽取「幸运奖」3 名中奖者并公布" in recorded.get_data(as_text=True)
    again = client.post(f"/staff/support/draws/{data['closed']}", data={**form, "confirm": "1"})
    assert again.status_code == 409 and "不能重复抽取" in again.get_data(as_text=True)
    assert [(d.prize, d.created_by) for d in db.session.scalars(select(PrizeDraw))] == [("幸运奖", reviewer.actor)]


def test_draw_page_offers_the_competitions_planned_winners_and_threshold(client, data, reviewer):
    from quizapp.contests.models import Competition

    competition = db.session.get(Competition, data["closed"])
    competition.prize_winners, competition.prize_threshold = 7, 80
    db.session.commit()

    page = client.get(f"/staff/support/draws/{data['closed']}").get_data(as_text=True)

    assert re.search(r'name="winners"[^>]*value="7"', page) and "不填则为 80 分" in page


def test_recording_a_draw_before_the_close_is_refused_on_the_page(client, data, reviewer):
    response = client.post(f"/staff/support/draws/{data['running']}", data={"prize": "幸运奖", "winners": "1", "seed": "x", "confirm": "1"})
    assert response.status_code == 409 and "竞赛结束后才能正式抽奖" in response.get_data(as_text=True)


def test_bad_draw_input_is_shown_on_the_form(client, data, reviewer):
    response = client.post(f"/staff/support/draws/{data['closed']}", data={"prize": "", "winners": "0", "seed": "", "preview": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写奖项名称" in page and "中奖人数须为 1–1000" in page and "请填写随机种子" in page


def test_changes_without_a_csrf_token_are_refused_and_change_nothing(app, data, make_staff, login_as):
    client = app.test_client()
    login_as(client, make_staff("admin"))
    app.config["WTF_CSRF_ENABLED"] = True

    erase = client.post(f"/staff/support/participants/{data['zhang']}/erase", data={"erase-reason": "本人申请", "erase-confirm": "y"})
    draw = client.post(f"/staff/support/draws/{data['closed']}", data={"prize": "幸运奖", "winners": "3", "seed": SEED, "confirm": "1"})

    assert erase.status_code == draw.status_code == 400  # CSRFProtect refuses before the view runs
    assert audit_rows("erase") == audit_rows("draw") == [] and db.session.scalar(select(PrizeDraw)) is None
    db.session.expire_all()
    assert db.session.get(Participant, data["zhang"]).name == "张三"
