"""Paper building (quizapp.contests.paper): reproducible draws, rule matching, points."""

from __future__ import annotations

import pytest

from quizapp.contests.paper import Candidate, PaperRuleError, build_paper, in_category

TYPES = ("single_choice", "multiple_choice", "true_false", "fill_blank")
DEFAULT_POINTS = {"single_choice": 4, "multiple_choice": 6, "true_false": 4, "fill_blank": 6}


def candidate(uid: str, kind: str = "single_choice", category: str = "安全生产法/总则", difficulty: int = 1, points=None) -> Candidate:
    option_ids = tuple(f"{uid}-{letter}" for letter in "abcd") if kind in ("single_choice", "multiple_choice") else ()
    return Candidate(uid, kind, category, difficulty, version_id=0, option_ids=option_ids, points=points)


def big_pool() -> list[Candidate]:
    """Forty questions: ten of each type, difficulties 1..5; q00–q19 安全生产法, q20–q39 消防法."""
    return [
        candidate(f"q{index:02d}", TYPES[index % 4], "安全生产法/总则" if index < 20 else "消防法/总则", index % 5 + 1)
        for index in range(40)
    ]


def build(rule: dict, pool: list[Candidate], seed: str, *, shuffle_questions=True, shuffle_options=True):
    return build_paper(
        rule, pool, seed, shuffle_questions=shuffle_questions, shuffle_options=shuffle_options, default_points=DEFAULT_POINTS
    )


def summary(paper) -> list[tuple[str, tuple[str, ...], float]]:
    return [(item.candidate.uid, item.option_order, item.points) for item in paper]


DRAW_TEN = {"rules": [{"count": 10}]}


def test_same_seed_builds_an_identical_paper():
    pool = big_pool()
    assert summary(build(DRAW_TEN, pool, "seed-1")) == summary(build(DRAW_TEN, pool, "seed-1"))


def test_same_seed_builds_the_same_paper_whatever_the_pool_order():
    pool = big_pool()
    assert summary(build(DRAW_TEN, pool, "seed-1")) == summary(build(DRAW_TEN, list(reversed(pool)), "seed-1"))


def test_different_seeds_build_different_papers():
    pool = big_pool()
    papers = {tuple(summary(build(DRAW_TEN, pool, f"seed-{n}"))) for n in range(5)}
    # ten of forty in order, with option orders: five seeds all alike would be astronomically unlikely
    assert len(papers) > 1


def test_different_seeds_shuffle_options_differently():
    pool = [candidate("only")]
    orders = {build({"fixed": ["only"]}, pool, f"seed-{n}")[0].option_order for n in range(8)}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(pool[0].option_ids) for order in orders)


@pytest.mark.parametrize(
    ("category", "prefix", "expected"),
    [
        ("安全生产法", "安全生产法", True),
        ("安全生产法/总则", "安全生产法", True),
        ("安全生产法/总则", "安全生产法/", True),
        ("安全生产法律", "安全生产法", False),
        ("安全生产法律/总则", "安全生产法", False),
        ("消防法/总则", "安全生产法", False),
        ("任何分类", None, True),
    ],
)
def test_category_prefix_matches_whole_levels_only(category, prefix, expected):
    assert in_category(category, prefix) is expected


def test_draw_rule_category_excludes_a_lookalike_category():
    pool = [
        candidate("in-1", category="安全生产法/总则"),
        candidate("in-2", category="安全生产法"),
        candidate("out", category="安全生产法律"),
    ]
    for seed in ("a", "b", "c", "d"):
        uids = {item.candidate.uid for item in build({"rules": [{"category": "安全生产法", "count": 2}]}, pool, seed)}
        assert uids == {"in-1", "in-2"}


def test_draw_rule_with_too_few_in_category_refuses_rather_than_take_a_lookalike():
    pool = [candidate("in-1", category="安全生产法/总则"), candidate("out", category="安全生产法律")]
    with pytest.raises(PaperRuleError):
        build({"rules": [{"category": "安全生产法", "count": 2}]}, pool, "s")


def test_draw_rules_respect_type_and_difficulty():
    pool = big_pool()
    rule = {"rules": [{"type": "true_false", "difficulty": [1, 2], "count": 3}, {"type": "fill_blank", "count": 2}]}
    for seed in ("a", "b", "c"):
        paper = build(rule, pool, seed, shuffle_questions=False)
        assert [item.candidate.type for item in paper] == ["true_false"] * 3 + ["fill_blank"] * 2
        assert all(item.candidate.difficulty in (1, 2) for item in paper[:3])


def test_no_question_is_drawn_twice_across_overlapping_rules():
    pool = [candidate(f"q{n}") for n in range(6)]
    rule = {"rules": [{"category": "安全生产法", "count": 3}, {"type": "single_choice", "count": 3}]}
    for seed in ("a", "b", "c", "d"):
        uids = [item.candidate.uid for item in build(rule, pool, seed)]
        assert sorted(uids) == sorted(c.uid for c in pool)


def test_a_later_rule_short_of_questions_after_earlier_draws_is_refused():
    pool = [candidate(f"q{n}") for n in range(5)]
    with pytest.raises(PaperRuleError):
        build({"rules": [{"count": 3}, {"type": "single_choice", "count": 3}]}, pool, "s")


def test_rule_matching_too_few_questions_raises_paper_rule_error():
    pool = [
        candidate("tf-hard", "true_false", difficulty=5),
        candidate("tf-easy", "true_false", difficulty=1),
        candidate("sc", difficulty=5),
    ]
    rule = {"rules": [{"type": "true_false", "difficulty": [5], "count": 2}]}
    with pytest.raises(PaperRuleError) as caught:
        build(rule, pool, "s")
    assert caught.value.code == "paper_rule_unsatisfiable"
    assert caught.value.status == 409
    assert [item.candidate.uid for item in build({"rules": [{**rule["rules"][0], "count": 1}]}, pool, "s")] == ["tf-hard"]


def test_fixed_list_with_unknown_id_raises_paper_rule_error_naming_it():
    with pytest.raises(PaperRuleError, match="missing-1"):
        build({"fixed": ["q00", "missing-1"]}, big_pool(), "s")


def test_fixed_list_keeps_its_order_when_question_shuffle_is_off():
    fixed = ["q17", "q03", "q30", "q11", "q08"]
    for seed in ("a", "b", "c"):
        paper = build({"fixed": fixed}, big_pool(), seed, shuffle_questions=False)
        assert [item.candidate.uid for item in paper] == fixed


def test_option_order_is_authoring_order_when_option_shuffle_is_off():
    pool = big_pool()
    for item in build(DRAW_TEN, pool, "s", shuffle_options=False):
        assert item.option_order == item.candidate.option_ids


def test_non_choice_questions_keep_no_option_order():
    pool = [candidate("tf", "true_false"), candidate("fb", "fill_blank")]
    assert [item.option_order for item in build({"fixed": ["tf", "fb"]}, pool, "s")] == [(), ()]


def test_points_default_per_type_and_question_points_win():
    pool = [
        candidate("sc", "single_choice"),
        candidate("mc", "multiple_choice"),
        candidate("tf", "true_false"),
        candidate("fb", "fill_blank"),
        candidate("own", "single_choice", points=10),
    ]
    paper = build({"fixed": ["sc", "mc", "tf", "fb", "own"]}, pool, "s", shuffle_questions=False)
    assert {item.candidate.uid: item.points for item in paper} == {"sc": 4.0, "mc": 6.0, "tf": 4.0, "fb": 6.0, "own": 10.0}
    assert all(isinstance(item.points, float) for item in paper)


def test_type_without_default_points_scores_one():
    paper = build_paper(
        {"fixed": ["tf"]}, [candidate("tf", "true_false")], "s", shuffle_questions=False, shuffle_options=False, default_points={}
    )
    assert paper[0].points == 1.0
