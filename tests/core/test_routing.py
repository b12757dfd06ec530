"""``<int:…>`` ids stop at 2³¹−1 in the URL pattern itself: a larger id is 404 for every method."""

from __future__ import annotations

import random
import re

import pytest

from quizapp.core.routing import MAX_ID, decimal_at_most


@pytest.mark.parametrize("limit", [*range(0, 130), 999, 1000, 1009, 2024])
def test_the_pattern_matches_exactly_the_numbers_up_to_the_limit(limit):
    pattern = re.compile(decimal_at_most(limit))
    for number in range(0, 3 * limit + 12):
        assert bool(pattern.fullmatch(str(number))) is (number <= limit), (limit, number)


def test_the_id_pattern_agrees_with_the_integer_comparison_around_and_far_from_the_bound():
    pattern = re.compile(decimal_at_most(MAX_ID))
    near = [MAX_ID + delta for delta in range(-1100, 1100)]
    digit_edges = [10**k + delta for k in range(1, 12) for delta in (-1, 0, 1)]
    each_digit_larger = [int(str(MAX_ID)[:i] + str(int(str(MAX_ID)[i]) + 1) + "0" * (9 - i)) for i in range(10) if str(MAX_ID)[i] != "9"]
    sample = random.Random(7).sample(range(10**11), 5000)
    for number in [*near, *digit_edges, *each_digit_larger, *sample]:
        assert bool(pattern.fullmatch(str(number))) is (number <= MAX_ID), number
    assert pattern.fullmatch("0000000012") is None  # ten digits with leading zeros: not an id form we give out
    assert pattern.fullmatch("000000012")  # shorter forms read as int() reads them, as before


#: POST routes that share their path with a GET-only rule: before, Werkzeug answered 405.
SHARED_PATHS = [
    "/competitions/{huge}/start",
    "/attempts/{huge}/q/1",
    "/attempts/{huge}/submit",
]


@pytest.mark.parametrize("path", SHARED_PATHS)
@pytest.mark.parametrize("huge", [2**31, 10**12, 10**40])
def test_a_post_beyond_the_id_range_is_not_found(client, path, huge):
    assert client.post(path.format(huge=huge)).status_code == 404
    assert client.get(path.format(huge=huge)).status_code == 404
    assert client.post(path.format(huge=MAX_ID)).status_code == 404  # in range: an unknown id, as before


def test_every_rule_answers_404_for_an_id_past_the_range(app, client):
    """No rule with an ``<int:…>`` part answers a method it serves with anything but 404 at 2³¹."""
    answers = {}
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        path = re.sub(r"<[^>]+>", "x", re.sub(r"<int:[^>]+>", str(2**31), rule.rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answers[f"{method} {rule.rule}"] = client.open(path, method=method).status_code
    assert answers and {status for status in answers.values()} == {404}, {key: s for key, s in answers.items() if s != 404}
