"""Drafts in the workspace: opening a draft early says it is still a draft; the dashboard lists drafts apart.

Review finding: 提前开始 on a draft said "已提前开始：竞赛现在开放答题" though the public could not
see it, and the dashboard listed the draft under 进行中.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quizapp.contests import actions, admin
from quizapp.contests.models import Competition
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.factories import API
from tests.contests.staffing import known_bank, settings  # noqa: F401

BASE = "/staff/competitions"


def _draft(slug: str, start_in: timedelta) -> Competition:
    now = utcnow()
    return admin.create_competition(settings(slug=slug, title=f"草稿{slug}", starts_at=now + start_in, ends_at=now + timedelta(days=8)),
                                    "staff:1")  # fmt: skip


def test_opening_a_draft_early_says_it_is_still_a_draft(client, make_staff, login_as, known_bank):  # noqa: F811
    draft = _draft("early-draft", timedelta(days=1))
    login_as(client, make_staff("reviewer"))
    response = client.post(f"{BASE}/{draft.id}/open-early")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "竞赛现在开放答题" not in page
    assert "竞赛仍是草稿（未发布），公众看不到" in page
    assert client.get(f"{API}/competitions/{draft.id}").status_code == 404
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "competition_open_early"))
    assert row.detail.endswith("；仍是草稿（未发布），公众看不到")
    # Publishing then opens it at once, as the message promised.
    actions.publish(draft.id, "staff:2")
    assert client.get(f"{API}/competitions/{draft.id}").get_json()["status"] == "open"


def test_the_dashboard_lists_drafts_apart_from_running_and_coming(client, make_staff, login_as, known_bank):  # noqa: F811
    started = _draft("started-draft", -timedelta(hours=1))
    later = _draft("later-draft", timedelta(days=2))
    login_as(client, make_staff("editor"))
    page = client.get("/staff/").get_data(as_text=True)
    panel = page[page.index("<h2>知识竞赛</h2>"):]
    panel = panel[: panel.index("</section>")]
    assert "目前没有进行中的竞赛。" in panel
    assert "即将开始：" not in panel
    drafts = panel[panel.index("草稿（未发布，公众看不到）："):]
    assert f'/staff/competitions/{started.id}"' in drafts and f'/staff/competitions/{later.id}"' in drafts
    assert drafts.count("（开始时间已到，发布后即开放答题）") == 1
