"""The starter publicity content: enough of each kind, valid, and every legal basis names an existing article quoted verbatim."""

from __future__ import annotations

import pytest

from quizapp.laws.texts import SHORT_NAMES, article_label, load_library
from quizapp.publicity.loader import read_publicity
from tests.conftest import ROOT

CONTENT = ROOT / "content"
LIBRARY = load_library(str(CONTENT / "laws"))
FILES = read_publicity(CONTENT)


def bases_of(entry) -> list[dict]:
    content = entry.content
    return [*content.get("legal_basis", []), *(basis for hazard in content.get("hazards", []) for basis in hazard["legal_basis"])]


def test_there_is_enough_starter_content_of_each_kind():
    counts = {}
    for entry in FILES:
        counts[entry.kind.name] = counts.get(entry.kind.name, 0) + 1
    assert counts["case"] >= 6 and counts["penalty"] >= 10 and counts["qa"] >= 10 and counts["news"] >= 3
    periods = sorted(entry.content["period"] for entry in FILES if entry.kind.name == "warning")
    assert periods == [f"{year}-{month:02d}" for year, month in [(2025, 12), *((2026, m) for m in range(1, 12))]]


@pytest.mark.parametrize("entry", [entry for entry in FILES if entry.kind.name != "news"], ids=lambda entry: entry.uid)
def test_every_citation_names_an_existing_article_and_quotes_it_verbatim(entry):
    bases = bases_of(entry)
    assert bases, "every case, penalty, warning hazard and Q&A cites the law"
    for basis in bases:
        assert basis["law"] in SHORT_NAMES
        articles = LIBRARY[basis["law"]].articles
        assert basis["article"] in articles, f"《{basis['law']}》has no {article_label(basis['article'])}"
        if "quote" in basis:
            assert basis["quote"] in articles[basis["article"]], f"{article_label(basis['article'])} does not contain {basis['quote']!r}"


def test_natural_persons_are_masked_and_enterprises_shown():
    penalties = [entry.content for entry in FILES if entry.kind.name == "penalty"]
    people = [penalty["party"] for penalty in penalties if penalty["party_type"] == "person"]
    assert people and all(len(name) in (2, 3) and name.endswith("某") for name in people)
    assert any(penalty["party"].endswith("有限公司") for penalty in penalties)
