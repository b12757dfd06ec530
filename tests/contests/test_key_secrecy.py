"""The answer key, 解析 and 法条 quotes never reach the client before the competition closes."""

from __future__ import annotations

import json

from sqlalchemy import select

from quizapp.contests.models import Attempt
from tests.contests.factories import (
    API,
    KEY_FIELDS,
    answer,
    assert_hides,
    auth,
    correct_answer,
    form_data,
    hidden_texts,
    items_of,
    json_keys,
    start,
    start_in_browser,
    submit,
)


def _assert_no_key(document: dict, items) -> None:
    assert not json_keys(document) & KEY_FIELDS
    assert_hides(json.dumps(document, ensure_ascii=False), hidden_texts(items))


def test_start_response_has_no_key_fields_or_explanations(client, competition):
    body = start(client, competition)

    _assert_no_key(body, items_of(body["attempt_id"]))


def test_resume_state_has_no_key_before_or_after_submit(client, competition):
    attempt = start(client, competition)
    items = items_of(attempt["attempt_id"])
    answer(client, attempt, items[0], correct_answer(items[0]))
    url = f"{API}/attempts/{attempt['attempt_id']}"

    while_open = client.get(url, headers=auth(attempt["token"])).get_json()
    submitted = submit(client, attempt)
    after_submit = client.get(url, headers=auth(attempt["token"])).get_json()

    assert while_open["status"] == "open"
    assert after_submit["status"] == "submitted"
    for document in (while_open, submitted, after_submit):
        _assert_no_key(document, items)


def test_no_page_of_the_html_flow_shows_the_explanation_or_quotes_while_open(client, competition, db):
    attempt_id = start_in_browser(client, competition)
    items = items_of(attempt_id)
    secret = hidden_texts(items)
    assert secret

    pages = [client.get(f"/competitions/{competition.id}")]
    for item in items:
        pages.append(client.get(f"/attempts/{attempt_id}/q/{item.position}"))
        client.post(f"/attempts/{attempt_id}/q/{item.position}", data={**form_data(item, correct_answer(item)), "action": "next"})
    pages.append(client.get(f"/attempts/{attempt_id}/submit"))
    client.post(f"/attempts/{attempt_id}/submit")
    pages.append(client.get(f"/attempts/{attempt_id}/result"))
    pages.append(client.get(f"/attempts/{attempt_id}/review", follow_redirects=True))

    assert [page.status_code for page in pages] == [200] * len(pages)
    assert db.session.scalar(select(Attempt.status).where(Attempt.id == attempt_id)) == "submitted"
    for page in pages:
        html = page.get_data(as_text=True)
        assert_hides(html, secret)
        assert "正确答案" not in html
