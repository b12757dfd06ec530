"""Content sync (quizapp.content.sync.sync_content and ``flask content sync``): idempotent, all or nothing."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from quizapp.bank.models import Question, QuestionVersion
from quizapp.content.banks import ContentError
from quizapp.content.sync import sync_content
from quizapp.contests.models import Competition
from tests.conftest import DATA

TABLES = ("question", "question_version", "competition")


def bank_question_ids(content_dir: Path) -> list[str]:
    documents = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(content_dir.glob("banks/*.yaml"))]
    return [item["id"] for document in documents for item in document["questions"]]


def competition_slugs(content_dir: Path) -> set[str]:
    return {yaml.safe_load(path.read_text(encoding="utf-8"))["id"] for path in content_dir.glob("competitions/*.yaml")}


def publicity_counts(content_dir: Path, outcome: str) -> dict[str, dict[str, int]]:
    """The report's publicity part when every file of every kind folder had *outcome* (see tests/publicity/)."""
    folders = ("cases", "penalties", "warnings", "qa", "news")
    return {folder: {outcome: n} for folder in folders if (n := len(list(content_dir.glob(f"{folder}/*.md"))))}


def snapshot(db) -> dict[str, list[tuple]]:
    db.session.expire_all()
    tables = {name: db.metadata.tables[name] for name in TABLES}
    return {
        name: [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for name, table in tables.items()
    }


def row_count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def copy_content(content_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(source.replace(old, new), encoding="utf-8")


def law_files(root: Path) -> list[Path]:
    return sorted(root.glob("laws/*.md"))


def test_first_sync_creates_every_bank_question_and_both_competitions(db, content_dir):
    ids = bank_question_ids(content_dir)
    slugs = competition_slugs(content_dir)
    assert len(slugs) == 2

    report = sync_content(content_dir)

    assert report.as_dict() == {
        "laws": {"created": len(law_files(content_dir))},
        "questions": {"created": len(ids)},
        "competitions": {"created": len(slugs)},
        **publicity_counts(content_dir, "created"),
    }
    assert set(db.session.scalars(select(Question.uid))) == set(ids)
    assert set(db.session.scalars(select(QuestionVersion.number))) == {1}
    assert row_count(db, QuestionVersion) == len(ids)
    assert set(db.session.scalars(select(Competition.slug))) == slugs


def test_second_sync_reports_everything_unchanged_and_changes_no_row(db, content_dir):
    sync_content(content_dir)
    before = snapshot(db)

    report = sync_content(content_dir)

    assert report.as_dict() == {
        "laws": {"unchanged": len(law_files(content_dir))},
        "questions": {"unchanged": len(bank_question_ids(content_dir))},
        "competitions": {"unchanged": len(competition_slugs(content_dir))},
        **publicity_counts(content_dir, "unchanged"),
    }
    assert not report.changed
    assert snapshot(db) == before


def test_changed_stem_adds_a_version_to_that_question_only(db, content_dir, tmp_path):
    content = copy_content(content_dir, tmp_path)
    sync_content(content)
    before = snapshot(db)
    old_stem = "根据《中华人民共和国安全生产法》，安全生产工作坚持（　　）的方针。"
    new_stem = "《中华人民共和国安全生产法》规定，安全生产工作坚持（　　）的方针。"
    edit(content / "banks" / "anquan_shengchan_fa.yaml", f"stem: {old_stem}", f"stem: {new_stem}")

    report = sync_content(content)

    assert report.as_dict()["questions"] == {"updated": 1, "unchanged": len(bank_question_ids(content)) - 1}
    question = db.session.scalar(select(Question).where(Question.uid == "aqsf-001"))
    versions = list(
        db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id).order_by(QuestionVersion.number))
    )
    assert [(v.number, v.stem) for v in versions] == [(1, old_stem), (2, new_stem)]
    assert question.current_version_id == versions[1].id
    after = snapshot(db)
    assert [row for row in after["question_version"] if row[0] != versions[1].id] == before["question_version"]
    assert [row for row in after["question"] if row[0] != question.id] == [row for row in before["question"] if row[0] != question.id]


def test_on_load_competition_keeps_its_start_when_its_file_changes(db, content_dir, tmp_path, clock):
    content = copy_content(content_dir, tmp_path)
    sync_content(content)
    first_load = clock.now
    clock.advance(7 * 24 * 3600)
    edit(content / "competitions" / "aqsf_2026.yaml", "attempts_allowed: 3", "attempts_allowed: 5")

    report = sync_content(content)

    assert report.as_dict()["competitions"] == {"updated": 1, "unchanged": 1}
    db.session.expire_all()
    competition = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    assert competition.attempts_allowed == 5
    assert competition.starts_at == first_load
    assert competition.ends_at == first_load + timedelta(days=90)


def test_dated_competition_window_is_read_in_its_time_zone(db, content_dir):
    sync_content(content_dir)
    competition = db.session.scalar(select(Competition).where(Competition.slug == "xiaofang-2026-upcoming"))
    # starts: "2027-01-09 09:00" Asia/Shanghai, ends: "+14d"
    assert competition.starts_at == datetime(2027, 1, 9, 1, 0, tzinfo=UTC)
    assert competition.ends_at == datetime(2027, 1, 23, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bad_file", "named"),
    [
        ("single_choice_two_correct.yaml", ["single_choice_two_correct.yaml", "bad-single-001", "exactly one correct"]),
        ("duplicate_id.yaml", ["duplicate_id.yaml", "anquan_shengchan_fa.yaml", "aqsf-001"]),
        ("fill_blank_count_mismatch.yaml", ["fill_blank_count_mismatch.yaml", "bad-blank-001", "2 blanks"]),
        ("unknown_type.yaml", ["unknown_type.yaml", "bad-type-001", "type must be one of"]),
    ],
)
def test_invalid_bank_file_is_named_and_nothing_is_written(db, content_dir, tmp_path, bad_file, named):
    content = copy_content(content_dir, tmp_path)
    # "zz_" sorts after the real banks, so valid files are read before the bad one
    shutil.copy(DATA / "banks" / bad_file, content / "banks" / f"zz_{bad_file}")

    with pytest.raises(ContentError) as caught:
        sync_content(content)

    for fragment in named:
        assert fragment in str(caught.value)
    assert snapshot(db) == {name: [] for name in TABLES}


def test_type_change_in_a_file_is_a_content_error_and_keeps_the_loaded_bank(db, content_dir, tmp_path):
    sync_content(content_dir)
    before = snapshot(db)
    content = copy_content(content_dir, tmp_path)
    edit(content / "banks" / "anquan_shengchan_fa.yaml", "  - id: aqsf-001\n", "  - id: aqsf-001-retired\n")
    shutil.copy(DATA / "banks" / "type_changed_aqsf_001.yaml", content / "banks" / "zz_type_changed.yaml")

    with pytest.raises(ContentError, match=r"zz_type_changed\.yaml \(aqsf-001\)"):
        sync_content(content)

    assert snapshot(db) == before


def test_cli_sync_prints_json_counts(runner, db, content_dir):
    created = runner.invoke(args=["content", "sync", "--directory", str(content_dir), "--report", "json"])
    assert created.exit_code == 0, created.output
    questions, competitions = len(bank_question_ids(content_dir)), len(competition_slugs(content_dir))
    assert json.loads(created.output) == {
        "laws": {"created": len(law_files(content_dir))},
        "questions": {"created": questions},
        "competitions": {"created": competitions},
        **publicity_counts(content_dir, "created"),
    }

    again = runner.invoke(args=["content", "sync", "--directory", str(content_dir), "--report", "json"])
    assert json.loads(again.output) == {
        "laws": {"unchanged": len(law_files(content_dir))},
        "questions": {"unchanged": questions},
        "competitions": {"unchanged": competitions},
        **publicity_counts(content_dir, "unchanged"),
    }


def test_cli_sync_reports_an_invalid_file_without_a_traceback(runner, db, content_dir, tmp_path):
    content = copy_content(content_dir, tmp_path)
    shutil.copy(DATA / "banks" / "unknown_type.yaml", content / "banks" / "zz_unknown_type.yaml")

    result = runner.invoke(args=["content", "sync", "--directory", str(content)])

    assert result.exit_code == 1
    assert "zz_unknown_type.yaml" in result.output and "bad-type-001" in result.output
    assert isinstance(result.exception, SystemExit)  # a ClickException, not an uncaught ContentError
    assert result.output.startswith("Error: ")
    assert row_count(db, Question) == 0
