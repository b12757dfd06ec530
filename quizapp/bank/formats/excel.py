"""Excel (.xlsx, read and written with openpyxl) and CSV in the common Chinese template.

The template itself (headers, layouts, answer variants) is in
:mod:`quizapp.bank.formats.tabular`; this module only gets rows in and out.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from quizapp.bank.formats.base import BankFormat, Issue, ReadResult
from quizapp.bank.formats.tabular import cell_text, map_header, read_rows, write_rows
from quizapp.bank.formats.text import decode_or_report


class ExcelFormat(BankFormat):
    """题库 Excel 模板 (.xlsx): every sheet that has a header row is read; the writer makes one sheet."""

    name = "excel"
    label = "Excel (.xlsx)"
    extensions = (".xlsx",)
    can_write = True

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether *data* is a zip holding an Excel workbook."""
        return _zip_has(data, "xl/workbook.xml")

    def read(self, data: bytes) -> ReadResult:
        """Read every sheet with a recognised header; issues carry sheet row and column numbers."""
        result = ReadResult()
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a damaged file; all mean the same to staff
            result.error(0, "不是有效的 Excel (.xlsx) 文件：文件已损坏，或是旧版 .xls、加密的工作簿")
            return result
        try:
            sheets = []
            for sheet in workbook.worksheets:
                rows = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
                if any(map_header([cell_text(cell) for cell in cells]) for _, cells in rows[:20]):
                    sheets.append((sheet.title, rows))
        except Exception:  # damaged sheet XML inside a valid zip
            result.error(0, "Excel 文件已损坏：有工作表无法读取")
            return result
        finally:
            workbook.close()
        if not sheets:
            result.error(1, "找不到表头：需要“题干”或“题目”等列名")
        for title, rows in sheets:
            sheet_result = ReadResult()
            read_rows(rows, sheet_result)
            result.items.extend(sheet_result.items)
            if len(sheets) > 1:  # the row number alone is ambiguous: name the sheet
                sheet_result = _in_sheet(sheet_result, title)
            result.errors.extend(sheet_result.errors)
            result.skipped.extend(sheet_result.skipped)
        return result

    def write(self, questions: list[dict]) -> tuple[bytes, list[Issue]]:
        """Write the template (ID, 题型, 题干, 选项A…H, 正确答案, 解析, 分值, 难度, 分类, 标签, 法条依据)."""
        rows, left_out = write_rows(questions)
        issues = [Issue(0, f"{question['uid']}：{reason}") for question, reason in left_out]
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "题库"
        for row in rows:
            if any(isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value) for value in row):
                issues.append(Issue(0, f"{row[0]}：含有 Excel 不允许的控制字符"))
                continue
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text such as "=A1" stays text, never a formula
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), issues


class CsvFormat(BankFormat):
    """The same template as CSV (comma, semicolon or tab separated; UTF-8, UTF-8 with BOM, GBK/GB18030)."""

    name = "csv"
    label = "CSV"
    extensions = (".csv", ".tsv")

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether the first non-empty line is a template header."""
        if text is None:
            return False
        first = next((line for line in text.split("\n") if line.strip()), "")
        return any(map_header(cells) for cells in (first.split(","), first.split("\t"), first.split(";")))

    def read(self, data: bytes) -> ReadResult:
        """Decode (see :func:`decode`), detect the delimiter from the header line and read the rows."""
        result = ReadResult()
        text = decode_or_report(data, result)
        if text is None:
            return result
        first = next((line for line in text.split("\n") if line.strip()), "")
        delimiter = max(",\t;", key=first.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        try:
            line = 1
            for cells in reader:
                rows.append((line, cells))
                line = reader.line_num + 1
        except csv.Error as exc:
            line = reader.line_num or 1
            if "field limit" in str(exc):
                result.error(line, f"CSV 格式错误：第{line}行的单元格过长（超过{csv.field_size_limit()}个字符），可能是引号没有配对")
            else:
                result.error(line, f"CSV 格式错误：第{line}行的引号没有配对或含有无法读取的字符")
            return result
        read_rows(rows, result)
        return result


def _in_sheet(result: ReadResult, title: str) -> ReadResult:
    """Return *result*'s errors and skipped items with ``工作表「title」第N行：`` before each message."""
    named = ReadResult()
    named.errors = [Issue(issue.line, f"工作表「{title}」第{issue.line}行：{issue.message}", issue.column) for issue in result.errors]
    named.skipped = [Issue(issue.line, f"工作表「{title}」第{issue.line}行：{issue.message}") for issue in result.skipped]
    return named


def _zip_has(data: bytes, member: str) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
