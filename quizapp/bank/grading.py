"""Graders: one per question type, looked up by type name in :data:`GRADERS`.

Each grader is pure: it validates a raw API answer (:meth:`parse`) and scores
an answer against a key (:meth:`grade`). Answer shapes (the API contract):
single_choice ``"<option id>"``, multiple_choice ``["<option id>", …]``,
true_false ``true|false``, fill_blank ``["<blank 1>", …]``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from quizapp.core.errors import ValidationFailed


@dataclass(frozen=True)
class Grade:
    """The result of grading one response: points earned (float) and whether it is fully right."""

    points: float
    is_correct: bool


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="invalid_answer")


class SingleChoiceGrader:
    """单选题: the one keyed option earns the points."""

    def parse(self, raw: object, option_ids: list[str], blank_count: int = 0) -> str:
        """Return the chosen option id; raise ValidationFailed for anything else."""
        if not isinstance(raw, str) or raw not in option_ids:
            raise _invalid("请选择一个有效选项")
        return raw

    def grade(self, key: str, answer: str | None, points: float, *, partial: bool = False) -> Grade:
        """Score *answer* against *key*: all the points or none."""
        right = answer is not None and answer == key
        return Grade(points if right else 0.0, right)


class MultipleChoiceGrader:
    """多选题: all-or-nothing, or 少选得一半 when the competition turns it on.

    少选得一半 (the common rule of Chinese competitions): half the points when the
    choice is a non-empty proper subset of the key with no wrong option.
    """

    def parse(self, raw: object, option_ids: list[str], blank_count: int = 0) -> list[str]:
        """Return the chosen option ids, de-duplicated in option order."""
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise _invalid("多选题的答案应为选项列表")
        if not set(raw) <= set(option_ids):
            raise _invalid("答案中含有不存在的选项")
        return [option for option in option_ids if option in set(raw)]

    def grade(self, key: list[str], answer: list[str] | None, points: float, *, partial: bool = False) -> Grade:
        """Score *answer*: full points for the exact key set, half under 少选得一半."""
        chosen, keyed = set(answer or []), set(key)
        if chosen == keyed:
            return Grade(points, True)
        if partial and chosen and chosen < keyed:
            return Grade(points / 2, False)
        return Grade(0.0, False)


class TrueFalseGrader:
    """判断题: ``true`` (正确) or ``false`` (错误)."""

    def parse(self, raw: object, option_ids: list[str], blank_count: int = 0) -> bool:
        """Return the boolean answer; strings and numbers are refused."""
        if not isinstance(raw, bool):
            raise _invalid("判断题的答案应为 true 或 false")
        return raw

    def grade(self, key: bool, answer: bool | None, points: float, *, partial: bool = False) -> Grade:
        """Score *answer* against *key*."""
        right = answer is not None and answer is key
        return Grade(points if right else 0.0, right)


_SPACE = re.compile(r"\s+")


def normalize_blank(text: str) -> str:
    """Normalise a blank for matching: NFKC (full-width → half-width), no whitespace, casefold."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


class FillBlankGrader:
    """填空题: every blank must match one of its accepted answers (after normalisation)."""

    MAX_LENGTH = 200

    def parse(self, raw: object, option_ids: list[str], blank_count: int = 0) -> list[str]:
        """Return one string per blank; raise for a wrong count or type, an overlong blank or a control character (Cc but whitespace)."""
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise _invalid("填空题的答案应为字符串列表，每空一个")
        if len(raw) != blank_count:
            raise _invalid(f"本题共有{blank_count}个空，请逐空作答")
        if any(len(item) > self.MAX_LENGTH for item in raw):
            raise _invalid("答案过长")
        if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for item in raw for ch in item):  # PostgreSQL cannot store NUL
            raise _invalid("答案中含有不可见的控制字符，请删除后重新填写")
        return [item.strip() for item in raw]

    def grade(self, key: list[list[str]], answer: list[str] | None, points: float, *, partial: bool = False) -> Grade:
        """Score *answer*: all the points when every blank matches, else none."""
        if not answer or len(answer) != len(key):
            return Grade(0.0, False)
        right = all(
            normalize_blank(given) in {normalize_blank(alt) for alt in accepted}
            for given, accepted in zip(answer, key, strict=True)
        )
        return Grade(points if right else 0.0, right)


GRADERS = {
    "single_choice": SingleChoiceGrader(),
    "multiple_choice": MultipleChoiceGrader(),
    "true_false": TrueFalseGrader(),
    "fill_blank": FillBlankGrader(),
}


def grader_for(question_type: str):
    """Return the grader registered for *question_type*.

    Raises:
        KeyError: for a type with no grader.

    """
    return GRADERS[question_type]
