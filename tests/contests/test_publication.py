"""Competition publication: new and duplicated competitions are drafts, hidden from the public until published.

A draft is absent from the home page and the JSON API list; its page, leaderboard, draws,
start (form and API) and its attempts answer 404 (the API in its ``{"error": …}`` shape).
Admins and reviewers publish and withdraw; every staff member previews.
"""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.content.banks import ContentError
from quizapp.content.sync import sync_content
from quizapp.contests import actions, admin
from quizapp.contests.models import Competition
from quizapp.contests.services import list_competitions
from quizapp.core.errors import Conflict
from quizapp.core.timeutil import utcnow
from quizapp.extensions import db
from quizapp.public import pagecache
from quizapp.publishing.models import AuditLog
from tests.contests.factories import API
from tests.contests.staffing import known_bank, settings  # noqa: F401

BASE = "/staff/competitions"
ENTRY = {"name": "张三", "phone": "13800138000", "organization": "区应急管理局", "group": "public", "consent": True}
FORM_ENTRY = {**ENTRY, "consent": "y"}
NOT_FOUND = {"error": {"code": "not_found", "message": "竞赛不存在"}}


@pytest.fixture
def draft(known_bank):  # noqa: F811
    """A staff-created competition that opened an hour ago and was never published."""
    now = utcnow()
    return admin.create_competition(
        settings(title="草稿竞赛标题", slug="draft-one", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7)), "staff:1"
    )


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def public_urls(competition_id: int) -> list[str]:
    return [
        f"/competitions/{competition_id}",
        f"/competitions/{competition_id}/leaderboard",
        f"/competitions/{competition_id}/draws",
    ]


def api_urls(competition_id: int) -> list[str]:
    return [
        f"{API}/competitions/{competition_id}",
        f"{API}/competitions/{competition_id}/leaderboard",
        f"{API}/competitions/{competition_id}/leaderboard/organizations",
    ]


def test_a_new_competition_is_a_draft_and_says_so_in_its_audit_row(draft):
    assert db.session.get(Competition, draft.id).is_published is False
    [row] = audit_rows("competition_create")
    assert row.detail.endswith("，草稿（未发布）")


def test_a_duplicate_of_a_published_competition_is_a_draft(draft):
    actions.publish(draft.id, "staff:1")
    copy = actions.duplicate_competition(draft.id, "draft-two", "第二场", "staff:1")
    assert (db.session.get(Competition, draft.id).is_published, db.session.get(Competition, copy.id).is_published) == (True, False)


def test_a_draft_is_absent_from_the_home_page_and_the_api_list(client, draft):
    assert "草稿竞赛标题" not in client.get("/").get_data(as_text=True)
    assert [c["id"] for c in client.get(f"{API}/competitions").get_json()["competitions"]] == []
    assert list_competitions() == [] and list_competitions(published_only=False) == [draft]
    actions.publish(draft.id, "staff:1")
    assert "草稿竞赛标题" in client.get("/").get_data(as_text=True)
    assert [c["id"] for c in client.get(f"{API}/competitions").get_json()["competitions"]] == [draft.id]


def test_a_drafts_public_pages_and_start_answer_404(client, draft):
    for url in public_urls(draft.id):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "草稿竞赛标题" not in response.get_data(as_text=True)
    assert client.post(f"/competitions/{draft.id}/start", data=FORM_ENTRY).status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(Competition).where(Competition.id == draft.id)) == 1


def test_a_drafts_api_endpoints_answer_the_apis_404(client, draft):
    for url in api_urls(draft.id):
        response = client.get(url)
        assert (response.status_code, response.get_json()) == (404, NOT_FOUND), url
    started = client.post(f"{API}/competitions/{draft.id}/attempts", json=ENTRY)
    assert (started.status_code, started.get_json()) == (404, NOT_FOUND)


def test_a_published_competition_serves_its_pages_and_starts(client, draft):
    actions.publish(draft.id, "staff:1")
    assert [client.get(url).status_code for url in public_urls(draft.id) + api_urls(draft.id)] == [200] * 6
    assert client.post(f"{API}/competitions/{draft.id}/attempts", json=ENTRY).status_code == 201


def test_publishing_and_withdrawing_retire_the_cached_home_page(app, client, draft):
    app.config.update(PAGE_CACHE_TYPE="SimpleCache", PAGE_CACHE_S=30)
    pagecache.init_app(app)
    assert "草稿竞赛标题" not in client.get("/").get_data(as_text=True)
    actions.publish(draft.id, "staff:1")  # a conditional UPDATE: no ORM flush, still a new generation
    assert "草稿竞赛标题" in client.get("/").get_data(as_text=True)
    actions.withdraw(draft.id, "staff:1")
    assert "草稿竞赛标题" not in client.get("/").get_data(as_text=True)


def test_the_sitemap_never_names_a_draft(client, draft):
    assert f"/competitions/{draft.id}" not in client.get("/sitemap.xml").get_data(as_text=True)


def test_publish_and_withdraw_are_audited_and_refused_when_repeated(draft):
    actions.publish(draft.id, "staff:7")
    with pytest.raises(Conflict, match="竞赛已经发布"):
        actions.publish(draft.id, "staff:7")
    actions.withdraw(draft.id, "staff:7")
    with pytest.raises(Conflict, match="竞赛尚未发布"):
        actions.withdraw(draft.id, "staff:7")
    rows = audit_rows("competition_publish") + audit_rows("competition_unpublish")
    assert [(r.actor, r.action, r.target, r.from_state, r.to_state) for r in rows] == [
        ("staff:7", "competition_publish", f"competition:{draft.id}", "draft", "published"),
        ("staff:7", "competition_unpublish", f"competition:{draft.id}", "published", "draft"),
    ]
    assert db.session.get(Competition, draft.id).is_published is False


def test_a_competition_with_attempts_cannot_be_withdrawn(client, draft):
    actions.publish(draft.id, "staff:1")
    assert client.post(f"{API}/competitions/{draft.id}/attempts", json=ENTRY).status_code == 201
    with pytest.raises(Conflict) as caught:
        actions.withdraw(draft.id, "staff:1")
    assert (caught.value.code, caught.value.message) == ("has_attempts", "已有 1 次答题，不能撤回发布；如需停止答题，请提前结束竞赛")
    assert db.session.get(Competition, draft.id).is_published is True


def test_a_paper_rule_the_bank_cannot_give_is_not_published(draft):
    db.session.execute(db.update(Competition).where(Competition.id == draft.id).values(paper_rule={"fixed": ["no-such-question"]}))
    db.session.commit()
    with pytest.raises(Conflict, match="试卷规则无法组卷，不能发布") as caught:
        actions.publish(draft.id, "staff:1")
    assert caught.value.code == "paper_rule_unusable"
    assert audit_rows("competition_publish") == []


@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("reviewer", True), ("editor", False)])
def test_admins_and_reviewers_publish_and_withdraw_editors_do_not(client, make_staff, login_as, draft, role, allowed):
    login_as(client, make_staff(role))
    page = client.get(f"{BASE}/{draft.id}").get_data(as_text=True)
    assert "草稿（未发布）" in page
    assert (f"{BASE}/{draft.id}/publish" in page) is allowed
    response = client.post(f"{BASE}/{draft.id}/publish")
    assert response.status_code == (302 if allowed else 403)
    assert db.session.get(Competition, draft.id).is_published is allowed
    if allowed:
        assert f"{BASE}/{draft.id}/withdraw" in client.get(f"{BASE}/{draft.id}").get_data(as_text=True)
        assert client.post(f"{BASE}/{draft.id}/withdraw").status_code == 302
        db.session.expire_all()
        assert db.session.get(Competition, draft.id).is_published is False


def test_anonymous_visitors_cannot_publish_or_preview(client, draft):
    for response in (client.post(f"{BASE}/{draft.id}/publish"), client.get(f"{BASE}/{draft.id}/preview")):
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert db.session.get(Competition, draft.id).is_published is False


def test_staff_preview_a_draft_but_its_public_page_stays_404_for_them(client, make_staff, login_as, draft):
    login_as(client, make_staff("editor"))
    preview = client.get(f"{BASE}/{draft.id}/preview")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "草稿竞赛标题" in page and "本竞赛尚未发布，公众看不到此页面" in page
    assert 'type="submit"' not in page  # the entry form is shown without its button
    assert client.get(f"/competitions/{draft.id}").status_code == 404


def test_the_editor_flashes_that_a_new_competition_is_a_draft(client, make_staff, login_as, draft):
    login_as(client, make_staff("editor"))
    response = client.post(f"{BASE}/{draft.id}/duplicate", data={"slug": "draft-copy", "title": "副本"}, follow_redirects=True)
    assert "已复制为「副本」（草稿，未发布），请检查竞赛时间后保存" in response.get_data(as_text=True)
    copy = db.session.scalar(select(Competition).where(Competition.slug == "draft-copy"))
    assert copy.is_published is False


@pytest.fixture
def content_copy(tmp_path, content_dir):
    """A writable copy of the starter content."""
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


def mark_draft(path, slug: str, status: str = "draft") -> None:
    """Add ``status: <status>`` after the file's ``id:`` line."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"id: {slug}\n", f"id: {slug}\nstatus: {status}\n"), encoding="utf-8")


def test_content_files_are_published_unless_their_status_is_draft(app, client, content_copy):
    mark_draft(content_copy / "competitions" / "xiaofang_2026_upcoming.yaml", "xiaofang-2026-upcoming")
    sync_content(content_copy)
    states = dict(db.session.execute(select(Competition.slug, Competition.is_published)).all())
    assert states == {"aqsf-2026": True, "xiaofang-2026-upcoming": False}
    assert [c["slug"] for c in client.get(f"{API}/competitions").get_json()["competitions"]] == ["aqsf-2026"]


def test_a_content_file_set_back_to_draft_hides_its_attempts(app, client, content_copy):
    sync_content(content_copy)
    competition = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    body = {**ENTRY, "organization": competition.organizations[0]}
    started = client.post(f"{API}/competitions/{competition.id}/attempts", json=body).get_json()
    headers = {"Authorization": f"Bearer {started['token']}"}
    assert client.get(f"{API}/attempts/{started['attempt_id']}", headers=headers).status_code == 200
    mark_draft(content_copy / "competitions" / "aqsf_2026.yaml", "aqsf-2026")
    sync_content(content_copy)
    response = client.get(f"{API}/attempts/{started['attempt_id']}", headers=headers)
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")


def test_an_unknown_status_in_a_competition_file_is_a_content_error(app, content_copy):
    mark_draft(content_copy / "competitions" / "aqsf_2026.yaml", "aqsf-2026", status="hidden")
    with pytest.raises(ContentError, match="aqsf_2026.yaml: status must be published"):
        sync_content(content_copy)
