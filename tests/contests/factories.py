"""Helpers for competition tests: start attempts, read the key from the DB, answer, submit.

Every "correct" answer is built from ``PaperItem.version.key`` in the database,
so expected scores follow from the paper actually drawn, never from a copied number.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.contests.models import Attempt, Competition, PaperItem, Participant
from quizapp.extensions import db

PHONE = "13800138000"
API = "/api/v1"

#: JSON field names that would carry the key or its justification.
KEY_FIELDS = {"key", "answer_key", "key_text", "answer", "answers", "correct", "is_correct", "explanation", "legal_basis", "quote"}


@pytest.fixture
def competition(clock, synced) -> Competition:
    """The open starter competition, loaded with the server clock already patched.

    ``clock`` comes first so the ``on_load`` window starts at ``clock.now``
    (the real clock may run ahead of the patched one by a fraction of a second).
    """
    return synced


def entrant(competition: Competition, **overrides) -> dict:
    """Return a valid API start body for *competition*; *overrides* replace fields."""
    body = {
        "name": "张三",
        "phone": PHONE,
        "organization": competition.organizations[0],
        "group": "public",
        "consent": True,
    }
    body.update(overrides)
    return body


def auth(token: str) -> dict:
    """Return the bearer Authorization header for *token*."""
    return {"Authorization": f"Bearer {token}"}


def start(client, competition: Competition, **overrides) -> dict:
    """Start an attempt through the API and return the 201 body."""
    response = client.post(f"{API}/competitions/{competition.id}/attempts", json=entrant(competition, **overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def start_form(competition: Competition, **overrides) -> dict:
    """Return a valid start form for *competition*."""
    data = {
        "name": "王五",
        "phone": PHONE,
        "organization": competition.organizations[1],
        "group": "public",
        "consent": "y",
    }
    data.update(overrides)
    return data


def start_in_browser(client, competition: Competition, **overrides) -> int:
    """Post the start form and return the new attempt's id (taken from the redirect)."""
    response = client.post(f"/competitions/{competition.id}/start", data=start_form(competition, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/attempts/(\d+)/q/1", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def items_of(attempt_id: int) -> list[PaperItem]:
    """Return the attempt's paper items from the database, in paper order."""
    return list(db.session.scalars(select(PaperItem).where(PaperItem.attempt_id == attempt_id).order_by(PaperItem.position)))


def attempt_row(attempt_id: int) -> Attempt:
    """Return the attempt as stored now (the identity map refreshed first)."""
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def count(model) -> int:
    """Return the number of rows of *model*."""
    return db.session.scalar(select(func.count()).select_from(model))


def correct_answer(item: PaperItem) -> object:
    """Return the right answer to *item* in the API shape, read from its version's key."""
    version = item.version
    if version.type == "multiple_choice":  # as saved: in the order shown
        return [option for option in item.option_order if option in version.key]
    if version.type == "fill_blank":
        return [accepted[0] for accepted in version.key]
    return version.key


def wrong_answer(item: PaperItem) -> object:
    """Return an answer to *item* that the key marks wrong."""
    version = item.version
    if version.type == "single_choice":
        return next(option for option in item.option_order if option != version.key)
    if version.type == "multiple_choice":
        return [option for option in item.option_order if option not in version.key][:1]
    if version.type == "true_false":
        return not version.key
    return ["不是这个答案"] * version.blank_count


def answer(client, attempt: dict, item: PaperItem, value: object):
    """PUT *value* as the response to *item*; returns the response."""
    url = f"{API}/attempts/{attempt['attempt_id']}/responses/{item.id}"
    return client.put(url, json={"answer": value}, headers=auth(attempt["token"]))


def answer_all(client, attempt: dict, wrong: int = 0) -> list[PaperItem]:
    """Answer every question right except the first *wrong* ones; returns the items."""
    items = items_of(attempt["attempt_id"])
    for index, item in enumerate(items):
        value = wrong_answer(item) if index < wrong else correct_answer(item)
        response = answer(client, attempt, item, value)
        assert response.status_code == 200, response.get_json()
    return items


def expected_score(items: list[PaperItem], wrong: int = 0) -> float:
    """Return the score of :func:`answer_all` with *wrong* wrong answers, from the items' points."""
    return sum(item.points for item in items[wrong:])


def submit(client, attempt: dict) -> dict:
    """Submit through the API and return the 200 result."""
    response = client.post(f"{API}/attempts/{attempt['attempt_id']}/submit", headers=auth(attempt["token"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def participant_by_phone_masked(masked: str) -> Participant:
    """Return the participant whose masked phone is *masked*."""
    db.session.expire_all()
    return db.session.scalar(select(Participant).where(Participant.phone_masked == masked))


def json_keys(document: object) -> set[str]:
    """Return every object key anywhere in a JSON document."""
    if isinstance(document, dict):
        return set(document) | {key for value in document.values() for key in json_keys(value)}
    if isinstance(document, list):
        return {key for value in document for key in json_keys(value)}
    return set()


def hidden_texts(items: list[PaperItem]) -> set[str]:
    """Return the 解析 and 法条 quotes of the paper that the paper itself does not show.

    Some 判断题 stems quote the law word for word; such a quote is part of the
    question, so it is left out (its presence proves nothing about the key).
    """
    shown = " ".join(item.version.stem + "".join(option["text"] for option in item.version.options) for item in items)
    texts = {item.version.explanation for item in items}
    texts |= {basis["quote"] for item in items for basis in item.version.legal_basis if basis.get("quote")}
    return {text for text in texts if text and text not in shown}


def assert_hides(page: str, texts: set[str]) -> None:
    """Assert that none of *texts* appears in *page*, raw or HTML-escaped."""
    leaked = [text for text in texts if text in page or str(escape(text)) in page]
    assert not leaked, f"page shows {leaked[:2]}"


class InputCollector(HTMLParser):
    """Collect the attributes of every ``<input>`` of a page."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def inputs_of(page: str) -> list[dict[str, str | None]]:
    """Return the attribute dicts of the page's ``<input>`` elements."""
    collector = InputCollector()
    collector.feed(page)
    return collector.inputs


def checked_values(page: str, name: str) -> list[str]:
    """Return the values of the checked inputs named *name*."""
    return [field["value"] for field in inputs_of(page) if field.get("name") == name and "checked" in field]


def form_data(item: PaperItem, value: object) -> dict:
    """Return the HTML answer-form fields that give *value* (API shape) to *item*."""
    kind = item.version.type
    if kind == "single_choice":
        return {"choice": value}
    if kind == "multiple_choice":
        return {"choices": list(value)}
    if kind == "true_false":
        return {"truth": "true" if value else "false"}
    return {f"blanks-{index}": text for index, text in enumerate(value)}


def iso(moment: str) -> datetime:
    """Parse an API timestamp (ISO 8601 with offset)."""
    return datetime.fromisoformat(moment)
