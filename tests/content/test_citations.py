"""The starter content is legally right: every citation quotes its article verbatim; papers total 100."""

from __future__ import annotations

import pytest

from quizapp.content.banks import read_bank
from quizapp.content.competitions import read_competition
from quizapp.contests.paper import Candidate, build_paper, matches
from quizapp.laws.texts import SHORT_NAMES, article_label, load_library
from tests.conftest import ROOT

CONTENT = ROOT / "content"
LIBRARY = load_library(str(CONTENT / "laws"))
QUESTIONS = [question for path in sorted(CONTENT.glob("banks/*.yaml")) for question in read_bank(path)]


def test_the_library_holds_every_law_a_citation_may_name():
    assert set(LIBRARY) == set(SHORT_NAMES)
    for short, statute in LIBRARY.items():
        assert statute.title == SHORT_NAMES[short]


def test_the_banks_hold_questions():
    assert len(QUESTIONS) >= 20  # the starter paper alone draws twenty


@pytest.mark.parametrize("question", QUESTIONS, ids=[question["uid"] for question in QUESTIONS])
def test_every_citation_quotes_its_article_verbatim(question):
    assert question["legal_basis"], "every question cites at least one article"
    for basis in question["legal_basis"]:
        law, article, quote = basis["law"], basis["article"], basis["quote"]
        assert law in SHORT_NAMES, f"unknown law {law!r}"
        articles = LIBRARY[law].articles
        assert article in articles, f"《{law}》has no {article_label(article)}"
        assert quote.strip(), f"《{law}》{article_label(article)}: empty quote"
        assert quote in articles[article], f"《{law}》{article_label(article)} does not contain {quote!r}"


def candidates() -> list[Candidate]:
    return [
        Candidate(
            q["uid"],
            q["type"],
            q["category"],
            q["difficulty"],
            version_id=0,
            option_ids=tuple(o["id"] for o in q["options"]),
            points=q["points"],
        )
        for q in QUESTIONS
    ]


def points_of(candidate: Candidate, defaults: dict[str, float]) -> float:
    return candidate.points if candidate.points is not None else defaults.get(candidate.type, 1)


def test_starter_competition_scores_100_whatever_is_drawn():
    competition = read_competition(CONTENT / "competitions" / "aqsf_2026.yaml")
    defaults, rules, pool = competition["default_points"], competition["paper_rule"]["rules"], candidates()
    total = 0.0
    for rule in rules:
        eligible = [candidate for candidate in pool if matches(rule, candidate)]
        assert len(eligible) >= rule["count"], f"rule {rule} matches only {len(eligible)} questions"
        # every question a rule may draw is worth the same, so the maximum never depends on the draw
        assert {points_of(candidate, defaults) for candidate in eligible} == {defaults[rule["type"]]}
        total += rule["count"] * defaults[rule["type"]]
    assert total == 100

    for seed in ("a", "b", "c", "d", "e"):
        paper = build_paper(competition["paper_rule"], pool, seed, shuffle_questions=True, shuffle_options=True, default_points=defaults)
        assert sum(item.points for item in paper) == 100
        assert len(paper) == sum(rule["count"] for rule in rules)


def test_fixed_competition_scores_100():
    competition = read_competition(CONTENT / "competitions" / "xiaofang_2026_upcoming.yaml")
    paper = build_paper(
        competition["paper_rule"],
        candidates(),
        "s",
        shuffle_questions=False,
        shuffle_options=False,
        default_points=competition["default_points"],
    )
    assert [item.candidate.uid for item in paper] == competition["paper_rule"]["fixed"]
    assert sum(item.points for item in paper) == 100
