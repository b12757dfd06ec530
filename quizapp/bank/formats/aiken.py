"""Aiken, Moodle's one-line multiple-choice format (spec: docs.moodle.org/en/Aiken_format).

A question is a line of text, then options ``A.`` or ``A)`` (with or without
a space), then ``ANSWER: X``. Blank lines between questions are ignored; CR,
CRLF and LF line ends are all accepted. Moodle's error cases are errors with
the line number: too few options, a missing ANSWER, an option or ANSWER with
no question, an ANSWER naming no option. Text is plain (never HTML).
"""

from __future__ import annotations

import re

from quizapp.bank.formats.base import BankFormat, FormatError, Issue, Item, ReadResult, build_question, correct_indexes
from quizapp.bank.formats.text import decode_or_report, fold_key

_OPTION = re.compile(r"^([A-Z])[.)]\s*(.*)$")
_ANSWER = re.compile(r"^ANSWER\s*[:：]\s*(.*)$", re.IGNORECASE)
_SNIFF = re.compile(r"^[ \t]*[A-Z][.)].*\n(?:[ \t]*\n)*[ \t]*(?i:ANSWER)[ \t]*[:：][ \t]*[A-Za-zＡ-Ｚａ-ｚ][ \t]*$", re.MULTILINE)


class AikenFormat(BankFormat):
    """Aiken reader and writer; the writer takes single-choice questions only."""

    name = "aiken"
    label = "Aiken (Moodle)"
    extensions = (".aiken", ".txt")
    can_write = True

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether some line is an ANSWER line right after an option line, as :meth:`read` accepts them.

        Like the reader: any case (``Answer: B``), a full-width colon or letter (``ANSWER：Ｂ``), indented lines.
        """
        return text is not None and bool(_SNIFF.search(text))

    def read(self, data: bytes) -> ReadResult:
        """Read questions; every Aiken question is single choice."""
        result = ReadResult()
        text = decode_or_report(data, result)
        if text is None:
            return result
        stem_line, stem, options = 0, "", []  # options: (letter, text)

        def finish_incomplete() -> None:
            if stem_line:
                result.error(stem_line, f"第{stem_line}行的题目没有 ANSWER: 行（题目不完整）")

        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip()
            if not line:
                continue
            answer, option = _ANSWER.match(line), _OPTION.match(line)
            if answer:
                if not stem_line:
                    result.error(number, "ANSWER: 行之前没有题目")
                    continue
                self._finish(result, stem_line, stem, options, number, answer.group(1))
                stem_line, stem, options = 0, "", []
            elif option:
                if not stem_line:
                    result.error(number, f"选项 {option.group(1)} 之前没有题目")
                    continue
                options.append((option.group(1), option.group(2).strip()))
            elif stem_line and not options:
                stem += "\n" + line
            else:
                finish_incomplete()
                stem_line, stem, options = number, line, []
        finish_incomplete()
        return result

    @staticmethod
    def _finish(result: ReadResult, stem_line: int, stem: str, options: list, answer_line: int, answer: str) -> None:
        letters = [letter for letter, _ in options]
        key = fold_key(answer)
        if len(options) < 2:
            result.error(answer_line, f"第{stem_line}行的题目至少需要两个选项，只有{len(options)}个")
        elif len(set(letters)) != len(letters):
            result.error(stem_line, "选项字母重复")
        elif key not in letters:
            result.error(answer_line, f"ANSWER: {answer} 不是本题的选项字母")
        else:
            try:
                data = build_question("single_choice", stem, options=[text for _, text in options], correct=[letters.index(key)])
            except FormatError as exc:
                result.error(stem_line, str(exc))
            else:
                result.items.append(Item(stem_line, data))

    def write(self, questions: list[dict]) -> tuple[bytes, list[Issue]]:
        """Write single-choice questions; others, and text Aiken cannot hold (line breaks), are left out."""
        chunks, issues = [], []
        for question in questions:
            reason = _unwritable(question)
            if reason:
                issues.append(Issue(0, f"{question['uid']}：{reason}"))
                continue
            answer = "ABCDEFGH"[correct_indexes(question)[0]]
            options = [f"{'ABCDEFGH'[index]}. {option['text']}" for index, option in enumerate(question["options"])]
            chunks.append("\n".join([question["stem"], *options, f"ANSWER: {answer}"]) + "\n")
        return "\n".join(chunks).encode("utf-8"), issues


def _unwritable(question: dict) -> str | None:
    if question["type"] != "single_choice":
        return "Aiken 只能写单选题"
    texts = [question["stem"], *(option["text"] for option in question["options"])]
    if any("\n" in text for text in texts):
        return "Aiken 每个题干、选项只能占一行"
    if _OPTION.match(question["stem"]) or _ANSWER.match(question["stem"]):
        return "题干以 A. 或 ANSWER: 开头，Aiken 会读错"
    if any(_ANSWER.match(option["text"]) for option in question["options"]):
        return "选项以 ANSWER: 开头，Aiken 会读错"
    return None
