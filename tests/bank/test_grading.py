"""Graders (quizapp.bank.grading): scoring per question type and answer validation."""

from __future__ import annotations

import pytest

from quizapp.bank.grading import GRADERS, FillBlankGrader, Grade, grader_for, normalize_blank
from quizapp.bank.models import QUESTION_TYPES
from quizapp.core.errors import ValidationFailed

OPTIONS = ["a", "b", "c", "d"]


def test_every_question_type_has_a_registered_grader():
    assert set(GRADERS) == set(QUESTION_TYPES)
    for kind in QUESTION_TYPES:
        assert grader_for(kind) is GRADERS[kind]


def test_grader_for_unknown_type_raises_key_error():
    with pytest.raises(KeyError):
        grader_for("essay")


# ── single_choice ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("b", Grade(2.0, True)), ("a", Grade(0.0, False)), (None, Grade(0.0, False))],
    ids=["right", "wrong", "unanswered"],
)
def test_single_choice_scores_only_the_keyed_option(answer, expected):
    assert GRADERS["single_choice"].grade("b", answer, 2.0) == expected


def test_single_choice_parse_returns_a_known_option_id():
    assert GRADERS["single_choice"].parse("c", OPTIONS) == "c"


@pytest.mark.parametrize("raw", ["z", ["a"], 1, None, ""], ids=["unknown-id", "list", "int", "none", "empty"])
def test_single_choice_parse_refuses_anything_but_one_known_option_id(raw):
    with pytest.raises(ValidationFailed) as caught:
        GRADERS["single_choice"].parse(raw, OPTIONS)
    assert caught.value.code == "invalid_answer"
    assert caught.value.status == 422


# ── multiple_choice ─────────────────────────────────────────────────────────

KEY = ["a", "b", "c"]


@pytest.mark.parametrize("partial", [False, True])
def test_multiple_choice_exact_key_earns_full_points_in_any_order(partial):
    assert GRADERS["multiple_choice"].grade(KEY, ["c", "a", "b"], 6.0, partial=partial) == Grade(6.0, True)


def test_multiple_choice_all_or_nothing_gives_zero_for_a_proper_subset():
    assert GRADERS["multiple_choice"].grade(KEY, ["a", "b"], 6.0, partial=False) == Grade(0.0, False)


@pytest.mark.parametrize("answer", [["a"], ["a", "b"], ["b", "c"]])
def test_multiple_choice_partial_credit_gives_half_for_a_proper_subset_without_wrong_options(answer):
    assert GRADERS["multiple_choice"].grade(KEY, answer, 6.0, partial=True) == Grade(3.0, False)


@pytest.mark.parametrize("answer", [["a", "d"], ["a", "b", "c", "d"], ["d"]], ids=["subset+wrong", "superset", "only-wrong"])
def test_multiple_choice_partial_credit_gives_zero_when_any_wrong_option_is_chosen(answer):
    assert GRADERS["multiple_choice"].grade(KEY, answer, 6.0, partial=True) == Grade(0.0, False)


@pytest.mark.parametrize("answer", [[], None], ids=["empty", "unanswered"])
def test_multiple_choice_partial_credit_gives_zero_for_no_choice(answer):
    assert GRADERS["multiple_choice"].grade(KEY, answer, 6.0, partial=True) == Grade(0.0, False)


def test_multiple_choice_parse_deduplicates_in_option_order():
    assert GRADERS["multiple_choice"].parse(["c", "a", "c"], OPTIONS) == ["a", "c"]


@pytest.mark.parametrize(
    "raw",
    ["a", "a,b", ["a", "z"], ["a", 1], None, {"a": True}],
    ids=["string", "comma-string", "unknown-id", "non-string-item", "none", "dict"],
)
def test_multiple_choice_parse_refuses_non_lists_and_unknown_options(raw):
    with pytest.raises(ValidationFailed) as caught:
        GRADERS["multiple_choice"].parse(raw, OPTIONS)
    assert caught.value.code == "invalid_answer"


# ── true_false ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("key", "answer", "expected"),
    [
        (True, True, Grade(2.0, True)),
        (False, False, Grade(2.0, True)),
        (True, False, Grade(0.0, False)),
        (False, True, Grade(0.0, False)),
        (False, None, Grade(0.0, False)),
    ],
    ids=["true-right", "false-right", "true-wrong", "false-wrong", "unanswered"],
)
def test_true_false_scores_the_matching_boolean(key, answer, expected):
    assert GRADERS["true_false"].grade(key, answer, 2.0) == expected


@pytest.mark.parametrize("raw", [True, False])
def test_true_false_parse_accepts_booleans(raw):
    assert GRADERS["true_false"].parse(raw, []) is raw


@pytest.mark.parametrize("raw", ["true", "false", 1, 0, None], ids=["str-true", "str-false", "one", "zero", "none"])
def test_true_false_parse_refuses_strings_numbers_and_none(raw):
    with pytest.raises(ValidationFailed) as caught:
        GRADERS["true_false"].parse(raw, [])
    assert caught.value.code == "invalid_answer"


# ── fill_blank ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("accepted", "given"),
    [
        ("1小时", "１小时"),  # full-width digit
        ("ABC", "ＡＢＣ"),  # full-width letters
        ("ABC", "abc"),  # case
        ("第一责任人", "  第一责任人 "),  # whitespace around
        ("第一责任人", "第一 责任\t人"),  # whitespace inside
        ("abc", "Ａ ｂ Ｃ"),  # all of it at once
    ],
)
def test_fill_blank_matching_ignores_width_case_and_whitespace(accepted, given):
    assert normalize_blank(given) == normalize_blank(accepted)
    assert GRADERS["fill_blank"].grade([[accepted]], [given], 4.0) == Grade(4.0, True)


def test_fill_blank_accepts_any_listed_alternative():
    key = [["一小时", "1小时", "1h"]]
    for given in ("一小时", "1小时", "1H"):
        assert GRADERS["fill_blank"].grade(key, [given], 4.0) == Grade(4.0, True)


def test_fill_blank_rejects_an_unlisted_answer():
    assert GRADERS["fill_blank"].grade([["一小时", "1小时"]], ["2小时"], 4.0) == Grade(0.0, False)


def test_fill_blank_needs_every_blank_right():
    key = [["第一责任人"], ["全面"]]
    grader = GRADERS["fill_blank"]
    assert grader.grade(key, ["第一责任人", "全面"], 6.0) == Grade(6.0, True)
    assert grader.grade(key, ["第一责任人", "部分"], 6.0) == Grade(0.0, False)
    assert grader.grade(key, ["直接责任人", "全面"], 6.0) == Grade(0.0, False)


@pytest.mark.parametrize("answer", [None, [], ["第一责任人"]], ids=["unanswered", "empty", "too-few"])
def test_fill_blank_gives_zero_without_an_answer_per_blank(answer):
    assert GRADERS["fill_blank"].grade([["第一责任人"], ["全面"]], answer, 6.0) == Grade(0.0, False)


def test_fill_blank_parse_strips_each_blank():
    assert GRADERS["fill_blank"].parse([" 甲 ", "乙"], [], blank_count=2) == ["甲", "乙"]


def test_fill_blank_parse_accepts_a_blank_at_the_length_limit():
    limit = FillBlankGrader.MAX_LENGTH
    assert GRADERS["fill_blank"].parse(["字" * limit], [], blank_count=1) == ["字" * limit]


@pytest.mark.parametrize(
    ("raw", "blank_count"),
    [
        (["甲"], 2),
        (["甲", "乙", "丙"], 2),
        ("甲", 1),
        ([1], 1),
        (None, 1),
        (["字" * (FillBlankGrader.MAX_LENGTH + 1)], 1),
    ],
    ids=["too-few", "too-many", "string", "non-string-item", "none", "too-long"],
)
def test_fill_blank_parse_refuses_wrong_shapes_counts_and_lengths(raw, blank_count):
    with pytest.raises(ValidationFailed) as caught:
        GRADERS["fill_blank"].parse(raw, [], blank_count=blank_count)
    assert caught.value.code == "invalid_answer"
