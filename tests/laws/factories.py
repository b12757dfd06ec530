"""Helpers for law-library tests: the sample law files and a fixture that imports the shipped laws."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.laws.services import import_law_file
from tests.conftest import ROOT, SHARED_INPUTS

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_2020 = DATA / "shili_anquan_fa_2020.md"
SAMPLE_2022 = DATA / "shili_anquan_fa_2022.md"
SHIPPED_LAWS = sorted((ROOT / "content" / "laws").glob("*.md"))
SHARED_LAWS = SHARED_INPUTS / "laws"
SAFETY_LAW = "anquan-shengchan-fa"


@pytest.fixture
def library(app):
    """Import the shipped statutes (content/laws/*.md); returns their import reports by slug."""
    return {report.slug: report for report in (import_law_file(path) for path in SHIPPED_LAWS)}


@pytest.fixture
def practice_library(synced, library):
    """The starter banks and the shipped statutes, as a learner finds them."""
    return library
