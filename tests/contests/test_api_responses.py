"""PUT /api/v1/attempts/{id}/responses/{question_id}: each type's shape, refusals, clearing."""

from __future__ import annotations

import pytest

from tests.contests.factories import API, answer, auth, items_of, start


def _first_of(items, kind):
    return next(item for item in items if item.version.type == kind)


def _saved(client, attempt) -> dict:
    state = client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=auth(attempt["token"])).get_json()
    return state["responses"]


def test_single_choice_saves_the_option_id(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "single_choice")
    chosen = item.option_order[-1]

    response = answer(client, attempt, item, chosen)

    assert response.status_code == 200
    assert response.get_json()["answer"] == chosen
    assert _saved(client, attempt) == {str(item.id): chosen}


def test_multiple_choice_saves_the_ids_once_each_in_shown_order(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "multiple_choice")
    first, _, third = item.option_order[:3]

    response = answer(client, attempt, item, [third, first, third])

    assert response.status_code == 200
    assert _saved(client, attempt) == {str(item.id): [first, third]}


@pytest.mark.parametrize("value", [True, False])
def test_true_false_saves_the_boolean(client, competition, value):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "true_false")

    response = answer(client, attempt, item, value)

    assert response.status_code == 200
    assert _saved(client, attempt) == {str(item.id): value}


def test_fill_blank_saves_one_trimmed_string_per_blank(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "fill_blank")
    given = [f"  第{index}空 " for index in range(item.version.blank_count)]

    response = answer(client, attempt, item, given)

    assert response.status_code == 200
    assert _saved(client, attempt) == {str(item.id): [text.strip() for text in given]}


def test_saving_again_replaces_the_answer(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "single_choice")

    answer(client, attempt, item, item.option_order[0])
    answer(client, attempt, item, item.option_order[1])

    assert _saved(client, attempt) == {str(item.id): item.option_order[1]}


BAD_SHAPES = [
    ("single_choice", "list", lambda item: [item.option_order[0]]),
    ("single_choice", "unknown-option", lambda item: "no-such-option"),
    ("single_choice", "number", lambda item: 1),
    ("single_choice", "empty-string", lambda item: ""),
    ("multiple_choice", "bare-id", lambda item: item.option_order[0]),
    ("multiple_choice", "unknown-option", lambda item: [item.option_order[0], "no-such-option"]),
    ("multiple_choice", "numbers", lambda item: [1]),
    ("multiple_choice", "object", lambda item: {"a": 1}),
    ("true_false", "string", lambda item: "true"),
    ("true_false", "number", lambda item: 1),
    ("true_false", "list", lambda item: [True]),
    ("fill_blank", "string", lambda item: "一个字符串"),
    ("fill_blank", "numbers", lambda item: [1] * item.version.blank_count),
    ("fill_blank", "one-blank-too-many", lambda item: ["x"] * (item.version.blank_count + 1)),
    ("fill_blank", "too-long", lambda item: ["长" * 201] * item.version.blank_count),
]


@pytest.mark.parametrize(("kind", "build"), [(kind, build) for kind, _, build in BAD_SHAPES], ids=[f"{k}-{n}" for k, n, _ in BAD_SHAPES])
def test_wrong_shape_for_the_type_is_a_422_and_saves_nothing(client, competition, kind, build):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), kind)

    response = answer(client, attempt, item, build(item))

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_answer"
    assert _saved(client, attempt) == {}


def test_empty_multiple_choice_list_is_saved_as_an_empty_choice(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "multiple_choice")

    response = answer(client, attempt, item, [])

    assert response.status_code == 200
    assert _saved(client, attempt) == {str(item.id): []}


def test_question_not_on_this_paper_is_a_404(client, competition):
    mine = start(client, competition)
    other = start(client, competition, phone="13900139000")
    foreign = items_of(other["attempt_id"])[0]

    on_other_paper = answer(client, mine, foreign, foreign.option_order[0] if foreign.option_order else True)
    unknown = client.put(
        f"{API}/attempts/{mine['attempt_id']}/responses/{foreign.id + 10_000}", json={"answer": True}, headers=auth(mine["token"])
    )

    assert (on_other_paper.status_code, unknown.status_code) == (404, 404)
    assert unknown.get_json()["error"]["code"] == "not_found"
    assert _saved(client, other) == {}


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"json": {}},
        {"json": {"response": "a"}},
        {"json": ["a"]},
        {"data": b"answer=a", "content_type": "application/x-www-form-urlencoded"},
    ],
    ids=["empty-object", "other-field", "json-list", "form-body"],
)
def test_body_without_an_answer_field_is_a_400(client, competition, kwargs):
    attempt = start(client, competition)
    item = items_of(attempt["attempt_id"])[0]

    response = client.put(f"{API}/attempts/{attempt['attempt_id']}/responses/{item.id}", headers=auth(attempt["token"]), **kwargs)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_null_answer_clears_the_saved_response(client, competition):
    attempt = start(client, competition)
    items = items_of(attempt["attempt_id"])
    kept = _first_of(items, "true_false")
    cleared = _first_of(items, "single_choice")
    answer(client, attempt, kept, True)
    answer(client, attempt, cleared, cleared.option_order[0])

    response = answer(client, attempt, cleared, None)

    assert response.status_code == 200
    assert response.get_json()["answer"] is None
    assert _saved(client, attempt) == {str(kept.id): True}


def test_answers_after_submit_are_refused_with_409(client, competition):
    attempt = start(client, competition)
    item = _first_of(items_of(attempt["attempt_id"]), "true_false")
    answer(client, attempt, item, True)
    client.post(f"{API}/attempts/{attempt['attempt_id']}/submit", headers=auth(attempt["token"]))

    response = answer(client, attempt, item, False)

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "already_submitted"
    assert _saved(client, attempt) == {str(item.id): True}
