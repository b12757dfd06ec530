"""Paper building (组卷): draw questions by rule and shuffle, reproducibly from a seed.

Pure functions: the same rule, pool and seed always give the same paper
(questions, their order, and each question's option order).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizapp.core.errors import DomainError

CHOICE_TYPES = ("single_choice", "multiple_choice")


class PaperRuleError(DomainError):
    """The paper rule cannot be met by the bank (too few matching questions, unknown id)."""

    status = 409
    code = "paper_rule_unsatisfiable"


@dataclass(frozen=True)
class Candidate:
    """A bank question as the paper builder sees it.

    ``option_ids`` are the current version's option ids in authoring order;
    ``points`` is the question's own points or ``None`` (the competition default applies).
    """

    uid: str
    type: str
    category: str
    difficulty: int
    version_id: int
    option_ids: tuple[str, ...]
    points: float | None


@dataclass(frozen=True)
class PlannedItem:
    """One question of a built paper: which version, the option order shown, its points."""

    candidate: Candidate
    option_order: tuple[str, ...]
    points: float


def in_category(category: str, prefix: str | None) -> bool:
    """Return whether *category* is *prefix* or lies under it (``a/b`` is under ``a``)."""
    return not prefix or category == prefix or category.startswith(prefix.rstrip("/") + "/")


def matches(rule: dict, candidate: Candidate) -> bool:
    """Return whether *candidate* satisfies a draw rule's category, type and difficulty."""
    if rule.get("type") and candidate.type != rule["type"]:
        return False
    if rule.get("difficulty") and candidate.difficulty not in rule["difficulty"]:
        return False
    return in_category(candidate.category, rule.get("category"))


def select_questions(paper_rule: dict, pool: list[Candidate], rng: random.Random) -> list[Candidate]:
    """Pick the paper's questions: the fixed list, or ``count`` drawn per rule without repeats.

    Raises:
        PaperRuleError: when a fixed id is not in the pool or a rule matches too few questions.

    """
    by_uid = {candidate.uid: candidate for candidate in pool}
    if "fixed" in paper_rule:
        missing = [uid for uid in paper_rule["fixed"] if uid not in by_uid]
        if missing:
            raise PaperRuleError(f"试卷中的题目不存在或已停用：{', '.join(missing)}")
        return [by_uid[uid] for uid in paper_rule["fixed"]]
    picked: list[Candidate] = []
    taken: set[str] = set()
    for rule in paper_rule.get("rules", []):
        eligible = sorted((c for c in pool if c.uid not in taken and matches(rule, c)), key=lambda c: c.uid)
        if len(eligible) < rule["count"]:
            raise PaperRuleError(f"抽题规则 {rule} 只匹配到 {len(eligible)} 道题，需要 {rule['count']} 道")
        for candidate in rng.sample(eligible, rule["count"]):
            picked.append(candidate)
            taken.add(candidate.uid)
    return picked


def build_paper(
    paper_rule: dict,
    pool: list[Candidate],
    seed: str,
    *,
    shuffle_questions: bool,
    shuffle_options: bool,
    default_points: dict[str, float],
) -> list[PlannedItem]:
    """Build a paper from *pool* with a ``random.Random(seed)``: draw, order, shuffle options.

    Points: the question's own points, else the competition's default for its type, else 1.
    """
    rng = random.Random(seed)
    chosen = select_questions(paper_rule, pool, rng)
    if shuffle_questions:
        rng.shuffle(chosen)
    items = []
    for candidate in chosen:
        order = list(candidate.option_ids)
        if shuffle_options and candidate.type in CHOICE_TYPES:
            rng.shuffle(order)
        points = candidate.points if candidate.points is not None else default_points.get(candidate.type, 1)
        items.append(PlannedItem(candidate, tuple(order), float(points)))
    return items


def option_labels(count: int) -> list[str]:
    """Return display labels ``A``, ``B``, ``C`` … for *count* options (at most 26)."""
    return [chr(ord("A") + index) for index in range(count)]
