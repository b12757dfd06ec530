"""The year's figures: each figure against data created here, with the year's edges in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from quizapp.extensions import db
from quizapp.practice.models import Learner
from quizapp.publishing.models import Item
from quizapp.reports.figures import FigureRow, year_bounds, year_figures
from quizapp.reports.usage import count_use
from quizapp.reports.year_export import export_year, summary_rows, year_filename
from tests.contests.sittings import make_competition, make_participant, make_version, sample_competition, sit

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
#: 2026-01-01 00:30 and 2025-12-31 23:59 in Asia/Shanghai.
NEW_YEAR_LOCAL = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)
OLD_YEAR_LOCAL = datetime(2025, 12, 31, 15, 59, tzinfo=UTC)


def _item(uid: str, kind: str, status: str, published_at=None, publish_at=None) -> None:
    db.session.add(Item(uid=uid, kind=kind, status=status, published_at=published_at, publish_at=publish_at, title=uid))


@pytest.fixture
def year_data(app):
    """The sample competition (2026-03-01) plus competitions on each side of New Year, items, counters, learners."""
    sample = sample_competition()
    q = make_version("G1", points=1)
    r = make_version("G2", points=1)
    new_year = make_competition("元旦", NEW_YEAR_LOCAL)  # 2026-01-01 00:30 local: held in 2026
    person = make_participant(new_year, "郑七", "13900000007", "丙单位", "public")
    sit(person, [(q, 1), (r, 1)], NEW_YEAR_LOCAL, 120)
    old_year = make_competition("除夕", OLD_YEAR_LOCAL)  # 2025-12-31 23:59 local: held in 2025
    sit(make_participant(old_year, "王八", "13900000008", "丙单位", "public"), [(q, 0), (r, 0)], OLD_YEAR_LOCAL, 60)
    make_competition("明年", datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 2027-01-01 00:00 local
    make_competition("草稿", datetime(2026, 5, 1, tzinfo=UTC), published=False)  # never published: not held

    _item("case-1", "case", "published", published_at=datetime(2026, 3, 1, tzinfo=UTC))
    _item("case-2", "case", "archived", published_at=datetime(2026, 6, 1, tzinfo=UTC))  # public once
    _item("case-3", "case", "published", published_at=NEW_YEAR_LOCAL)
    _item("case-4", "case", "published", published_at=OLD_YEAR_LOCAL)  # 2025
    _item("penalty-1", "penalty", "published", published_at=datetime(2026, 5, 1, tzinfo=UTC))
    _item("penalty-2", "penalty", "draft")
    _item("warning-1", "warning", "scheduled", publish_at=datetime(2026, 4, 1, tzinfo=UTC))  # due: visible
    _item("warning-2", "warning", "scheduled", publish_at=datetime(2026, 12, 15, tzinfo=UTC))  # not yet
    _item("warning-3", "warning", "draft", published_at=datetime(2026, 2, 1, tzinfo=UTC))  # withdrawn to draft
    db.session.add_all([Learner(key="k1", created_at=datetime(2026, 2, 1, tzinfo=UTC)), Learner(key="k2", created_at=OLD_YEAR_LOCAL)])
    db.session.commit()
    for moment in (NEW_YEAR_LOCAL, datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 7, 1, 1, tzinfo=UTC)):
        count_use("law_article_view", moment)
    count_use("law_article_view", OLD_YEAR_LOCAL)
    count_use("practice_answer", datetime(2026, 8, 8, tzinfo=UTC))
    count_use("practice_answer", datetime(2026, 12, 31, 15, 59, tzinfo=UTC))  # 23:59 on 31 December local
    return sample


def test_year_bounds_are_local_midnights_in_utc():
    assert year_bounds(2026) == (datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC))


def test_competition_figures_count_the_competitions_started_in_the_year(year_data):
    figures = year_figures(2026, now=NOW)

    # Held in 2026: the sample and 元旦 (not 除夕, started 23:59 on 31 Dec 2025; not 明年; not the draft 草稿).
    assert figures.competitions == 2
    # Sample: 6 people, 7 attempts (6 submitted, F open); 元旦: 1 person, 1 attempt.
    assert (figures.participants, figures.attempts, figures.submitted) == (7, 8, 7)
    # Best scores: sample 3, 2, 4, 1, 4 and 元旦 2 → 16 / 6; passed (pass mark 2): A, B, C, E and 郑七.
    assert figures.average_score == pytest.approx(16 / 6)
    assert figures.passed == 5
    # Responses: sample 5 first attempts × 3 + E's second 3 (F answered none) + 元旦 2 = 20.
    assert figures.questions_answered == 20
    assert figures.by_group[0] == FigureRow("社会群众", 4, 5, pytest.approx(13 / 4), 4)
    assert figures.by_group[1] == FigureRow("从业人员", 3, 3, pytest.approx(1.5), 1)
    assert figures.by_organization == [
        FigureRow("甲单位", 3, 4, 3.0, 3),
        FigureRow("乙单位", 2, 2, 4.0, 1),
        FigureRow("丙单位", 1, 1, 2.0, 1),
        FigureRow("某某公司", 1, 1, 1.0, 0),
    ]


def test_content_and_usage_figures(year_data):
    figures = year_figures(2026, now=NOW)

    assert figures.published == {
        "case": ("以案释法", 3),
        "penalty": ("行政处罚公示", 1),
        "warning": ("每月一警示", 1),
        "qa": ("知识问答", 0),
        "news": (figures.published["news"][0], 0),
    }
    assert figures.usage == {"law_article_view": ("法规条文浏览次数", 3), "practice_answer": ("练习作答次数", 2)}
    assert figures.learners == 1


def test_the_previous_year_sees_only_its_own(year_data):
    figures = year_figures(2025, now=NOW)

    assert (figures.competitions, figures.participants, figures.attempts, figures.questions_answered) == (1, 1, 1, 2)
    assert figures.average_score == 0 and figures.passed == 0
    assert figures.published["case"] == ("以案释法", 1)
    assert figures.usage["law_article_view"][1] == 1 and figures.learners == 1


def test_an_empty_year_has_zeros_and_no_average(app):
    figures = year_figures(2030, now=NOW)

    assert (figures.competitions, figures.participants, figures.attempts, figures.average_score) == (0, 0, 0, None)
    assert [row.participants for row in figures.by_group] == [0, 0] and figures.by_organization == []
    with pytest.raises(ValueError):
        year_figures(1999)


def test_the_export_holds_the_same_figures(year_data):
    figures = year_figures(2026, now=NOW)

    with export_year(figures) as handle:
        workbook = load_workbook(handle, read_only=True)
        sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}

    assert list(sheets) == ["概况", "按群体", "按单位"]
    summary = dict(sheets["概况"][1:])
    assert summary == dict(summary_rows(figures))
    assert summary["举办知识竞赛（场）"] == 2 and summary["平均成绩（分）"] == 2.67
    assert summary["发布以案释法（篇）"] == 3 and summary["法规条文浏览次数"] == 3
    assert sheets["按群体"][1:] == [("社会群众", 4, 5, 3.25, 4), ("从业人员", 3, 3, 1.5, 1)]
    assert sheets["按单位"][1] == ("甲单位", 3, 4, 3, 3)
    assert year_filename(2026) == "2026年度数据.xlsx"
