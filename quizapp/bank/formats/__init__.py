"""Question-bank file formats: one reader/writer per format, looked up by name in :data:`FORMATS`.

Every reader returns a :class:`~quizapp.bank.formats.base.ReadResult` of
``save_question`` dicts; writers take the same dicts. A new format is one
class and one line here.
"""

from __future__ import annotations

from pathlib import PurePath

from quizapp.bank.formats.aiken import AikenFormat
from quizapp.bank.formats.base import BankFormat, Issue, ReadResult
from quizapp.bank.formats.excel import CsvFormat, ExcelFormat
from quizapp.bank.formats.gift import GiftFormat
from quizapp.bank.formats.moodle_xml import MoodleXmlFormat
from quizapp.bank.formats.paper import DocxPaperFormat, TextPaperFormat
from quizapp.bank.formats.text import DecodeError, decode

#: In detection order: binary containers first, then the text formats from most to least specific.
FORMATS: dict[str, BankFormat] = {
    "excel": ExcelFormat(),
    "docx": DocxPaperFormat(),
    "moodle_xml": MoodleXmlFormat(),
    "aiken": AikenFormat(),
    "gift": GiftFormat(),
    "csv": CsvFormat(),
    "text": TextPaperFormat(),
}

__all__ = ["FORMATS", "BankFormat", "Issue", "ReadResult", "detect_format", "get_format", "writable_formats"]


def get_format(name: str) -> BankFormat:
    """Return the format registered as *name*.

    Raises:
        KeyError: for an unknown name.

    """
    return FORMATS[name]


def writable_formats() -> list[str]:
    """Return the names of the formats that have a writer."""
    return [name for name, fmt in FORMATS.items() if fmt.can_write]


def detect_format(data: bytes, filename: str | None = None) -> str | None:
    """Return the name of the format *data* is in, decided from its content.

    Each format's ``sniff`` is asked in :data:`FORMATS` order; when none
    recognises the content, the file name's extension decides if it is
    unambiguous. Returns None when neither does.
    """
    try:
        text = decode(data) if not data.startswith(b"PK") else None
    except DecodeError:
        text = None
    for name, fmt in FORMATS.items():
        if fmt.sniff(data, text):
            return name
    suffix = PurePath(filename or "").suffix.lower()
    matches = [name for name, fmt in FORMATS.items() if suffix and suffix in fmt.extensions]
    return matches[0] if len(matches) == 1 else None
