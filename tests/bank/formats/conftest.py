"""Fixtures for the bank format tests, and the hypothesis profiles.

``ci`` (the default) bounds the number of examples and has no deadline, so the
suite's time is predictable on a loaded CI machine; ``HYPOTHESIS_PROFILE=deep``
explores more.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import DATA, SHARED_INPUTS

settings.register_profile(
    "ci", max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile("deep", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

IMPORTS = DATA / "imports"
SHARED_BANKS = SHARED_INPUTS / "banks"


def shared(*parts: str) -> Path:
    """Return a file under ../shared/inputs/banks, skipping the test when the folder is absent."""
    path = SHARED_BANKS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared real inputs are not beside this clone")
    return path


def xlsx(rows: list[list]) -> bytes:
    """Build a one-sheet workbook from *rows* (header first) with openpyxl."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str | tuple[str, str]]) -> bytes:
    """Build a Word document; a ``(text, style)`` pair uses that paragraph style (e.g. ``List Number``)."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        text, style = paragraph if isinstance(paragraph, tuple) else (paragraph, None)
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def by_line(result) -> dict[int, dict]:
    """Return a read result's questions keyed by line."""
    return {item.line: item.data for item in result.items}


def option_texts(data: dict) -> list[str]:
    """Return the option texts of a question dict."""
    return [option["text"] for option in data["options"]]


def correct_texts(data: dict) -> list[str]:
    """Return the texts of the correct options of a choice question dict."""
    key = data["key"] if isinstance(data["key"], list) else [data["key"]]
    return [option["text"] for option in data["options"] if option["id"] in key]
