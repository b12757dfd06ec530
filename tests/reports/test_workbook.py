"""The constant-memory .xlsx writer: types, local datetimes, formulas as text, continuation sheets."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from quizapp.reports import workbook
from quizapp.reports.workbook import DATETIME_FORMAT, add_sheet, append_row, build_workbook


def _read(handle):
    try:
        return load_workbook(handle)
    finally:
        handle.close()


def test_values_keep_their_types_and_datetimes_are_local_with_a_format(app):
    def write(book):
        sheet = add_sheet(book, "表", ("文本", "整数", "小数", "时间", "是否", "空"), widths=(12, 8))
        append_row(sheet, ("=1+1", 3, 2.5, datetime(2026, 3, 1, 2, 0, 5, tzinfo=UTC), True, None))
        append_row(sheet, ("控制\x01字符", 0, -1.25, None, False, ""))

    book = _read(build_workbook(write))

    sheet = book["表"]
    assert [cell.value for cell in sheet[1]] == ["文本", "整数", "小数", "时间", "是否", "空"]
    assert all(cell.font.bold for cell in sheet[1])
    formula, number, fraction, moment, flag, empty = sheet[2]
    assert (formula.value, formula.data_type) == ("=1+1", "s")  # text, never a formula
    assert (number.value, fraction.value, flag.value, empty.value) == (3, 2.5, True, None)
    assert moment.value == datetime(2026, 3, 1, 10, 0, 5)  # 02:00:05 UTC is 10:00:05 in Asia/Shanghai
    assert moment.number_format == DATETIME_FORMAT
    # A control character (openpyxl's writer refused these) is escaped as OOXML's _xHHHH_, which Excel decodes.
    assert sheet["A3"].value == "控制_x0001_字符"
    assert sheet.column_dimensions["A"].width == pytest.approx(12, abs=1)


def test_rows_past_the_sheet_limit_go_on_in_a_continuation_sheet(app, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)  # a header and two rows per sheet

    def write(book):
        sheet = add_sheet(book, "答题记录", ("编号",))
        for number in range(1, 6):
            append_row(sheet, (number,))

    book = _read(build_workbook(write))

    assert book.sheetnames == ["答题记录", "答题记录（续2）", "答题记录（续3）"]
    assert [[cell.value for cell in row] for row in book["答题记录（续2）"].iter_rows()] == [["编号"], [3], [4]]
    assert [row[0].value for sheet in book for row in sheet.iter_rows(min_row=2)] == [1, 2, 3, 4, 5]


def test_an_error_while_writing_is_raised_and_leaves_no_temporary_file(app, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where XlsxWriter keeps each sheet's rows

    def write(book):
        append_row(add_sheet(book, "表", ("a",)), ("x",))
        raise RuntimeError("查询失败")

    with pytest.raises(RuntimeError, match="查询失败"):
        build_workbook(write)
    assert list(tmp_path.iterdir()) == []
