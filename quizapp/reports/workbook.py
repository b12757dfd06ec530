"""Write .xlsx files row by row in constant memory (openpyxl's write-only mode).

A write-only workbook keeps each sheet in a temporary file as rows are appended, and
:func:`build_workbook` saves the result into another temporary file, so neither the
rows nor the finished file are ever held in memory whole. Every string is written as
text, never as a formula: a participant who types ``=HYPERLINK(…)`` as a name gets that
text in the sheet, not a live formula (CSV/formula injection).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from quizapp.core.timeutil import to_display

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_BOLD = Font(bold=True)


def build_workbook(write: Callable[[Workbook], None]) -> IO[bytes]:
    """Call *write* with a write-only workbook, save it to a temporary file and return that file rewound.

    The caller streams and closes the file (closing deletes it). Raises whatever *write* raises,
    after removing the temporary file.
    """
    workbook = Workbook(write_only=True)
    write(workbook)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        workbook.save(handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def add_sheet(workbook: Workbook, title: str, headers: Iterable[str], widths: Iterable[float] = ()) -> Any:
    """Create a sheet named *title* with a bold header row (and column *widths* in characters)."""
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = _BOLD
        cells.append(cell)
    sheet.append(cells)
    return sheet


def append_row(sheet: Any, values: Iterable[object]) -> None:
    """Append one row: strings as text (never formulas), aware datetimes as local times, the rest as is."""
    sheet.append([_cell(sheet, value) for value in values])


def _cell(sheet: Any, value: object):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
        return cell
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=to_display(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    return value
