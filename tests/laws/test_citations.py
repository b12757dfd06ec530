"""Citations: ``citation_link`` turns a legal basis into a link; ``flask bank check-citations`` finds bad ones."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import render_template_string

from quizapp.bank.services import save_question
from quizapp.extensions import db
from quizapp.laws import citations
from quizapp.laws.citations import Citing, check_citations, citation_link, citation_sources, register_citation_source
from quizapp.laws.services import import_law_file
from tests.contests.factories import competition, start_in_browser  # noqa: F401
from tests.laws.factories import SAFETY_LAW, SAMPLE_2020, SAMPLE_2022


def _question(uid: str, legal_basis: list[dict]) -> None:
    save_question(
        {
            "uid": uid,
            "type": "true_false",
            "stem": "示例判断题。",
            "options": [],
            "key": True,
            "explanation": "",
            "legal_basis": legal_basis,
            "points": None,
        }
    )
    db.session.commit()


def test_citation_link_links_the_article_it_names(app, library):
    with app.test_request_context():
        link = citation_link({"law": "安全生产法", "article": 28, "quote": "…"})
        by_title = citation_link({"law": "中华人民共和国安全生产法", "article": 28})
        unknown = citation_link({"law": "安全生产法", "article": 200})
        rendered = render_template_string("{{ basis|citation_link }}", basis={"law": "消防法", "article": 16})
    assert link == f'<a class="citation" href="/laws/{SAFETY_LAW}/28">《安全生产法》第二十八条</a>'
    assert by_title == f'<a class="citation" href="/laws/{SAFETY_LAW}/28">《中华人民共和国安全生产法》第二十八条</a>'
    assert unknown == "《安全生产法》第二百条"  # no such article: plain text, no dead link
    assert rendered == '<a class="citation" href="/laws/xiaofang-fa/16">《消防法》第十六条</a>'


def test_citation_link_addresses_zhi_yi_and_escapes_what_it_does_not_know(app):
    import_law_file(SAMPLE_2020)
    with app.test_request_context():
        zhi_yi = citation_link({"law": "示例安全法", "article": 2, "suffix": 1})
        odd = citation_link({"law": "<b>", "article": "x"})
    assert zhi_yi == '<a class="citation" href="/laws/shili-anquan-fa/2-1">《示例安全法》第二条之一</a>'
    assert "<b>" not in odd and "&lt;b&gt;" in odd


def test_the_review_page_links_each_citation_to_its_article(client, clock, competition, library):  # noqa: F811
    attempt_id = start_in_browser(client, competition)
    client.post(f"/attempts/{attempt_id}/submit")
    competition.ends_at = clock.now - timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert page.count('<a class="citation" href="/laws/') >= 20


def test_check_citations_passes_on_the_shipped_bank(runner, synced, library):
    result = runner.invoke(args=["bank", "check-citations"])
    assert result.exit_code == 0, result.output
    assert "every citation names an article in force" in result.output


def test_check_citations_finds_each_kind_of_bad_citation(runner, synced, library):
    import_law_file(SAMPLE_2020)
    import_law_file(SAMPLE_2022)
    _question("bad-law", [{"law": "不存在法", "article": 1, "quote": ""}])
    _question("bad-article", [{"law": "安全生产法", "article": 200, "quote": ""}])
    _question("old-article", [{"law": "示例安全法", "article": 4, "quote": ""}])
    _question("old-quote", [{"law": "示例安全法", "article": 3, "quote": "责令改正"}])
    _question("good", [{"law": "示例安全法", "article": 2, "suffix": 1, "quote": "每半年更新一次"}])

    result = runner.invoke(args=["bank", "check-citations", "--report", "json"])

    assert result.exit_code == 1
    found = {(problem["ref"], problem["problem"]) for problem in json.loads(result.output)}
    assert found == {
        ("bad-law", "unknown_law"),
        ("bad-article", "unknown_article"),
        ("old-article", "superseded_article"),
        ("old-quote", "quote_mismatch"),
    }


def test_another_kind_of_content_can_register_its_citations(app, library, monkeypatch):
    monkeypatch.setattr(citations, "_SOURCES", dict(citations._SOURCES))  # the registration ends with the test
    register_citation_source("case", lambda: [Citing("case", "case-1", {"law": "安全生产法", "article": 500})])
    problems = check_citations()
    assert set(citation_sources()) == {"case", "question"}
    assert [(p.kind, p.ref, p.citation, p.problem) for p in problems] == [("case", "case-1", "《安全生产法》第五百条", "unknown_article")]
