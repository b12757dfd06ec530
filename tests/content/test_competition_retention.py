"""``retention_days`` in competition files: read, synced, left alone when absent, refused when bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.content.banks import ContentError
from quizapp.content.competitions import read_competition

HEAD = "format: quizapp-competition/1\nid: retention-test\npaper: {fixed: [q-1]}\n"


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + extra, encoding="utf-8")
    return path


def test_the_starter_competitions_keep_names_and_numbers_180_days(synced):
    assert synced.retention_days == 180


@pytest.mark.parametrize(("extra", "expected"), [("retention_days: 30\n", 30), ("retention_days: 0\n", 0), ("retention_days: ~\n", None)])
def test_retention_days_is_read(tmp_path, extra, expected):
    assert read_competition(write(tmp_path, extra))["retention_days"] == expected


def test_a_file_without_retention_days_leaves_the_staff_setting_alone(tmp_path):
    assert "retention_days" not in read_competition(write(tmp_path, ""))


@pytest.mark.parametrize("value", ["-1", "半年", "1.5", "true"])
def test_bad_retention_days_names_the_file(tmp_path, value):
    with pytest.raises(ContentError, match=r"c\.yaml: retention_days"):
        read_competition(write(tmp_path, f"retention_days: {value}\n"))
