"""The review workflow: drafts, review, nobody approving their own item, schedules with the clock, live edits, history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.core.timeutil import local_to_utc
from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS
from quizapp.publishing import history, workflow
from quizapp.publishing.models import AuditLog, InvalidTransition, Item
from quizapp.publishing.tasks import SCHEDULER_ACTOR, sweep_schedule
from quizapp.publishing.visibility import visible_items
from tests.publishing.helpers import news_content

EDITOR, REVIEWER, OTHER = "staff:1", "staff:2", "staff:3"


def draft(title="原标题", body="原正文。", actor=EDITOR):
    content = news_content(title, body)
    return workflow.save_draft("news", content, KINDS["news"].listing(content), actor)


def visible_titles() -> list[str]:
    return [item.title for item in db.session.scalars(visible_items("news"))]


def trail(item: Item) -> list[tuple]:
    rows = db.session.execute(
        select(AuditLog.action, AuditLog.actor, AuditLog.from_state, AuditLog.to_state)
        .where(AuditLog.item_id == item.id)
        .order_by(AuditLog.id)
    )
    return [tuple(row) for row in rows]


def test_a_scheduled_item_appears_at_its_local_time_and_the_audit_log_has_each_step(app, pub_clock):
    item, revision = draft()
    assert (item.status, revision.number, revision.actor) == ("draft", 1, EDITOR)
    workflow.submit(item.id, EDITOR)
    publish_at = local_to_utc(datetime(2026, 6, 2, 9, 0))  # 09:00 Asia/Shanghai
    assert publish_at == datetime(2026, 6, 2, 1, 0, tzinfo=UTC)
    workflow.approve(item.id, REVIEWER, publish_at=publish_at)
    assert (item.status, item.publish_at) == ("scheduled", publish_at)
    pub_clock.now = publish_at - timedelta(seconds=1)
    assert visible_titles() == []
    assert sweep_schedule()["published"] == 0
    pub_clock.now = publish_at
    assert sweep_schedule()["published"] == 1
    assert visible_titles() == ["原标题"]
    assert trail(item) == [
        ("create", EDITOR, None, "draft"),
        ("submit", EDITOR, "draft", "in_review"),
        ("schedule", REVIEWER, "in_review", "scheduled"),
        ("publish", SCHEDULER_ACTOR, "scheduled", "published"),
    ]


def test_the_author_of_the_revision_under_review_cannot_approve_or_schedule_it(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(workflow.OwnItem) as caught:
        workflow.approve(item.id, EDITOR)
    assert caught.value.status == 403
    with pytest.raises(workflow.OwnItem):
        workflow.approve(item.id, EDITOR, publish_at=pub_clock.now + timedelta(hours=1))
    assert db.session.get(Item, item.id).status == "in_review"
    workflow.approve(item.id, REVIEWER)
    assert item.status == "published"


def test_rescheduling_is_refused_to_the_author_too(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    workflow.approve(item.id, REVIEWER, publish_at=pub_clock.now + timedelta(days=1))
    with pytest.raises(workflow.OwnItem):
        workflow.approve(item.id, EDITOR, publish_at=pub_clock.now + timedelta(days=2))
    workflow.approve(item.id, OTHER, publish_at=pub_clock.now + timedelta(days=2))
    assert item.publish_at == pub_clock.now + timedelta(days=2)


def test_a_schedule_in_the_past_is_refused(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(ValidationFailed):
        workflow.approve(item.id, REVIEWER, publish_at=pub_clock.now - timedelta(minutes=1))
    assert db.session.get(Item, item.id).status == "in_review"


def test_editing_a_published_item_keeps_the_old_text_live_until_the_new_revision_is_approved(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    workflow.approve(item.id, REVIEWER)
    edited = news_content("新标题", "新正文。")
    _, second = workflow.save_draft("news", edited, KINDS["news"].listing(edited), OTHER, item_id=item.id)
    assert (item.status, workflow.stage(item), visible_titles()) == ("published", "revision_draft", ["原标题"])
    workflow.submit(item.id, OTHER)
    assert (workflow.stage(item), item.pending_revision_id) == ("revision_review", second.id)
    assert visible_titles() == ["原标题"]
    with pytest.raises(workflow.OwnItem):
        workflow.approve(item.id, OTHER)
    workflow.approve(item.id, REVIEWER)
    assert (item.status, item.live_revision_id, item.pending_revision_id) == ("published", second.id, None)
    assert visible_titles() == ["新标题"]
    assert trail(item)[-3:] == [
        ("save", OTHER, "published", "published"),
        ("submit", OTHER, "published", "published"),
        ("publish", REVIEWER, "published", "published"),
    ]


def test_a_scheduled_revision_replaces_the_live_one_when_the_sweep_runs_at_its_time(app, pub_clock):
    item, first = draft()
    workflow.submit(item.id, EDITOR)
    workflow.approve(item.id, REVIEWER)
    edited = news_content("新标题", "新正文。")
    _, second = workflow.save_draft("news", edited, KINDS["news"].listing(edited), EDITOR, item_id=item.id)
    workflow.submit(item.id, EDITOR)
    at = pub_clock.now + timedelta(hours=3)
    workflow.approve(item.id, REVIEWER, publish_at=at)
    assert (item.status, workflow.stage(item), item.pending_publish_at) == ("published", "revision_scheduled", at)
    pub_clock.now = at - timedelta(seconds=1)
    assert sweep_schedule() == {"published": 0, "archived": 0}
    assert visible_titles() == ["原标题"]
    pub_clock.now = at
    assert sweep_schedule() == {"published": 1, "archived": 0}
    assert sweep_schedule() == {"published": 0, "archived": 0}  # twice: nothing more
    item = db.session.get(Item, item.id)
    assert (item.live_revision_id, item.pending_revision_id, item.pending_publish_at) == (second.id, None, None)
    assert visible_titles() == ["新标题"]
    assert trail(item)[-1] == ("publish", SCHEDULER_ACTOR, "published", "published")
    assert first.id != second.id


def test_send_back_needs_a_comment_and_returns_the_item_to_draft(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(ValidationFailed):
        workflow.send_back(item.id, REVIEWER, "  ")
    workflow.send_back(item.id, REVIEWER, "请补充法律依据")
    assert item.status == "draft"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "send_back"))
    assert (entry.actor, entry.from_state, entry.to_state, entry.detail) == (REVIEWER, "in_review", "draft", "请补充法律依据")


def test_only_the_author_withdraws_unless_a_reviewer_does_it(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(workflow.NotYours):
        workflow.withdraw(item.id, OTHER)
    workflow.withdraw(item.id, EDITOR)
    assert item.status == "draft"
    workflow.submit(item.id, EDITOR)
    workflow.withdraw(item.id, REVIEWER, others=True)
    assert item.status == "draft"


def test_an_item_in_review_cannot_be_edited_until_withdrawn(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    content = news_content("改")
    with pytest.raises(Conflict):
        workflow.save_draft("news", content, KINDS["news"].listing(content), EDITOR, item_id=item.id)


def test_saving_the_same_content_twice_writes_one_revision(app, pub_clock):
    item, _ = draft()
    content = news_content("原标题", "原正文。")
    again, revision = workflow.save_draft("news", content, KINDS["news"].listing(content), EDITOR, item_id=item.id)
    assert revision is None and again.latest_revision().number == 1


def test_archive_and_restore(app, pub_clock):
    item, _ = draft()
    with pytest.raises(InvalidTransition):
        workflow.archive(item.id, REVIEWER)
    workflow.submit(item.id, EDITOR)
    workflow.approve(item.id, REVIEWER)
    workflow.archive(item.id, REVIEWER)
    assert visible_titles() == []
    workflow.restore(item.id, REVIEWER)
    assert item.status == "draft"
    assert [row[0] for row in trail(item)][-2:] == ["archive", "restore"]


def test_restoring_an_old_revision_copies_it_into_a_new_one_that_goes_through_review(app, pub_clock):
    item, first = draft(title="第一版", body="甲乙丙。")
    second_content = news_content("第二版", "甲丁丙。")
    workflow.save_draft("news", second_content, KINDS["news"].listing(second_content), EDITOR, item_id=item.id)
    diffs = {diff.label: diff for diff in history.compare(item, 1, 2)}
    assert diffs["正文"].segments == [("equal", "甲"), ("delete", "乙"), ("insert", "丁"), ("equal", "丙。")]
    assert diffs["标题"].changed and not diffs["日期"].changed
    third = workflow.restore_revision(item.id, 1, OTHER)
    assert (third.number, third.content, third.actor, third.note) == (3, first.content, OTHER, "恢复自第 1 版")
    assert item.title == "第一版"
    with pytest.raises(Conflict):
        workflow.restore_revision(item.id, 3, OTHER)
    workflow.submit(item.id, OTHER)
    with pytest.raises(workflow.OwnItem):
        workflow.approve(item.id, OTHER)


def warning_content(period: str, theme: str = "有限空间作业") -> dict:
    hazard = {"place_type": "污水处理厂", "hazard": "未检测即进入有限空间", "legal_basis": [{"law": "安全生产法", "article": 43}],
              "status": "已整改", "result": "已配备气体检测仪"}  # fmt: skip
    return {"period": period, "theme": theme, "date": f"{period}-28", "intro": "导语。", "hazards": [hazard]}


def test_one_warning_per_month_gives_a_clear_error(app, pub_clock):
    kind = KINDS["warning"]
    first = warning_content("2026-07")
    workflow.save_draft("warning", first, kind.listing(first), EDITOR)
    second = warning_content("2026-07", "另一个主题")
    with pytest.raises(Conflict) as caught:
        workflow.save_draft("warning", second, kind.listing(second), OTHER)
    assert caught.value.code == "period_taken"
    assert "2026-07 已有一期" in caught.value.message
    assert db.session.scalar(select(Item.id).where(Item.title.like("%另一个主题%"))) is None


def test_content_sync_never_overwrites_a_staff_revision_waiting_for_review(app, pub_clock, tmp_path):
    import shutil

    from quizapp.publicity.loader import sync_publicity
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "content" / "news", tmp_path / "news")
    sync_publicity(tmp_path)
    item = db.session.scalars(select(Item).where(Item.kind == "news").order_by(Item.uid)).first()
    live = item.live_revision
    edited = {**live.content, "title": "工作人员改的标题"}
    workflow.save_draft("news", edited, KINDS["news"].listing(edited), EDITOR, item_id=item.id)
    workflow.submit(item.id, EDITOR)
    path = next(path for path in (tmp_path / "news").glob("*.md") if f"id: {item.uid}" in path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8") + "\n文件里新增的一段。\n", encoding="utf-8")
    report = sync_publicity(tmp_path)
    assert report.counts["news"]["conflict"] == 1 and item.uid in report.conflicts[0]
    item = db.session.get(Item, item.id)
    assert (item.live_revision_id, workflow.stage(item)) == (live.id, "revision_review")
    workflow.approve(item.id, REVIEWER)
    assert item.title == "工作人员改的标题"


def test_the_on_live_hook_runs_when_a_revision_goes_live_now_or_at_its_time(app, pub_clock):
    from quizapp.publishing.editors import EDITORS, EditorSpec, register_editor

    seen: list[tuple[str, int]] = []
    spec = EDITORS["news"]
    register_editor("news", EditorSpec(**{**spec.__dict__, "on_live": lambda item, revision: seen.append((item.uid, revision.number))}))
    try:
        now_item, _ = draft(title="立即")
        workflow.submit(now_item.id, EDITOR)
        workflow.approve(now_item.id, REVIEWER)
        later, _ = draft(title="定时")
        workflow.submit(later.id, EDITOR)
        workflow.approve(later.id, REVIEWER, publish_at=pub_clock.now + timedelta(hours=1))
        edited = news_content("立即2")
        workflow.save_draft("news", edited, KINDS["news"].listing(edited), OTHER, item_id=now_item.id)
        workflow.submit(now_item.id, OTHER)
        workflow.approve(now_item.id, REVIEWER, publish_at=pub_clock.now + timedelta(hours=2))
        assert seen == [(now_item.uid, 1)]
        pub_clock.advance(3600)
        sweep_schedule()
        pub_clock.advance(3600)
        sweep_schedule()
        assert seen == [(now_item.uid, 1), (later.uid, 1), (now_item.uid, 2)]
    finally:
        register_editor("news", spec)


def test_content_sync_reports_a_warning_file_for_a_month_staff_already_wrote(app, pub_clock, tmp_path):
    import shutil

    from quizapp.publicity.loader import sync_publicity
    from tests.conftest import ROOT

    kind = KINDS["warning"]
    staff = warning_content("2026-01", "工作人员写的一月警示")
    item, _ = workflow.save_draft("warning", staff, kind.listing(staff), EDITOR)
    shutil.copytree(ROOT / "content" / "warnings", tmp_path / "warnings")
    report = sync_publicity(tmp_path)
    assert report.counts["warnings"]["conflict"] == 1
    assert report.conflicts == [f"warnings/2026-01.md: 2026-01 already has item {item.uid}; the file was not loaded"]
    assert report.counts["warnings"]["created"] == 11
    assert db.session.get(Item, item.id).title == "2026年1月：工作人员写的一月警示"


# Found by the second fresh-eyes review.


def test_a_save_from_a_form_opened_before_someone_elses_save_is_refused(app, pub_clock):
    item, first = draft()
    content = news_content("甲的修改", "甲的正文。")
    _, second = workflow.save_draft("news", content, KINDS["news"].listing(content), OTHER, item.id, base_revision=first.number)
    late = news_content("乙的修改", "乙的正文。")
    with pytest.raises(Conflict) as stale:
        workflow.save_draft("news", late, KINDS["news"].listing(late), EDITOR, item.id, base_revision=first.number)
    assert stale.value.code == "stale_revision" and "第 2 版" in stale.value.message
    assert item.latest_revision().number == second.number == 2
    _, third = workflow.save_draft("news", late, KINDS["news"].listing(late), EDITOR, item.id, base_revision=2)
    assert third.number == 3


def test_nobody_sends_back_their_own_revision(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(workflow.OwnItem):
        workflow.send_back(item.id, EDITOR, "自己退回")
    assert item.status == "in_review"
    workflow.send_back(item.id, REVIEWER, "请补充出处")
    assert item.status == "draft"


def test_schedules_more_than_two_years_ahead_are_refused(app, pub_clock):
    item, _ = draft()
    workflow.submit(item.id, EDITOR)
    with pytest.raises(ValidationFailed):
        workflow.approve(item.id, REVIEWER, publish_at=pub_clock.now + timedelta(days=workflow.MAX_SCHEDULE_DAYS + 1))
    workflow.approve(item.id, REVIEWER, publish_at=pub_clock.now + timedelta(days=workflow.MAX_SCHEDULE_DAYS))
    assert item.status == "scheduled"


def test_a_revision_number_no_column_can_hold_is_not_found(app, pub_clock):
    from quizapp.core.errors import NotFound

    item, _ = draft()
    for number in (0, 2**31, 10**20):
        with pytest.raises(NotFound):
            workflow.get_revision(item, number)
