r"""GIFT, Moodle's text format (spec: docs.moodle.org/en/GIFT_format).

:func:`parse_gift` follows Moodle's reader (``question/format/gift``): blank
lines separate questions, ``//`` lines are comments (Moodle 4's ``// [id:…]``
and ``// [tag:…]`` in them are kept), ``$CATEGORY:`` switches category,
``::title::``, ``[html|moodle|plain|markdown]`` prefixes, escapes
``\: \# \= \{ \} \~ \\ \n``. The type follows Moodle's order: no braces →
description, ``{}`` → essay, ``{#…}`` → numerical, ``{T}`` ``{TRUE}`` ``{F}``
``{FALSE}`` → true/false, a ``~`` → multiple choice, ``=`` with ``->`` →
matching, else short answer. Text after the braces makes a missing-word
question. The mapping to quizapp types is
:func:`quizapp.bank.formats.moodle_model.to_question`.
"""

from __future__ import annotations

import re

from quizapp.bank.formats.base import BankFormat, FormatError, Issue, Item, ReadResult, correct_indexes
from quizapp.bank.formats.moodle_model import Choice, MoodleQuestion, plain, to_question
from quizapp.bank.formats.text import category_path, decode_or_report
from quizapp.content.banks import BLANK

# Escaped characters are swapped for private-use placeholders while parsing (as Moodle does).
_ESCAPES = {char: chr(0xF0000 + index) for index, char in enumerate("\\~=#{}:")}
_NEWLINE = chr(0xF0000 + len(_ESCAPES))
_RESTORE = {placeholder: char for char, placeholder in _ESCAPES.items()} | {_NEWLINE: "\n"}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(TRUE|FALSE|T|F)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda m: _NEWLINE if m.group(1) == "n" else _ESCAPES[m.group(1)], text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text)


def _split_format(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT.match(text)
    return (text[match.end() :], match.group(1)) if match else (text, default)


def parse_gift(text: str) -> tuple[list[MoodleQuestion], list[Issue]]:
    """Parse GIFT *text* (already normalised) into questions and line-numbered errors."""
    questions, errors = [], []
    category = ""
    for _start, lines in _blocks(text.split("\n")):
        comments = [line for _, line in lines if line.strip().startswith("//")]
        body = [(number, line) for number, line in lines if not line.strip().startswith("//")]
        if body and body[0][1].strip().startswith("$CATEGORY:"):
            category = category_path(body[0][1].strip()[len("$CATEGORY:") :])
            body = body[1:]
        if not body:
            continue
        try:
            question = _parse_question(body[0][0], "\n".join(line for _, line in body).strip())
        except FormatError as exc:
            errors.append(Issue(body[0][0], str(exc)))
            continue
        joined = " ".join(comments)
        ids = re.findall(r"\[id:([^\]]*)\]", joined)
        question.id = ids[-1].strip() if ids else None
        question.tags = [tag.strip() for tag in re.findall(r"\[tag:([^\]]*)\]", joined) if tag.strip()]
        question.category = category
        questions.append(question)
    return questions, errors


def _blocks(lines: list[str]):
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block[0][0], block
            block = []
    if block:
        yield block[0][0], block


def _parse_question(line: int, raw: str) -> MoodleQuestion:
    text = _protect(raw)
    title = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise FormatError("题目名称 ::title:: 缺少结尾的 ::")
        title, text = _restore(text[2:end]).strip(), text[end + 2 :].strip()
    text, fmt = _split_format(text, "moodle")
    start = text.find("{")
    if start < 0:
        if "}" in text:
            raise FormatError("有 } 而没有 {")
        return MoodleQuestion(line, "Description", _restore(text).strip(), fmt, title)
    end = text.find("}", start)
    if end < 0:
        raise FormatError("答案部分缺少结尾的 }")
    before, answer, after = text[:start], text[start + 1 : end].strip(), text[end + 1 :].strip()
    if "{" in answer or "{" in after or "}" in after:
        raise FormatError("一道题只能有一组 {…}（文字中的 { } 需写作 \\{ \\}）")
    embedded = bool(after)  # missing word: keep the spaces around the blank
    stem = _restore(before).lstrip() if embedded else _restore(before).strip()
    question = MoodleQuestion(line, "", stem, fmt, title, embedded, _restore(text[end + 1 :]).rstrip())
    if "####" in answer:
        answer, general = answer.split("####", 1)
        general_text, general_format = _split_format(general.strip(), fmt)
        question.general_feedback = plain(_restore(general_text).strip(), general_format)
        answer = answer.strip()
    true_false = _TRUE_FALSE.match(answer)
    if not answer:
        question.kind = "Essay"
    elif answer.startswith("#"):
        question.kind = "Numerical"
        question.choices = _numerical(answer[1:].strip(), fmt)
    elif true_false:
        question.kind, question.is_true = "TF", true_false.group(1).upper().startswith("T")
        question.feedbacks = [_restore(part).strip() for part in (true_false.group(2) or "").split("#")[1:]]
    elif "~" in answer:
        question.kind, question.choices = "MC", _choices(answer, fmt)
    elif "=" in answer and "->" in answer:
        question.kind = "Matching"
    else:
        question.kind, question.choices = "Short", _choices(answer, fmt)
    return question


def _choices(answer: str, fmt: str) -> list[Choice]:
    parts = re.split(r"(?=[=~])", answer)
    if parts[0].strip():
        raise FormatError(f"答案应以 = 或 ~ 开头：{_restore(parts[0]).strip()[:30]}")
    choices = []
    for part in parts[1:]:
        body, weight = part[1:].strip(), None
        match = _WEIGHT.match(body)
        if match:
            weight, body = float(match.group(1)), body[match.end() :]
        text, _, feedback = body.partition("#")
        text, text_format = _split_format(text.strip(), fmt)
        choices.append(Choice(_restore(text).strip(), part[0] == "=", weight, _feedback(feedback, text_format), text_format))
    return choices


def _feedback(raw: str, fmt: str) -> str | None:
    text, feedback_format = _split_format(raw.strip(), fmt)
    return plain(_restore(text).strip(), feedback_format) or None


def _numerical(answer: str, fmt: str) -> list[Choice]:
    choices = []
    for part in re.split(r"(?=[=~])", answer):
        if not part.strip():
            continue
        marker = part[0] if part[:1] in ("=", "~") else "="
        body = part[1:].strip() if part[:1] in ("=", "~") else part.strip()
        weight = None
        match = _WEIGHT.match(body)
        if match:
            weight, body = float(match.group(1)), body[match.end() :]
        value, _, feedback = body.partition("#")
        value = _restore(value).strip()
        if marker == "~" and not value:
            continue  # "~#…": feedback for any other answer
        if not re.fullmatch(rf"{_NUMBER}(?::{_NUMBER}|\.\.{_NUMBER})?", value):
            raise FormatError(f"数值题答案不是数字：{value[:30]}")
        choices.append(Choice(value, marker == "=", weight, _feedback(feedback, fmt)))
    return choices


def escape(text: str) -> str:
    r"""Escape text for GIFT: ``\`` and ``~ = # { } :`` get a backslash, newlines become ``\n``."""
    text = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return text.replace("\n", "\\n")


def _guard(text: str) -> str:
    """Escape *text* and add ``[plain]`` where its start would read as a format, comment or weight."""
    escaped = escape(text)
    return f"[plain]{escaped}" if _FORMAT.match(text) or text.startswith("//") or _WEIGHT.match(text) else escaped


class GiftFormat(BankFormat):
    """GIFT reader and writer (UTF-8 text)."""

    name = "gift"
    label = "GIFT (Moodle)"
    extensions = (".gift",)
    can_write = True

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether the text has ``$CATEGORY:``, ``::title::`` or a ``{…}`` answer block."""
        if text is None:
            return False
        return bool(re.search(r"^\s*(\$CATEGORY:|::)", text, re.MULTILINE) or re.search(r"\{\s*(?:[=~#}]|T|F|TRUE|FALSE)", text))

    def read(self, data: bytes) -> ReadResult:
        """Parse with :func:`parse_gift`, then map each question with :func:`to_question`."""
        result = ReadResult()
        text = decode_or_report(data, result)
        if text is None:
            return result
        questions, errors = parse_gift(text)
        result.errors.extend(errors)
        for parsed in questions:
            try:
                outcome = to_question(parsed)
            except FormatError as exc:
                result.error(parsed.line, str(exc))
                continue
            if isinstance(outcome, str):
                result.skip(parsed.line, outcome)
            else:
                result.items.append(Item(parsed.line, outcome))
        return result

    def write(self, questions: list[dict]) -> tuple[bytes, list[Issue]]:
        """Write GIFT: ``$CATEGORY:`` when it changes, ``// [id:…]`` and ``// [tag:…]``, ``####`` explanation.

        Multiple choice is written as multiple response with equal positive
        weights and ``%-100%`` wrong options. A fill_blank with more than one
        blank cannot be written (GIFT has one answer block per question).
        """
        chunks, issues, category = [], [], None
        for question in questions:
            try:
                body = _write_question(question)
            except FormatError as exc:
                issues.append(Issue(0, f"{question['uid']}：{exc}"))
                continue
            if question.get("category", "") != category:
                category = question.get("category", "")
                chunks.append(f"$CATEGORY: $course$/top{'/' + category if category else ''}\n")
            header = [f"// [id:{question['uid']}]"] + [f"// [tag:{tag}]" for tag in question.get("tags") or []]
            chunks.append("\n".join(header + [body]) + "\n")
        return "\n".join(chunks).encode("utf-8"), issues


def _write_question(question: dict) -> str:
    """Return one question in GIFT; raise FormatError when GIFT cannot hold it."""
    if any(re.search(r"[\]\n]", tag) for tag in question.get("tags") or []) or "]" in question["uid"]:
        raise FormatError("标签或编号含有 ] 或换行")
    if question.get("category") and category_path(question["category"]) != question["category"]:
        raise FormatError("分类路径无法写成 $CATEGORY")
    stem, kind = question["stem"], question["type"]
    explanation = f"####{_guard(question['explanation'])}" if question.get("explanation") else ""
    general = f"\t{explanation}\n" if explanation else ""
    if kind == "true_false":
        return f"{_guard(stem)}{{{'TRUE' if question['key'] else 'FALSE'}{explanation}}}"
    if kind == "fill_blank":
        if len(question["key"]) != 1:
            raise FormatError("GIFT 每题只有一组答案，多空填空题无法写出")
        if any("->" in alt or "*" in alt for alt in question["key"][0]):
            raise FormatError("填空答案含有 -> 或 *，GIFT 会读成匹配题或通配符")
        before, after = stem.split(BLANK, 1)
        answers = "".join(f"\t={_guard(alt)}\n" for alt in question["key"][0])
        return f"{_guard(before) if before else ''}{{\n{answers}{general}}}{escape(after)}"
    correct = set(correct_indexes(question))
    share = f"{100 / len(correct):.5f}".rstrip("0").rstrip(".")
    lines = []
    for index, option in enumerate(question["options"]):
        if kind == "single_choice":
            lines.append(f"\t{'=' if index in correct else '~'}{_guard(option['text'])}\n")
        else:
            lines.append(f"\t~%{share if index in correct else '-100'}%{_guard(option['text'])}\n")
    return f"{_guard(stem)}{{\n{''.join(lines)}{general}}}"
