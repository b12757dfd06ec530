"""Moodle XML (spec: docs.moodle.org/en/Moodle_XML_format), parsed with defusedxml.

``<quiz>`` holds ``<question type="…">`` elements. ``category`` questions set
the category of those that follow (``$course$/A/B`` → ``A/B``). Read:
multichoice (``<single>`` and ``fraction`` weights), truefalse, shortanswer,
numerical; every other type is skipped with its line. ``idnumber`` becomes the
uid, ``defaultgrade`` the points (except 1, Moodle's default on every question,
which means none were set), ``generalfeedback`` the explanation, ``tags`` the
tags. A question with a picture (``<img>``, ``@@PLUGINFILE@@``, ``<file>``) is
skipped: its stem would be unanswerable without it. HTML text is sanitised to plain text with nh3; the writer uses
``format="plain_text"`` so text comes back exactly as written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 — writing only; parsing goes through defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from quizapp.bank.formats.base import PICTURE, BankFormat, FormatError, Issue, Item, ReadResult, correct_indexes
from quizapp.bank.formats.moodle_model import Choice, MoodleQuestion, plain, to_question
from quizapp.bank.formats.text import category_path, decode_or_report, normalize

KINDS = {"multichoice": "MC", "truefalse": "TF", "shortanswer": "Short", "numerical": "Numerical"}
_MASK = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)


def _text(element: ET.Element | None, path: str = "text") -> str:
    found = element.find(path) if element is not None else None
    return normalize(found.text or "").strip() if found is not None and found.text else ""


def _format(element: ET.Element | None) -> str:
    """Map Moodle's text formats to ours: html, plain, markdown; auto-format is HTML when it has tags."""
    fmt = element.get("format", "moodle_auto_format") if element is not None else "plain_text"
    if fmt == "moodle_auto_format":
        return "html" if re.search(r"<[a-zA-Z/!]", _text(element)) else "plain"
    return {"plain_text": "plain", "markdown": "markdown"}.get(fmt, "html")


def _number(raw: str, default: float | None) -> float | None:
    try:
        return float(raw) if raw.strip() else default
    except ValueError:
        raise FormatError(f"不是数字：{raw[:20]}") from None


class MoodleXmlFormat(BankFormat):
    """Moodle XML reader and writer."""

    name = "moodle_xml"
    label = "Moodle XML"
    extensions = (".xml",)
    can_write = True

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether the document's root element is ``<quiz>``."""
        return text is not None and bool(re.match(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<quiz[\s>]", text, re.DOTALL))

    def read(self, data: bytes) -> ReadResult:
        """Parse the XML (no DTDs with entities, no external resources) and map each question."""
        result = ReadResult()
        text = decode_or_report(data, result)
        if text is None:
            return result
        try:  # decoded by our rule (UTF-8, else GB18030), so the declaration's encoding no longer applies
            root = fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
        except ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            result.error(line, f"XML 格式错误（第{line}行第{column + 1}列）：标签没有配对、字符不合法或文件不完整", column + 1)
            return result
        except DefusedXmlException:
            result.error(0, "XML 含有实体声明或外部引用，出于安全不予读取")
            return result
        if root.tag != "quiz":
            result.error(1, f"根元素应为 <quiz>，实为 <{root.tag}>")
            return result
        masked = _MASK.sub(lambda match: "\n" * match.group().count("\n"), text)
        lines = [masked.count("\n", 0, match.start()) + 1 for match in re.finditer(r"<question\b", masked)]
        category = ""
        for index, element in enumerate(root.findall("question")):
            line = lines[index] if index < len(lines) else 0
            kind = element.get("type", "")
            if kind == "category":
                category = category_path(_text(element, "category/text"))
                continue
            if kind not in KINDS:
                result.skip(line, f"quizapp 没有 Moodle 的 {kind or '未知'} 题型")
                continue
            if _has_picture(element):
                result.skip(line, PICTURE)
                continue
            try:
                outcome = to_question(_parse(element, KINDS[kind], line, category))
                if not isinstance(outcome, str):
                    outcome["points"] = _points(element)
            except FormatError as exc:
                result.error(line, str(exc))
                continue
            if isinstance(outcome, str):
                result.skip(line, outcome)
            else:
                result.items.append(Item(line, outcome))
        return result

    def write(self, questions: list[dict]) -> tuple[bytes, list[Issue]]:
        """Write ``<quiz>``: a category question when the category changes, then each question."""
        quiz, issues, category = ET.Element("quiz"), [], None
        for question in questions:
            if question["type"] == "fill_blank" and len(question["key"]) != 1:
                issues.append(Issue(0, f"{question['uid']}：Moodle 的简答题只有一个空，多空填空题无法写出"))
                continue
            if question.get("category", "") != category:
                category = question.get("category", "")
                holder = ET.SubElement(quiz, "question", type="category")
                _add_text(ET.SubElement(holder, "category"), f"$course$/top{'/' + category if category else ''}")
            quiz.append(_question_element(question))
        ET.indent(quiz)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n", issues


def _points(element: ET.Element) -> float | None:
    """Return ``defaultgrade``; 1 is Moodle's default on every question, so it means "not set" (None).

    Per-question points override the competition's per-type points; a default
    that nobody chose must not.
    """
    points = _number(_text(element, "defaultgrade") if element.find("defaultgrade") is not None else "", None)
    return None if points == 1 else points


def _has_picture(element: ET.Element) -> bool:
    """Return whether the question text or an answer has a picture (``<file>``, ``<img``, ``@@PLUGINFILE@@``).

    Feedback is not looked at: without its picture the question can still be answered.
    """
    for part in (element.find("questiontext"), *element.findall("answer")):
        if part is None:
            continue
        if next(part.iter("file"), None) is not None:
            return True
        if any(re.search(r"<img\b|@@PLUGINFILE@@", node.text or "", re.IGNORECASE) for node in part.iter("text")):
            return True
    return False


def _parse(element: ET.Element, kind: str, line: int, category: str) -> MoodleQuestion:
    question_text = element.find("questiontext")
    fmt = _format(question_text)
    parsed = MoodleQuestion(line, kind, _text(question_text), fmt, _text(element, "name/text") or None, category=category)
    general = element.find("generalfeedback")
    parsed.general_feedback = _plain(general) or None
    parsed.id = _text(element, "idnumber") or None if element.find("idnumber") is not None else None
    parsed.tags = [_text(tag) for tag in element.findall("tags/tag") if _text(tag)]
    answers = element.findall("answer")
    if kind == "TF":
        fractions = {_text(answer).lower(): _number(answer.get("fraction", "0"), 0.0) for answer in answers}
        feedback = {_text(answer).lower(): _plain(answer.find("feedback")) for answer in answers}
        if set(fractions) != {"true", "false"}:
            raise FormatError("判断题需要 true 和 false 两个答案")
        parsed.is_true = fractions["true"] > fractions["false"]
        right, wrong = ("true", "false") if parsed.is_true else ("false", "true")
        parsed.feedbacks = [feedback[wrong], feedback[right]]
        return parsed
    for answer in answers:
        fraction = _number(answer.get("fraction", "0"), 0.0)
        text = _text(answer)
        if kind == "Numerical":
            tolerance = _text(answer, "tolerance")
            text = f"{text}:{tolerance}" if tolerance and float(_number(tolerance, 0.0)) != 0 else text
        answer_format = _format(answer) if answer.get("format") else fmt
        parsed.choices.append(Choice(text, fraction == 100, fraction, _plain(answer.find("feedback")) or None, answer_format))
    if kind == "Numerical":
        for choice in parsed.choices:
            if not re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?::-?\d+(?:\.\d+)?)?|\*", choice.text):
                raise FormatError(f"数值题答案不是数字：{choice.text[:30]}")
        parsed.choices = [choice for choice in parsed.choices if choice.text != "*"]
    return parsed


def _plain(element: ET.Element | None) -> str:
    return plain(_text(element), _format(element)) if element is not None else ""


def _add_text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value


def _question_element(question: dict) -> ET.Element:
    kinds = {"single_choice": "multichoice", "multiple_choice": "multichoice", "true_false": "truefalse", "fill_blank": "shortanswer"}
    element = ET.Element("question", type=kinds[question["type"]])
    _add_text(ET.SubElement(element, "name"), question["stem"][:60].replace("\n", " "))
    _add_text(ET.SubElement(element, "questiontext", format="plain_text"), question["stem"])
    _add_text(ET.SubElement(element, "generalfeedback", format="plain_text"), question.get("explanation") or "")
    if question.get("points") is not None:
        ET.SubElement(element, "defaultgrade").text = f"{question['points']:g}"
    ET.SubElement(element, "idnumber").text = question["uid"]
    if question["type"] in ("single_choice", "multiple_choice"):
        correct = set(correct_indexes(question))
        single = question["type"] == "single_choice"
        ET.SubElement(element, "single").text = "true" if single else "false"
        share = f"{100 / len(correct):.5f}".rstrip("0").rstrip(".")
        for index, option in enumerate(question["options"]):
            fraction = ("100" if single else share) if index in correct else ("0" if single else "-100")
            _add_text(ET.SubElement(element, "answer", fraction=fraction, format="plain_text"), option["text"])
    elif question["type"] == "true_false":
        for value in ("true", "false"):
            fraction = "100" if (value == "true") == question["key"] else "0"
            _add_text(ET.SubElement(element, "answer", fraction=fraction, format="moodle_auto_format"), value)
    else:
        for alternative in question["key"][0]:
            _add_text(ET.SubElement(element, "answer", fraction="100", format="plain_text"), alternative)
    if question.get("tags"):
        tags = ET.SubElement(element, "tags")
        for tag in question["tags"]:
            _add_text(ET.SubElement(tags, "tag"), tag)
    return element
