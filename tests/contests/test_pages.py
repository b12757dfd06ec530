"""The HTML flow with the test client: start form, one question per page, submit, result, review."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from markupsafe import escape
from sqlalchemy import select

from quizapp.contests.models import Attempt, Participant
from quizapp.extensions import db
from quizapp.laws.texts import format_citation
from quizapp.public.templating import format_points
from tests.contests.factories import (
    attempt_row,
    checked_values,
    correct_answer,
    count,
    form_data,
    inputs_of,
    items_of,
    start_form,
    start_in_browser,
    wrong_answer,
)


def _answer_page(client, attempt_id: int, item, value, action: str = "next"):
    return client.post(f"/attempts/{attempt_id}/q/{item.position}", data={**form_data(item, value), "action": action})


def _answer_everything(client, attempt_id: int, wrong: int = 0) -> list:
    items = items_of(attempt_id)
    for index, item in enumerate(items):
        value = wrong_answer(item) if index < wrong else correct_answer(item)
        response = _answer_page(client, attempt_id, item, value)
        assert response.status_code == 302
    return items


def test_start_form_redirects_to_the_first_question(client, competition):
    attempt_id = start_in_browser(client, competition)

    page = client.get(f"/attempts/{attempt_id}/q/1")

    assert page.status_code == 200
    assert escape(items_of(attempt_id)[0].version.stem) in page.get_data(as_text=True)
    assert db.session.scalar(select(Participant.organization)) == competition.organizations[1]


def test_start_form_with_a_bad_phone_shows_the_form_again_and_creates_nothing(client, competition):
    response = client.post(f"/competitions/{competition.id}/start", data=start_form(competition, phone="12345"))

    assert response.status_code == 422
    assert "请填写正确的11位手机号码" in response.get_data(as_text=True)
    assert (count(Participant), count(Attempt)) == (0, 0)


def test_saving_an_answer_goes_to_the_next_question_and_the_last_to_the_submit_page(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)

    locations = [_answer_page(client, attempt_id, item, correct_answer(item)).headers["Location"] for item in items]

    expected = [f"/attempts/{attempt_id}/q/{item.position + 1}" for item in items[:-1]] + [f"/attempts/{attempt_id}/submit"]
    assert locations == expected
    assert [item.answer for item in items_of(attempt_id)] == [correct_answer(item) for item in items]


def test_previous_and_numbered_buttons_go_where_they_say(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)

    back = _answer_page(client, attempt_id, items[2], correct_answer(items[2]), action="prev")
    jump = _answer_page(client, attempt_id, items[2], correct_answer(items[2]), action="7")
    review = _answer_page(client, attempt_id, items[2], correct_answer(items[2]), action="review")

    assert back.headers["Location"] == f"/attempts/{attempt_id}/q/2"
    assert jump.headers["Location"] == f"/attempts/{attempt_id}/q/7"
    assert review.headers["Location"] == f"/attempts/{attempt_id}/submit"


def test_reloading_a_question_shows_the_saved_answer(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = _answer_everything(client, attempt_id)

    for item in items:
        html = client.get(f"/attempts/{attempt_id}/q/{item.position}").get_data(as_text=True)
        expected = correct_answer(item)
        kind = item.version.type
        if kind == "single_choice":
            assert checked_values(html, "choice") == [expected]
        elif kind == "multiple_choice":
            assert sorted(checked_values(html, "choices")) == sorted(expected)
        elif kind == "true_false":
            assert checked_values(html, "truth") == ["true" if expected else "false"]
        else:
            blanks = {field["name"]: field["value"] for field in inputs_of(html) if (field.get("name") or "").startswith("blanks-")}
            assert blanks == {f"blanks-{index}": text for index, text in enumerate(expected)}


def test_submit_page_lists_the_unanswered_questions(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)
    _answer_page(client, attempt_id, items[0], correct_answer(items[0]))

    html = client.get(f"/attempts/{attempt_id}/submit").get_data(as_text=True)

    assert f"还有 {len(items) - 1} 道题未作答" in html


def test_submitting_shows_the_score_and_a_second_submit_shows_the_same_result(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = _answer_everything(client, attempt_id, wrong=2)
    expected = sum(item.points for item in items[2:])

    first = client.post(f"/attempts/{attempt_id}/submit")
    result_page = client.get(first.headers["Location"]).get_data(as_text=True)
    stored = attempt_row(attempt_id)
    first_close = (stored.score, stored.submitted_at, stored.duration_s)
    second = client.post(f"/attempts/{attempt_id}/submit", follow_redirects=True)

    assert first.headers["Location"] == f"/attempts/{attempt_id}/result"
    assert first_close[0] == expected
    assert f"<strong>{format_points(expected)}</strong> / {format_points(stored.max_score)} 分" in result_page
    assert second.status_code == 200
    assert second.get_data(as_text=True) == result_page
    stored = attempt_row(attempt_id)
    assert (stored.score, stored.submitted_at, stored.duration_s) == first_close


def test_an_answer_posted_after_submit_redirects_to_the_result_and_changes_nothing(client, competition):
    attempt_id = start_in_browser(client, competition)
    items = _answer_everything(client, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")

    late = _answer_page(client, attempt_id, items[0], wrong_answer(items[0]))
    question_page = client.get(f"/attempts/{attempt_id}/q/1")

    assert late.status_code == 302 and late.headers["Location"] == f"/attempts/{attempt_id}/result"
    assert question_page.headers["Location"] == f"/attempts/{attempt_id}/result"
    assert items_of(attempt_id)[0].answer == correct_answer(items[0])
    assert attempt_row(attempt_id).score == sum(item.points for item in items)


def test_review_is_refused_while_open_and_shows_key_and_citations_once_closed(client, clock, competition):
    attempt_id = start_in_browser(client, competition)
    items = _answer_everything(client, attempt_id, wrong=1)
    client.post(f"/attempts/{attempt_id}/submit")

    refused = client.get(f"/attempts/{attempt_id}/review")
    competition.ends_at = clock.now - timedelta(seconds=1)
    db.session.commit()
    shown = client.get(f"/attempts/{attempt_id}/review")

    assert refused.status_code == 302 and refused.headers["Location"] == f"/attempts/{attempt_id}/result"
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert html.count("正确答案") == len(items)
    citations = {format_citation(basis) for item in items for basis in item.version.legal_basis if basis["law"] == "安全生产法"}
    assert citations and all(citation.startswith("《安全生产法》") for citation in citations)
    assert all(citation in html for citation in citations)
    assert all(str(escape(item.version.explanation)) in html for item in items)


def test_result_page_offers_the_review_link_only_after_close(client, clock, competition):
    attempt_id = start_in_browser(client, competition)
    _answer_everything(client, attempt_id)
    client.post(f"/attempts/{attempt_id}/submit")
    review_link = f'href="/attempts/{attempt_id}/review"'

    while_open = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    clock.now = competition.ends_at
    after_close = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)

    assert review_link not in while_open
    assert review_link in after_close


def test_another_browser_cannot_open_the_attempt(app, client, competition):
    attempt_id = start_in_browser(client, competition)

    response = app.test_client().get(f"/attempts/{attempt_id}/q/1")

    assert response.status_code == 401
    assert "<html" in response.get_data(as_text=True)


def test_start_without_csrf_token_is_refused_when_csrf_is_on(app, client, competition):
    app.config["WTF_CSRF_ENABLED"] = True

    refused = client.post(f"/competitions/{competition.id}/start", data=start_form(competition))
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    token = next(field["value"] for field in inputs_of(page) if field.get("name") == "csrf_token")
    accepted = client.post(f"/competitions/{competition.id}/start", data={**start_form(competition), "csrf_token": token})

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert (count(Participant), count(Attempt)) == (1, 1)


def test_csrf_refusal_creates_nothing(app, client, competition):
    app.config["WTF_CSRF_ENABLED"] = True

    refused = client.post(f"/competitions/{competition.id}/start", data=start_form(competition))

    assert refused.status_code == 400
    assert (count(Participant), count(Attempt)) == (0, 0)


def test_autosave_with_accept_json_answers_json_and_keeps_the_page(client, clock, competition):
    attempt_id = start_in_browser(client, competition)
    item = items_of(attempt_id)[0]
    clock.advance(30)

    response = client.post(
        f"/attempts/{attempt_id}/q/1",
        data={**form_data(item, correct_answer(item)), "action": "stay"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "remaining_s": competition.time_limit_s - 30, "answered": [1]}
    assert items_of(attempt_id)[0].answer == correct_answer(item)


def test_autosave_after_submit_answers_a_json_409(client, competition):
    attempt_id = start_in_browser(client, competition)
    item = items_of(attempt_id)[0]
    client.post(f"/attempts/{attempt_id}/submit")

    response = client.post(
        f"/attempts/{attempt_id}/q/1",
        data={**form_data(item, correct_answer(item)), "action": "stay"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "already_submitted"
    assert items_of(attempt_id)[0].answer is None


def test_page_answer_after_the_grace_period_lands_on_the_result_scored_as_it_stood(client, clock, competition):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)
    _answer_page(client, attempt_id, items[0], correct_answer(items[0]))
    clock.now = attempt_row(attempt_id).deadline_at + timedelta(seconds=11)

    late = _answer_page(client, attempt_id, items[1], correct_answer(items[1]))

    assert late.headers["Location"] == f"/attempts/{attempt_id}/result"
    stored = attempt_row(attempt_id)
    assert (stored.status, stored.score, stored.duration_s) == ("submitted", items[0].points, competition.time_limit_s)
    assert items_of(attempt_id)[1].answer is None


def test_second_start_in_a_browser_while_one_is_open_elsewhere_is_refused(app, client, competition):
    start_in_browser(client, competition)

    refused = app.test_client().post(f"/competitions/{competition.id}/start", data=start_form(competition, phone="+86 138-0013-8000"))

    assert refused.status_code == 409
    assert "该手机号已有一场未完成的答题" in refused.get_data(as_text=True)
    assert count(Attempt) == 1


def test_competition_page_offers_to_continue_the_open_attempt_instead_of_the_form(client, competition):
    attempt_id = start_in_browser(client, competition)

    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)

    assert f'href="/attempts/{attempt_id}/q/1"' in html
    assert 'name="phone"' not in html


def test_the_competition_dates_each_stay_on_one_line_on_a_phone(client, competition):
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    css = (Path(client.application.static_folder) / "site.css").read_text(encoding="utf-8")

    assert html.count('<span class="date">') == (2 if competition.ends_at else 1)
    assert ".date { white-space: nowrap; }" in css


def test_two_values_for_a_single_choice_question_are_refused_not_graded(client, competition):
    attempt_id = start_in_browser(client, competition)
    item = next(item for item in items_of(attempt_id) if item.version.type == "single_choice")
    data = {"choice": item.option_order[:2], "action": "next"}

    page = client.post(f"/attempts/{attempt_id}/q/{item.position}", data=data, follow_redirects=True)
    autosave = client.post(f"/attempts/{attempt_id}/q/{item.position}", data=data, headers={"Accept": "application/json"})

    assert "单选题只能选择一个选项" in page.get_data(as_text=True)
    assert autosave.status_code == 422 and autosave.get_json()["error"]["code"] == "invalid_answer"
    assert items_of(attempt_id)[item.position - 1].answer is None


def test_the_autosave_answers_the_answered_positions_for_the_answer_card(client, competition):
    """Found by review: the 答题卡 said 已答 0 after autosaves until a reload; the script now shows the server's list."""
    attempt_id = start_in_browser(client, competition)
    first, second = items_of(attempt_id)[:2]

    def post(item, value) -> dict:
        data = {**form_data(item, value), "action": "stay"}
        return client.post(f"/attempts/{attempt_id}/q/{item.position}", data=data, headers={"Accept": "application/json"}).get_json()

    assert post(second, correct_answer(second))["answered"] == [2]
    assert post(first, correct_answer(first))["answered"] == [1, 2]
    page = client.get(f"/attempts/{attempt_id}/q/1").get_data(as_text=True)
    assert '已答 <span class="answered-count">2</span> / ' in page and 'data-position="2"' in page
