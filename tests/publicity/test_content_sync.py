"""Loading publicity files (``sync_publicity``): idempotent, a changed file revises its item, staff edits win and are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.content.banks import ContentError
from quizapp.extensions import db
from quizapp.publicity.kinds import KINDS
from quizapp.publicity.loader import SYNC_ACTOR, sync_publicity
from quizapp.publishing.models import AuditLog, Item, Revision
from quizapp.publishing.services import add_revision, find_item
from tests.conftest import ROOT


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    for folder in ("cases", "penalties", "warnings", "qa", "news"):
        shutil.copytree(ROOT / "content" / folder, target / folder)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_second_sync_changes_nothing(app, content, pub_clock):
    first = sync_publicity(content)
    items, revisions, audits = count(Item), count(Revision), count(AuditLog)
    second = sync_publicity(content)
    assert {folder: set(counts) for folder, counts in second.counts.items()} == {folder: {"unchanged"} for folder in first.counts}
    assert (count(Item), count(Revision), count(AuditLog)) == (items, revisions, audits)
    assert set(db.session.scalars(select(Revision.actor))) == {SYNC_ACTOR}


def test_a_changed_file_writes_a_new_live_revision(app, content, pub_clock):
    sync_publicity(content)
    edit(content / "cases" / "2025-canyin-ranqi-baojing.md", "某火锅店", "某烧烤店")
    report = sync_publicity(content)
    assert report.counts["cases"]["updated"] == 1
    item = find_item("case-2025-restaurant-gas-alarm")
    assert item.live_revision.number == 2 and "某烧烤店" in item.live_revision.content["facts"]
    assert "烧烤" in item.search_text


def test_a_staff_edit_is_kept_and_a_changed_file_is_reported_as_a_conflict(app, content, pub_clock):
    sync_publicity(content)
    item = find_item("case-2025-restaurant-gas-alarm")
    staff_content = {**item.live_revision.content, "title": "工作人员修改的标题"}
    item.make_live(add_revision(item, staff_content, KINDS["case"].listing(staff_content), "staff:3"))
    db.session.commit()

    assert sync_publicity(content).counts["cases"].get("conflict", 0) == 0  # file unchanged: nothing to report
    edit(content / "cases" / "2025-canyin-ranqi-baojing.md", "某火锅店", "某烧烤店")
    report = sync_publicity(content)

    assert report.counts["cases"]["conflict"] == 1
    assert report.conflicts == [
        "cases/2025-canyin-ranqi-baojing.md: case-2025-restaurant-gas-alarm was edited by staff; the file was not loaded"
    ]
    db.session.refresh(item)
    assert item.title == "工作人员修改的标题" and item.live_revision.actor == "staff:3"


def test_a_file_with_publish_at_is_scheduled_in_local_time(app, content, pub_clock):
    sync_publicity(content)
    item = find_item("news-2026-winter-inspection")
    assert item.status == "scheduled"
    assert item.publish_at.isoformat() == "2026-12-01T01:00:00+00:00"


def test_an_invalid_file_is_named_and_nothing_is_written(app, content, pub_clock):
    edit(content / "penalties" / "2025-031.md", "(长)应急罚〔2025〕31号", "第31号")
    with pytest.raises(ContentError, match="penalties/2025-031.md"):
        sync_publicity(content)
    assert count(Item) == 0


def test_flask_content_sync_loads_publicity_with_the_rest(runner, app, pub_clock):
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output
    assert "cases: created 6" in result.output and "warnings: created 12" in result.output


def test_a_file_moved_from_draft_to_published_goes_live(app, content, pub_clock, client):
    path = content / "cases" / "2025-canyin-ranqi-baojing.md"
    edit(path, "id: case-2025-restaurant-gas-alarm", "id: case-2025-restaurant-gas-alarm\nstatus: draft")
    sync_publicity(content)
    item = find_item("case-2025-restaurant-gas-alarm")
    assert item.status == "draft"
    edit(path, "status: draft", "status: published")
    report = sync_publicity(content)
    assert report.counts["cases"]["updated"] == 1
    assert item.status == "published" and item.published_at is not None
    assert [row.action for row in db.session.scalars(select(AuditLog).where(AuditLog.item_id == item.id).order_by(AuditLog.id))] == [
        "create", "publish"
    ]
    assert sync_publicity(content).counts["cases"].get("updated", 0) == 0  # and stays put


def test_a_file_moved_back_to_draft_takes_the_item_off_the_site_and_back(app, content, pub_clock):
    path = content / "cases" / "2025-canyin-ranqi-baojing.md"
    sync_publicity(content)
    item = find_item("case-2025-restaurant-gas-alarm")
    edit(path, "id: case-2025-restaurant-gas-alarm", "id: case-2025-restaurant-gas-alarm\nstatus: draft")
    sync_publicity(content)
    assert item.status == "archived"
    edit(path, "status: draft", "status: published")
    sync_publicity(content)
    assert item.status == "published"


def test_an_item_archived_by_staff_stays_archived(app, content, pub_clock):
    sync_publicity(content)
    item = find_item("case-2025-restaurant-gas-alarm")
    item.archive("staff:3")
    db.session.commit()
    sync_publicity(content)
    assert item.status == "archived"
