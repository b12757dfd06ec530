"""Importing statutes (quizapp.laws.services, ``flask laws import``): idempotent; a new revision supersedes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.laws.models import Law, LawArticle, LawDivision, LawVersion
from quizapp.laws.parser import LawFormatError
from quizapp.laws.services import import_law_file, slug_for
from tests.laws.factories import SAMPLE_2020, SAMPLE_2022, SHARED_LAWS, SHIPPED_LAWS


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _versions(title: str) -> list[LawVersion]:
    return list(db.session.scalars(select(LawVersion).join(Law).where(Law.title == title).order_by(LawVersion.number)))


def test_cli_import_reports_json_and_a_second_run_changes_nothing(runner):
    path = SHIPPED_LAWS[0]
    first = runner.invoke(args=["laws", "import", str(path), "--report", "json"])
    counts = (_count(Law), _count(LawVersion), _count(LawDivision), _count(LawArticle))
    again = runner.invoke(args=["laws", "import", str(path), "--report", "json"])

    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert {key: report[key] for key in ("title", "slug", "version", "chapters", "articles")} == {
        "title": "中华人民共和国安全生产法",
        "slug": "anquan-shengchan-fa",
        "version": 1,
        "chapters": 7,
        "articles": 119,
    }
    assert report["outcome"] == "created"
    assert json.loads(again.output)["outcome"] == "unchanged"
    assert (_count(Law), _count(LawVersion), _count(LawDivision), _count(LawArticle)) == counts == (1, 1, 7, 119)


def test_cli_import_refuses_a_file_outside_the_layout(runner, tmp_path):
    bad = tmp_path / "bad_law_2020.md"
    bad.write_text("第一条 没有标题。\n", encoding="utf-8")
    result = runner.invoke(args=["laws", "import", str(bad)])
    assert result.exit_code != 0
    assert "bad_law_2020.md" in result.output and _count(Law) == 0


def test_slug_drops_the_revision_year():
    assert slug_for(SAMPLE_2020) == slug_for(SAMPLE_2022) == "shili-anquan-fa"


def test_a_new_revision_is_a_new_version_and_the_old_one_is_kept_superseded(app):
    first = import_law_file(SAMPLE_2020)
    second = import_law_file(SAMPLE_2022)

    old, new = _versions("中华人民共和国示例安全法")
    assert (first.version, first.outcome, second.version, second.outcome) == (1, "created", 2, "revised")
    assert old.is_superseded and old.superseded_at is not None and not new.is_superseded
    assert old.law.current_version is new
    assert [a.ref for a in old.articles] == ["1", "2", "2-1", "3", "4", "5"]
    assert [a.ref for a in new.articles] == ["1", "2", "2-1", "3", "5"]
    assert new.revision == "2022年6月1日修正文本" and str(new.revised_on) == "2022-06-01"
    assert import_law_file(SAMPLE_2020).outcome == "unchanged"  # an old text again is found, not reinstated
    assert not _versions("中华人民共和国示例安全法")[1].is_superseded


def test_an_older_revision_imported_after_the_newer_is_stored_as_superseded(app):
    import_law_file(SAMPLE_2022)
    older = import_law_file(SAMPLE_2020)
    assert (older.version, older.is_current) == (2, False)
    assert [v.is_superseded for v in _versions("中华人民共和国示例安全法")] == [False, True]


def test_a_changed_source_comment_updates_the_version_in_place(app, tmp_path):
    import_law_file(SAMPLE_2020)
    copy = tmp_path / SAMPLE_2020.name
    text = SAMPLE_2020.read_text(encoding="utf-8").replace("revision: 2020年1月1日通过文本", "revision: 2020年文本")
    copy.write_text(text, encoding="utf-8")
    report = import_law_file(copy)
    assert report.outcome == "unchanged"
    assert [v.revision for v in _versions("中华人民共和国示例安全法")] == ["2020年文本"]


def test_divisions_and_articles_are_stored_with_their_structure(app):
    import_law_file(SAMPLE_2020)
    version = _versions("中华人民共和国示例安全法")[0]
    assert [(d.kind, d.ordinal, d.heading) for d in version.divisions] == [
        ("part", 1, "第一编 总则"),
        ("chapter", 1, "第一章 一般规定"),
        ("chapter", 2, "第二章 责任"),
        ("section", 1, "第一节 一般责任"),
        ("section", 2, "第二节 特别责任"),
        ("part", 2, "第二编 附则"),
        ("chapter", 3, "第一章 附则"),  # chapter numbers restart in a 编; the ordinal does not
    ]
    by_ref = {a.ref: a for a in version.articles}
    assert by_ref["2-1"].label == "第二条之一" and by_ref["2-1"].text == "示例单位应当公开安全承诺。\n前款规定的承诺每年更新一次。"
    assert by_ref["4"].chapter.title == "责任" and by_ref["4"].section.title == "特别责任" and by_ref["4"].part.title == "总则"
    assert [block["kind"] for block in by_ref["2"].blocks()] == ["paragraph", "item", "item"]


def test_a_failed_import_writes_nothing(app, tmp_path):
    broken = tmp_path / "broken_fa_2020.md"
    broken.write_text("# 坏法\n\n<!-- INFO END -->\n\n第一条 甲。\n\n第一条 乙。\n", encoding="utf-8")
    with pytest.raises(LawFormatError, match="broken_fa_2020.md"):
        import_law_file(broken)
    assert _count(Law) == 0


@pytest.mark.skipif(not SHARED_LAWS.is_dir(), reason=f"shared statute texts not found at {SHARED_LAWS} (../shared/inputs/laws)")
def test_special_equipment_law_imports_with_its_sections(app):
    report = import_law_file(SHARED_LAWS / "tezhong_shebei_anquan_fa_2013.md")
    version = _versions("中华人民共和国特种设备安全法")[0]
    assert (report.slug, report.chapters, report.articles) == ("tezhong-shebei-anquan-fa", 7, 101)
    assert [d.title for d in version.divisions if d.kind == "section"] == ["一般规定", "生产", "经营", "使用"]
