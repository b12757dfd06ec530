r"""Word (.docx, read with python-docx) and plain-text papers in the common Chinese layout.

A paper is a sequence of lines: section headings ``一、单选题`` set the type of
the questions that follow; numbered stems (``1.`` ``1、`` ``12\t``, or Word's own
list numbering) start a question; options ``A.`` ``A、`` ``A：`` ``(A)`` stand one
or several to a line; the key is a line ``【答案】AB`` / ``答案：B`` or is written
into the stem ``（ B ）`` / ``（√）``; ``解析：…`` / ``【解析】…`` is the explanation.
Without a heading the type is inferred from the options and the key; a
heading of a type quizapp does not have (``二、简答题``) skips its questions, as
does a picture in a Word question. Issues carry the text line, or for Word
the paragraph number.
"""

from __future__ import annotations

import io
import re
import zipfile

from quizapp.bank.formats.base import PICTURE, BankFormat, FormatError, Item, ReadResult, build_question
from quizapp.bank.formats.text import (
    answer_letters,
    choice_kind,
    decode,
    decode_or_report,
    split_blank_answers,
    split_option_cell,
    strip_number,
    to_blanks,
    true_false_answer,
    type_from_name,
    unsupported_type,
)

_HEADING = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
_STEM = re.compile(r"^\s*\d{1,4}\s*(?:[.．](?!\d)|[、)）]|\t)")
_OPTION = re.compile(r"^\s*[(（]?[A-Ha-h](?:[)）]|\s*[.．、:：])")
_ANSWER = re.compile(r"^\s*(?:【(?:参考|正确)?答案】|(?:参考|正确|标准)?答案\s*[:：])\s*(.*)$")
_EXPLANATION = re.compile(r"^\s*(?:【(?:答案)?解析】|(?:答案)?解析\s*[:：])\s*(.*)$")
_KEY_IN_STEM = re.compile(r"[（(]\s*([A-Ha-hＡ-Ｈ]{1,8}|√|×|对|错|正确|错误)\s*[）)]")


class _Draft:
    def __init__(self, line: int, stem: str, kind: str | None, skip: str | None):
        self.line, self.stem, self.kind, self.skip = line, stem, kind, skip
        self.options: list[str] = []
        self.answer: str | None = None
        self.explanation: list[str] = []


def read_lines(lines: list[tuple[int, str]], result: ReadResult, pictures: frozenset[int] = frozenset()) -> None:
    """Read ``(line number, text)`` pairs as a paper into *result*; a question on a line in *pictures* is skipped."""
    section: str | None = None
    section_skip: str | None = None
    draft: _Draft | None = None
    in_explanation = False
    for number, raw in lines:
        line = raw.strip()
        if not line:
            if draft is not None and number in pictures:
                draft.skip = draft.skip or PICTURE
            continue
        answer, explanation = _ANSWER.match(line), _EXPLANATION.match(line)
        if _HEADING.match(line) and not _STEM.match(line):
            _finish(draft, result)
            draft, in_explanation, section = None, False, type_from_name(line)
            unsupported = None if section else unsupported_type(line)
            section_skip = f"{unsupported}：quizapp 没有这种题型" if unsupported else None
        elif _STEM.match(line):
            _finish(draft, result)
            draft, in_explanation = _Draft(number, strip_number(line), section, section_skip), False
        elif draft is None:
            continue  # title, instructions, name and score boxes before the first question
        elif answer:
            draft.answer, in_explanation = answer.group(1).strip(), False
        elif explanation:
            draft.explanation, in_explanation = [explanation.group(1).strip()], True
        elif in_explanation:
            draft.explanation.append(line)
        elif _OPTION.match(line):
            draft.options.extend(split_option_cell(line, len(draft.options)) or [re.sub(_OPTION, "", line).strip()])
        elif draft.options:
            draft.options[-1] += line
        else:
            draft.stem += "\n" + line
        if draft is not None and number in pictures:
            draft.skip = draft.skip or PICTURE
    _finish(draft, result)


def _finish(draft: _Draft | None, result: ReadResult) -> None:
    if draft is None:
        return
    if draft.skip:
        result.skip(draft.line, draft.skip)
        return
    try:
        result.items.append(Item(draft.line, _question(draft)))
    except FormatError as exc:
        result.error(draft.line, str(exc))


def _question(draft: _Draft) -> dict:
    stem, answer = draft.stem, draft.answer
    if answer is None:
        found = list(_KEY_IN_STEM.finditer(stem))
        if found:
            answer = found[-1].group(1)
            stem = stem[: found[-1].start()] + "（  ）" + stem[found[-1].end() :]
    if not answer:
        raise FormatError("没有答案（需要【答案】、答案： 或写在题干括号内）")
    kind = draft.kind or _infer(draft.options, answer)
    explanation = "\n".join(draft.explanation).strip()
    if kind == "true_false":
        value = true_false_answer(answer, draft.options or None)
        if value is None:
            raise FormatError(f"判断题答案无法识别：{answer}")
        return build_question(kind, stem, answer=value, explanation=explanation)
    if kind == "fill_blank":
        return build_question(kind, to_blanks(stem), blanks=split_blank_answers(answer), explanation=explanation)
    correct = answer_letters(answer)
    if correct is None:
        raise FormatError(f"答案无法识别：{answer}（应为选项字母）")
    return build_question(choice_kind(kind, correct), stem, options=draft.options, correct=correct, explanation=explanation)


def _infer(options: list[str], answer: str) -> str:
    if options:
        return "multiple_choice" if len(answer_letters(answer) or []) > 1 else "single_choice"
    return "true_false" if true_false_answer(answer) is not None else "fill_blank"


class TextPaperFormat(BankFormat):
    """A paper as plain text (UTF-8 or GBK/GB18030)."""

    name = "text"
    label = "文本试卷 (.txt)"
    extensions = (".txt",)

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether the text has numbered stems and either option lines or answer lines."""
        if text is None:
            return False
        lines = text.split("\n")
        return any(_STEM.match(line) for line in lines) and any(_OPTION.match(line) or _ANSWER.match(line) for line in lines)

    def read(self, data: bytes) -> ReadResult:
        """Decode and read the lines; issues carry line numbers."""
        result = ReadResult()
        text = decode_or_report(data, result)
        if text is None:
            return result
        read_lines(list(enumerate(text.split("\n"), start=1)), result)
        return result


class DocxPaperFormat(BankFormat):
    """A paper as a Word document (.docx): paragraphs, including those in tables, in document order."""

    name = "docx"
    label = "Word 试卷 (.docx)"
    extensions = (".docx",)

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether *data* is a zip holding a Word document."""
        if not data.startswith(b"PK"):
            return False
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "word/document.xml" in archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return False

    def read(self, data: bytes) -> ReadResult:
        """Read the paragraphs (a list-numbered paragraph counts as a numbered stem); issues carry paragraph numbers."""
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        result = ReadResult()
        try:
            document = docx.Document(io.BytesIO(data))
            lines, pictures = [], set()
            for number, element in enumerate(document.element.body.iter(qn("w:p")), start=1):
                if _has_picture(element):
                    pictures.add(number)
                paragraph = Paragraph(element, document)
                text = decode(paragraph.text.encode("utf-8"))
                numbered = _has_numbering(element) or (paragraph.style is not None and _has_numbering(paragraph.style.element))
                if numbered and text.strip() and not any(p.match(text) for p in (_STEM, _OPTION, _ANSWER, _EXPLANATION, _HEADING)):
                    text = f"{number}. {text}"  # Word's automatic numbering is not in the text
                lines.extend((number, line) for line in text.split("\n"))
        except Exception:  # python-docx raises many types for a damaged file; all mean the same to staff
            result.error(0, "不是有效的 Word (.docx) 文件：文件已损坏，或是旧版 .doc")
            return result
        read_lines(lines, result, frozenset(pictures))
        return result


def _has_numbering(element) -> bool:
    """Return whether a paragraph or style element carries list numbering (``w:pPr/w:numPr``)."""
    from docx.oxml.ns import qn

    return element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None


def _has_picture(element) -> bool:
    """Return whether a paragraph holds a picture (DrawingML ``w:drawing`` or VML ``w:pict``/``w:object``)."""
    from docx.oxml.ns import qn

    return any(next(element.iter(qn(tag)), None) is not None for tag in ("w:drawing", "w:pict", "w:object"))
