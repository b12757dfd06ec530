"""Check a paper rule against the bank before it is saved: how many questions match each rule.

Pure functions over the same :class:`~quizapp.contests.paper.Candidate` pool that
:func:`~quizapp.contests.paper.build_paper` draws from, so the workspace's counts and
the papers participants get can never disagree.

``build_paper`` draws the rules in order and never repeats a question, so a rule whose
questions overlap an earlier rule's can find fewer left than it matched. A rule is
*satisfiable for every seed* when the questions it matches, minus the most that earlier
rules could take from them, still cover its count. For rule *i* with match set ``M_i``::

    available_i = |M_i| - sum(min(count_j, |M_j ∩ M_i|) for j < i)

which never overstates what is left (each earlier rule takes exactly ``count_j``
questions, all from ``M_j``). A rule with ``available_i < count_i`` is an error: some
participants' papers could not be built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.bank.models import QUESTION_TYPES, TYPE_LABELS
from quizapp.contests.paper import Candidate, matches

DIFFICULTY_LEVELS = range(1, 6)
_DIFFICULTY_SPLIT = re.compile(r"[,，、\s]+")


def parse_difficulty(text: str) -> list[int]:
    """Parse ``"1,2"``, ``"1、3"`` or ``"2-4"`` into sorted difficulty levels (1–5); ``""`` → ``[]`` (any).

    Raises:
        ValueError: with a Chinese message when a part is not a level 1–5 or a range of them.

    """
    levels: set[int] = set()
    for part in _DIFFICULTY_SPLIT.split((text or "").strip()):
        if not part:
            continue
        low, sep, high = part.replace("–", "-").replace("～", "-").replace("~", "-").partition("-")
        if not low.isdigit() or (sep and not high.isdigit()):
            raise ValueError("难度请填写 1–5 的数字，如 1,2 或 2-4")
        first, last = int(low), int(high) if sep else int(low)
        if first > last or first not in DIFFICULTY_LEVELS or last not in DIFFICULTY_LEVELS:
            raise ValueError("难度请填写 1–5 的数字，如 1,2 或 2-4")
        levels.update(range(first, last + 1))
    return sorted(levels)


def rule_label(rule: dict) -> str:
    """Describe a draw rule for people: ``安全生产法 · 单选题 · 难度 1、2``."""
    category = rule.get("category") or "全部分类"
    kind = TYPE_LABELS.get(rule.get("type") or "", "任意题型")
    levels = rule.get("difficulty") or []
    difficulty = "难度 " + "、".join(str(level) for level in levels) if levels else "任意难度"
    return f"{category} · {kind} · {difficulty}"


@dataclass(frozen=True)
class RuleCount:
    """One draw rule's numbers: asked ``count``, ``matching`` in the bank, ``available`` for every seed.

    ``index`` is the rule's 1-based position in the paper rule.
    """

    index: int
    label: str
    count: int
    matching: int
    available: int

    @property
    def ok(self) -> bool:
        """Return whether every seed leaves enough questions for this rule."""
        return self.available >= self.count

    @property
    def message(self) -> str:
        """Return the Chinese error naming the rule, or "" when it is satisfiable."""
        if self.ok:
            return ""
        where = f"第 {self.index} 条规则（{self.label}）需要 {self.count} 道题"
        if self.matching < self.count:
            return f"{where}，题库中只有 {self.matching} 道符合"
        taken = self.matching - self.available
        return f"{where}：符合的 {self.matching} 道中最多 {taken} 道可能已被前面的规则抽走；请把范围更小的规则放在前面，或减少题数"

    def as_dict(self) -> dict:
        """Return the JSON shape used by the workspace: the fields plus ``ok`` and ``message``."""
        return {
            "index": self.index,
            "label": self.label,
            "count": self.count,
            "matching": self.matching,
            "available": self.available,
            "ok": self.ok,
            "message": self.message,
        }


@dataclass(frozen=True)
class PaperCheck:
    """The check of one paper rule: per-rule counts (draw) or found/missing ids (fixed).

    ``total`` is the number of questions a paper will have; ``errors`` the Chinese
    messages that make the rule unusable (empty when it can be saved).
    """

    mode: str
    total: int
    rules: list[RuleCount] = field(default_factory=list)
    found: int = 0
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return whether the rule can be saved."""
        return not self.errors

    def as_dict(self) -> dict:
        """Return the JSON answer of the workspace's live count endpoint."""
        return {
            "mode": self.mode,
            "total": self.total,
            "ok": self.ok,
            "rules": [count.as_dict() for count in self.rules],
            "found": self.found,
            "missing": self.missing,
            "duplicates": self.duplicates,
            "errors": self.errors,
        }


def check_paper_rule(paper_rule: dict, pool: list[Candidate]) -> PaperCheck:
    """Count the questions of *pool* each rule matches and collect what makes the rule unusable.

    *paper_rule* has the shape :func:`~quizapp.contests.paper.build_paper` accepts:
    ``{"fixed": [uid, …]}`` or ``{"rules": [{"category", "type", "difficulty", "count"}, …]}``.
    Shape errors (unknown type, count below 1) are reported as errors, never raised.
    """
    if "fixed" in paper_rule:
        return _check_fixed(list(paper_rule["fixed"]), pool)
    rules = list(paper_rule.get("rules") or [])
    errors = [message for index, rule in enumerate(rules, start=1) if (message := _shape_error(index, rule))]
    if not rules:
        errors.append("请至少填写一条抽题规则")
    if errors:
        return PaperCheck("rules", 0, errors=errors)
    match_sets = [{candidate.uid for candidate in pool if matches(rule, candidate)} for rule in rules]
    counts = []
    for index, (rule, matched) in enumerate(zip(rules, match_sets, strict=True)):
        taken = sum(min(rules[earlier]["count"], len(match_sets[earlier] & matched)) for earlier in range(index))
        counts.append(RuleCount(index + 1, rule_label(rule), rule["count"], len(matched), max(0, len(matched) - taken)))
    return PaperCheck(
        "rules",
        sum(rule["count"] for rule in rules),
        rules=counts,
        errors=[count.message for count in counts if not count.ok],
    )


def _shape_error(index: int, rule: dict) -> str:
    count = rule.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return f"第 {index} 条规则需要填写题数（正整数）"
    if rule.get("type") and rule["type"] not in QUESTION_TYPES:
        return f"第 {index} 条规则的题型无效"
    levels = rule.get("difficulty") or []
    if not all(isinstance(level, int) and level in DIFFICULTY_LEVELS for level in levels):
        return f"第 {index} 条规则的难度须为 1–5"
    return ""


def _check_fixed(uids: list[str], pool: list[Candidate]) -> PaperCheck:
    known = {candidate.uid for candidate in pool}
    seen: set[str] = set()
    duplicates = sorted({uid for uid in uids if uid in seen or seen.add(uid)})
    missing = [uid for uid in dict.fromkeys(uids) if uid not in known]
    errors = []
    if not uids:
        errors.append("请填写固定试卷的题目编号")
    if missing:
        errors.append(f"以下题目不存在或已停用：{'、'.join(missing)}")
    if duplicates:
        errors.append(f"以下题目重复出现：{'、'.join(duplicates)}")
    return PaperCheck("fixed", len(uids), found=len(set(uids) & known), missing=missing, duplicates=duplicates, errors=errors)
