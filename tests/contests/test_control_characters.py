"""Found by review: a NUL in a 填空 answer was a 500 on PostgreSQL; a control character in a name got the symbol message."""

from __future__ import annotations

import pytest

from quizapp.contests.models import OTHER_ORGANIZATION
from quizapp.public.inputs import NUL_MESSAGE
from tests.contests.factories import API, answer, auth, entrant, form_data, items_of, start, start_in_browser


def _fill_blank(attempt_id: int):
    return next(item for item in items_of(attempt_id) if item.version.type == "fill_blank")


def _saved(client, attempt) -> dict:
    return client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=auth(attempt["token"])).get_json()["responses"]


def test_a_nul_in_a_blank_is_a_422_in_the_api_shape_and_saves_nothing(client, competition):
    attempt = start(client, competition)
    item = _fill_blank(attempt["attempt_id"])

    response = answer(client, attempt, item, ["a\x00b"] * item.version.blank_count)

    assert response.status_code == 422
    assert response.get_json()["error"] == {"code": "invalid_text", "message": NUL_MESSAGE}
    assert _saved(client, attempt) == {}


def test_other_control_characters_in_a_blank_are_refused_by_the_grader(client, competition):
    attempt = start(client, competition)
    item = _fill_blank(attempt["attempt_id"])

    response = answer(client, attempt, item, ["a\x01b"] * item.version.blank_count)

    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "答案中含有不可见的控制字符，请删除后重新填写"
    assert _saved(client, attempt) == {}


def test_a_tab_inside_a_blank_is_still_an_answer(client, competition):
    attempt = start(client, competition)
    item = _fill_blank(attempt["attempt_id"])

    response = answer(client, attempt, item, ["安全\t生产"] * item.version.blank_count)

    assert response.status_code == 200


def test_a_nul_in_the_answer_form_is_a_422_page_and_json_for_the_autosave(client, competition):
    attempt_id = start_in_browser(client, competition)
    item = _fill_blank(attempt_id)
    data = {**form_data(item, ["a\x00b"] * item.version.blank_count), "action": "stay"}

    page = client.post(f"/attempts/{attempt_id}/q/{item.position}", data=data)
    autosave = client.post(f"/attempts/{attempt_id}/q/{item.position}", data=data, headers={"Accept": "application/json"})

    assert page.status_code == 422 and NUL_MESSAGE in page.get_data(as_text=True)
    assert autosave.status_code == 422 and autosave.get_json()["error"]["message"] == NUL_MESSAGE
    assert items_of(attempt_id)[item.position - 1].answer is None


@pytest.mark.parametrize(
    "path",
    ["/search?q=a%00b", "/laws/anquan-shengchan-fa%00", "/practice/daily?x=%00", "/staff/login?next=%00"],
)
def test_a_nul_anywhere_in_the_url_is_a_422_not_a_database_error(client, path):
    response = client.get(path)

    assert response.status_code == 422
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "other_organization"])
@pytest.mark.parametrize("text", ["张\x00三", "张\x01三", "张\x7f三"])
def test_a_control_character_in_a_name_gets_the_control_character_message(client, competition, field, text):
    body = entrant(competition, organization=OTHER_ORGANIZATION, **{"other_organization": "某某公司", field: text})

    error = client.post(f"{API}/competitions/{competition.id}/attempts", json=body).get_json()["error"]

    message = error["message"] if "\x00" in text else error["fields"][field]
    assert "控制字符" in message and "<" not in message
