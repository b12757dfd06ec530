"""The year's figures as an .xlsx file: one summary sheet, then participation by group and by 单位."""

from __future__ import annotations

from typing import IO

from quizapp.reports.figures import FigureRow, YearFigures
from quizapp.reports.workbook import add_sheet, append_row, build_workbook

ROW_HEADERS = ("参与人次", "答题次数", "平均成绩（分）", "及格人次")


def summary_rows(figures: YearFigures) -> list[tuple[str, object]]:
    """Return the summary as ``[(Chinese label, value)]`` in report order (the page shows the same list).

    Values are counts, except the average score (points, rounded to 2 places; None without results).
    """
    average = None if figures.average_score is None else round(figures.average_score, 2)
    rows: list[tuple[str, object]] = [
        ("举办知识竞赛（场）", figures.competitions),
        ("参与人次", figures.participants),
        ("答题次数", figures.attempts),
        ("交卷次数", figures.submitted),
        ("平均成绩（分）", average),
        ("及格人次", figures.passed),
        ("竞赛作答题次", figures.questions_answered),
    ]
    rows += [(f"发布{label}（篇）", count) for label, count in figures.published.values()]
    rows += [(label, count) for label, count in figures.usage.values()]
    rows.append(("新增练习用户（设备）", figures.learners))
    return rows


def _row_values(row: FigureRow) -> tuple:
    return (row.label, row.participants, row.attempts, None if row.average_score is None else round(row.average_score, 2), row.passed)


def export_year(figures: YearFigures) -> IO[bytes]:
    """Write *figures* to an .xlsx file and return it rewound (a temporary file; closing deletes it).

    Sheets: ``概况`` (项目, 数值 — :func:`summary_rows`), ``按群体`` and ``按单位`` (名称 and :data:`ROW_HEADERS`).
    """

    def write(workbook) -> None:
        summary = add_sheet(workbook, "概况", (f"{figures.year}年 项目", "数值"), widths=(28, 12))
        for label, value in summary_rows(figures):
            append_row(summary, (label, value))
        for title, rows in (("按群体", figures.by_group), ("按单位", figures.by_organization)):
            sheet = add_sheet(workbook, title, ("名称", *ROW_HEADERS), widths=(28, 10, 10, 14, 10))
            for row in rows:
                append_row(sheet, _row_values(row))

    return build_workbook(write)


def year_filename(year: int) -> str:
    """Return the download name ``<year>年度数据.xlsx``."""
    return f"{year}年度数据.xlsx"
