"""``flask bank import`` / ``flask bank export``: reports and exit status."""

from __future__ import annotations

import json

from tests.bank.formats.conftest import IMPORTS


def _import(runner, *args):
    return runner.invoke(args=["bank", "import", *map(str, args)])


def test_import_json_report(runner):
    result = _import(runner, IMPORTS / "safety.gift", "--report", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert {key: report[key] for key in ("format", "imported", "duplicates", "errors")} == {
        "format": "gift", "imported": 4, "duplicates": 0, "errors": [],
    }
    assert report["skipped"][0] == {"line": 24, "reason": "问答题（GIFT Essay）quizapp 没有这种题型"}


def test_errors_give_a_non_zero_exit_in_every_mode(runner):
    expected = {
        (): "imported 0,",
        ("--dry-run",): "would import 0,",
        ("--dry-run", "--partial"): "would import 1,",
        ("--partial",): "imported 1,",
    }
    for flags, summary in expected.items():
        result = _import(runner, IMPORTS / "errors.csv", *flags)
        assert result.exit_code == 1, flags
        assert summary in result.output and "line 3, column 4: error: 答案无法识别" in result.output


def test_text_report_names_duplicates_and_dry_run(runner):
    assert _import(runner, IMPORTS / "safety_crlf.aiken.txt").exit_code == 0
    result = _import(runner, IMPORTS / "safety_crlf.aiken.txt", "--dry-run")
    assert result.exit_code == 0 and "would import 0, would update 0, duplicates 2" in result.output


def test_format_and_category_options(runner):
    result = _import(runner, IMPORTS / "paper_gbk.txt", "--format", "text", "--category", "竞赛/2024", "--report", "json")
    assert result.exit_code == 0 and json.loads(result.output)["imported"] == 6


def test_export(runner, tmp_path):
    _import(runner, IMPORTS / "safety.moodle.xml")
    target = tmp_path / "bank.gift"
    result = runner.invoke(args=["bank", "export", "--format", "gift", str(target)])
    assert result.exit_code == 0 and "exported 3 question(s)" in result.output
    assert "// [id:aqsf-xml-001]" in target.read_text(encoding="utf-8")
    assert runner.invoke(args=["bank", "export", "--format", "csv", str(target)]).exit_code == 2  # no CSV writer
