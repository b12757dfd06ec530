"""Write .xlsx files row by row in constant memory (XlsxWriter's ``constant_memory`` mode).

XlsxWriter in ``constant_memory`` mode writes each row to a temporary file as soon as the
next row starts, and :func:`build_workbook` saves the result into another temporary file,
so neither the rows nor the finished file are ever held in memory whole. It writes about
twice as fast as openpyxl's write-only mode (bench/results.md, "Results export"): openpyxl
builds a cell object per value, XlsxWriter writes the XML directly.

Every string is written with ``write_string``, i.e. as text, never as a formula: a
participant who types ``=HYPERLINK(…)`` as a name gets that text in the sheet, not a live
formula (CSV/formula injection); the workbook options also turn off XlsxWriter's guessing
of formulas, URLs and numbers in strings. Control characters are escaped by XlsxWriter
(``_x0001_``) instead of breaking the file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from decimal import Decimal
from typing import IO

import xlsxwriter

from quizapp.core.timeutil import display_zone

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
#: Rows of one Excel sheet (Excel's own limit, header included); :class:`Sheet` goes on in a
#: continuation sheet ``<title>（续2）`` when a sheet is full.
MAX_ROWS = 1_048_576

_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class Book:
    """One workbook being written: the XlsxWriter workbook, its bold and datetime formats, the display zone."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.bold = workbook.add_format({"bold": True})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.zone = display_zone()  # resolved once: the rows may be millions


class Sheet:
    """A sheet that rows are appended to, in order; it starts a continuation sheet when Excel's row limit is reached."""

    def __init__(self, book: Book, title: str, headers: Sequence[str], widths: Sequence[float]) -> None:
        self.book, self.title, self.headers, self.widths = book, title, tuple(headers), tuple(widths)
        self.parts = 0
        self._start_part()

    def _start_part(self) -> None:
        self.parts += 1
        title = self.title if self.parts == 1 else f"{self.title}（续{self.parts}）"
        self.worksheet = self.book.workbook.add_worksheet(title)
        for column, width in enumerate(self.widths):
            self.worksheet.set_column(column, column, width)
        for column, header in enumerate(self.headers):
            self.worksheet.write_string(0, column, header, self.book.bold)
        self.row = 1

    def append(self, values: Iterable[object]) -> None:
        """Write one row: strings as text (never formulas), aware datetimes as local times, numbers, booleans; None and "" are empty."""
        if self.row >= MAX_ROWS:
            self._start_part()
        worksheet, row, book = self.worksheet, self.row, self.book
        for column, value in enumerate(values):
            if value is None or value == "":
                continue  # an empty cell, as openpyxl wrote it
            if isinstance(value, str):
                worksheet.write_string(row, column, value)
            elif isinstance(value, bool):
                worksheet.write_boolean(row, column, value)
            elif isinstance(value, int | float | Decimal):
                worksheet.write_number(row, column, value)
            elif isinstance(value, datetime):
                worksheet.write_datetime(row, column, value.astimezone(book.zone).replace(tzinfo=None), book.datetime)
            else:
                worksheet.write_string(row, column, str(value))
        self.row += 1


def build_workbook(write: Callable[[Book], None]) -> IO[bytes]:
    """Call *write* with a new :class:`Book`, save it to a temporary file and return that file rewound.

    The caller streams and closes the file (closing deletes it). Raises whatever *write* raises,
    after removing the temporary files (the rows written so far and the file).
    """
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook = xlsxwriter.Workbook(handle, _OPTIONS)
    try:
        write(Book(workbook))
    except BaseException:
        with suppress(Exception):
            workbook.close()  # closes and deletes XlsxWriter's per-sheet row files
        handle.close()
        raise
    try:
        workbook.close()
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def add_sheet(book: Book, title: str, headers: Iterable[str], widths: Iterable[float] = ()) -> Sheet:
    """Create a sheet named *title* with a bold header row (and column *widths* in characters)."""
    return Sheet(book, title, tuple(headers), tuple(widths))


def append_row(sheet: Sheet, values: Iterable[object]) -> None:
    """Append one row: strings as text (never formulas), aware datetimes as local times, the rest as is."""
    sheet.append(values)
