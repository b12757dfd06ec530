"""The Moodle question model shared by GIFT and Moodle XML, and its mapping to quizapp types.

Both formats describe the same Moodle question types (docs.moodle.org
"Question types"); their readers build :class:`MoodleQuestion` objects and
:func:`to_question` decides, in one place, what quizapp can hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.bank.formats.base import build_question
from quizapp.bank.formats.markup import html_to_text
from quizapp.content.banks import BLANK

#: Weights that sum to 100 within this tolerance describe "all correct options are needed".
WEIGHT_TOLERANCE = 0.01


@dataclass
class Choice:
    """One answer: text (still in its format), correct mark (GIFT ``=``), weight in percent, feedback as plain text."""

    text: str
    is_correct: bool
    weight: float | None = None
    feedback: str | None = None
    format: str = "moodle"


@dataclass
class MoodleQuestion:
    """A parsed question, before mapping: ``kind`` is the GIFT reference parser's type name.

    kinds: ``MC``, ``TF``, ``Short``, ``Numerical``, ``Essay``, ``Matching``, ``Description``.
    Numerical ``choices`` hold the answer text (``1822``, ``3.14:0.01``, ``1..5``) in ``text``.
    """

    line: int
    kind: str
    stem: str
    format: str = "moodle"
    title: str | None = None
    embedded: bool = False
    after: str = ""
    choices: list[Choice] = field(default_factory=list)
    is_true: bool | None = None
    feedbacks: list[str] = field(default_factory=list)
    general_feedback: str | None = None
    category: str = ""
    id: str | None = None
    tags: list[str] = field(default_factory=list)


def plain(text: str, fmt: str) -> str:
    """Return *text* as plain text: ``html`` is sanitised (:func:`html_to_text`), other formats stay as written."""
    return html_to_text(text) if fmt == "html" else text


def to_question(parsed: MoodleQuestion) -> dict | str:
    """Map a parsed question to a ``save_question`` dict, or return why it is skipped.

    MC → single_choice (one answer worth 100%) or multiple_choice (positive
    weights all equal and summing to 100); other partial-credit weights cannot
    be graded by quizapp and are skipped. TF → true_false. Short answer →
    fill_blank with the 100% answers as alternatives (0% answers are only
    feedback). Numerical → fill_blank only with one exact answer (no
    tolerance, no range). The explanation is the general feedback (``####``),
    else the correct answer's feedback. HTML text is sanitised to text.

    Raises:
        FormatError: when the question is malformed (e.g. one option only).

    """
    stem = plain(parsed.stem, parsed.format)
    after = plain(parsed.after, parsed.format)
    if parsed.embedded or parsed.kind in ("Short", "Numerical"):
        stem = f"{stem}{BLANK}{after}" if parsed.embedded else _blank_stem(stem)
    common = {"uid": parsed.id or None, "category": parsed.category, "tags": parsed.tags}
    explanation = parsed.general_feedback or ""
    if parsed.kind == "TF":
        right = parsed.feedbacks[1] if len(parsed.feedbacks) > 1 else ""  # Moodle: #wrong#right
        return build_question("true_false", stem, answer=parsed.is_true, explanation=explanation or right, **common)
    if parsed.kind == "MC":
        weights = [choice.weight if choice.weight is not None else (100.0 if choice.is_correct else 0.0) for choice in parsed.choices]
        correct = [index for index, weight in enumerate(weights) if weight > 0]
        positive = [weights[index] for index in correct]
        if not correct or abs(sum(positive) - 100) > WEIGHT_TOLERANCE or max(positive) - min(positive) > WEIGHT_TOLERANCE:
            return f"选项分值 {', '.join(f'{w:g}%' for w in weights)} 无法表示：quizapp 的选择题按全对得分"
        kind = "single_choice" if len(correct) == 1 else "multiple_choice"
        options = [plain(choice.text, choice.format) for choice in parsed.choices]
        feedback = parsed.choices[correct[0]].feedback if kind == "single_choice" else None
        return build_question(kind, stem, options=options, correct=correct, explanation=explanation or feedback or "", **common)
    if parsed.kind in ("Short", "Numerical"):
        scored = [choice for choice in parsed.choices if choice.weight is None or choice.weight > 0]
        if parsed.kind == "Numerical" and (len(scored) != 1 or re.search(r":(?!0*(?:\.0*)?$)|\.\.", scored[0].text)):
            return "数值题只有一个精确答案时才导入为填空题；带误差或区间的不导入"
        if any(choice.weight not in (None, 100) for choice in scored) or not scored:
            return "填空答案带部分分值，quizapp 的填空题按全对得分"
        if any("*" in choice.text for choice in scored if parsed.kind == "Short"):
            return "简答题含通配符 *，quizapp 的填空题不支持"
        accepted = [plain(choice.text, choice.format) for choice in scored]
        if parsed.kind == "Numerical":  # "1822:0" has no tolerance: the answer is "1822"
            accepted = [re.sub(r":0*(?:\.0*)?$", "", answer) for answer in accepted]
        feedback = scored[0].feedback or ""
        return build_question("fill_blank", stem, blanks=[accepted], explanation=explanation or feedback, **common)
    names = {"Essay": "问答题", "Matching": "匹配题", "Description": "说明文字"}
    return f"{names.get(parsed.kind, parsed.kind)}（GIFT {parsed.kind}）quizapp 没有这种题型"


def _blank_stem(stem: str) -> str:
    return re.sub(r"_{3,}", BLANK, stem, count=1) if re.search(r"_{3,}", stem) else stem + BLANK
