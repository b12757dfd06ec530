"""The common model of every bank format: issues, read results, question building.

A reader turns a file into a :class:`ReadResult`: ``save_question`` dicts with
the line (or spreadsheet row) they came from, plus skipped items and errors.
:func:`build_question` is the one place that turns parsed parts into that dict,
so every format derives uids, option ids and fingerprints the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from quizapp.bank.formats.markup import plain_text
from quizapp.bank.models import QUESTION_TYPES
from quizapp.content.banks import BLANK, option_public_id

MAX_OPTIONS = 8
OPTION_LETTERS = "ABCDEFGH"
#: Stable ids taken from a file (GIFT ``[id:…]``, Moodle ``idnumber``, an Excel ID column).
STABLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$")
#: What a spreadsheet's ID column must hold to be an id rather than a sequence number (1, 2, 3 …).
_SHEET_ID = re.compile(r"^(?=.*[a-z])[a-z0-9][a-z0-9-]{0,79}$")
_SPACE = re.compile(r"\s+")
#: Skip reason for a question with a picture: its stem would be unanswerable without it.
PICTURE = "含图片，暂不支持"


@dataclass(frozen=True)
class Issue:
    """A skipped item or an error, where it is in the file and why.

    ``line`` is the 1-based line of a text file or row of a spreadsheet (0 when
    the problem concerns the whole file); ``column`` is a 1-based column or 0.
    """

    line: int
    message: str
    column: int = 0

    def as_error(self) -> dict:
        """Return ``{"line", "column", "message"}`` (the report's error shape)."""
        return {"line": self.line, "column": self.column, "message": self.message}

    def as_skip(self) -> dict:
        """Return ``{"line", "reason"}`` (the report's skipped shape)."""
        return {"line": self.line, "reason": self.message}


@dataclass
class Item:
    """One question read from a file: its ``save_question`` dict and where it started."""

    line: int
    data: dict


@dataclass
class ReadResult:
    """What a reader found: questions, skipped items (unsupported types) and errors."""

    items: list[Item] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)

    def error(self, line: int, message: str, column: int = 0) -> None:
        """Record an error at *line* (and *column*)."""
        self.errors.append(Issue(line, message, column))

    def skip(self, line: int, reason: str) -> None:
        """Record an item that is not imported because quizapp has no such type."""
        self.skipped.append(Issue(line, reason))


class FormatError(ValueError):
    """A parsed item cannot become a question; the message says why (in Chinese for staff)."""


class Skipped(Exception):  # noqa: N818 — a signal, like StopIteration, not a failure
    """A parsed item is of a kind quizapp does not have; the message is the skip reason."""


def sheet_id(raw: str) -> str | None:
    """Return a spreadsheet ID cell as a uid, or None when it is a sequence number.

    Banks number their rows 1, 2, 3 … in the 题目编号 column; taken as ids,
    a second bank numbered the same way would be discarded as duplicates. Only
    ``[a-z0-9][a-z0-9-]*`` with at least one letter (the content files' id
    shape, which the Excel writer emits) is an id; anything else is ignored
    and the fingerprint uid applies.
    """
    return raw if _SHEET_ID.match(raw or "") else None


def comparable(text: str) -> str:
    """Normalise text for fingerprints and comparisons: NFKC, no whitespace, case folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def fingerprint(kind: str, stem: str, option_texts: list[str], key: object) -> str:
    """Return the SHA-256 hex digest identifying a question by content.

    *key* is given by position, not option id: a list of correct option indexes
    (choice types), a bool (true_false) or lists of accepted answers per blank
    (fill_blank). Stem, options and answers are compared after NFKC, without
    whitespace and case-folded, so a re-typed copy of a question is recognised.
    """
    if kind == "fill_blank":
        key = [[comparable(alt) for alt in blank] for blank in key]
    payload = {"type": kind, "stem": comparable(stem), "options": [comparable(text) for text in option_texts], "key": key}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def fingerprint_of(data: dict) -> str:
    """Return the fingerprint of a ``save_question`` dict (or a current version's fields)."""
    options = data.get("options") or []
    ids = [option["id"] for option in options]
    key = data.get("key")
    if data["type"] == "single_choice":
        key = [ids.index(key)] if key in ids else []
    elif data["type"] == "multiple_choice":
        key = sorted(ids.index(option) for option in key or [] if option in ids)
    return fingerprint(data["type"], data.get("stem") or "", [option["text"] for option in options], key)


def build_question(
    kind: str,
    stem: str,
    *,
    options: list[str] | None = None,
    correct: list[int] | None = None,
    answer: bool | None = None,
    blanks: list[list[str]] | None = None,
    uid: str | None = None,
    explanation: str = "",
    legal_basis: list[dict] | None = None,
    points: float | None = None,
    category: str = "",
    difficulty: int = 3,
    tags: list[str] | None = None,
) -> dict:
    """Validate parsed parts and return a ``save_question`` dict.

    Choice types take *options* (2–8 texts) and *correct* (indexes);
    true_false takes *answer*; fill_blank takes *blanks* (one list of accepted
    answers per ``____`` in the stem). Without a stable *uid* the uid is
    ``imp-`` + the first 16 hex digits of :func:`fingerprint`; option ids are
    ``option_public_id(uid, "a"|"b"|…)`` by position, as in the YAML format.
    Text holding HTML tags becomes plain text (:func:`~quizapp.bank.formats.markup.plain_text`).

    Raises:
        FormatError: for an empty stem or option, options with the same text, a wrong number of options or
            correct answers, a blank count that does not match, or a bad id.

    """
    stem = plain_text(stem or "").strip()
    if kind not in QUESTION_TYPES:
        raise FormatError(f"未知题型 {kind}")
    if not stem:
        raise FormatError("题干为空")
    options = [plain_text(text).strip() for text in options or []]
    key_by_position: object
    if kind in ("single_choice", "multiple_choice"):
        correct = sorted(set(correct or []))
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise FormatError(f"选择题需要2到{MAX_OPTIONS}个选项，实有{len(options)}个")
        if not all(options):
            raise FormatError("有选项内容为空")
        normalised = [comparable(text) for text in options]
        for index, text in enumerate(options):
            if normalised[index] in normalised[:index]:
                raise FormatError(f"选项内容重复：{text}")
        if any(not 0 <= index < len(options) for index in correct):
            raise FormatError("答案指向不存在的选项")
        if kind == "single_choice" and len(correct) != 1:
            raise FormatError(f"单选题需要恰好一个正确答案，实有{len(correct)}个")
        if kind == "multiple_choice" and len(correct) < 2:
            raise FormatError(f"多选题需要至少两个正确答案，实有{len(correct)}个")
        key_by_position = correct
    elif kind == "true_false":
        if not isinstance(answer, bool):
            raise FormatError("判断题缺少答案（对/错）")
        options, key_by_position = [], answer
    else:
        blanks = [[plain_text(alt).strip() for alt in blank if plain_text(alt).strip()] for blank in blanks or []]
        if not blanks or not all(blanks):
            raise FormatError("填空题缺少答案")
        if stem.count(BLANK) != len(blanks):
            raise FormatError(f"题干有{stem.count(BLANK)}个空（{BLANK}），答案有{len(blanks)}个")
        options, key_by_position = [], blanks
    if uid is not None and not STABLE_ID.match(uid):
        raise FormatError(f"题目编号 {uid!r} 不合规（字母、数字、. _ : -，至多80个字符）")
    uid = uid or "imp-" + fingerprint(kind, stem, options, key_by_position)[:16]
    option_dicts = [{"id": option_public_id(uid, chr(ord("a") + index)), "text": text} for index, text in enumerate(options)]
    ids = [option["id"] for option in option_dicts]
    key: object = key_by_position
    if kind == "single_choice":
        key = ids[correct[0]]
    elif kind == "multiple_choice":
        key = [ids[index] for index in correct]
    if not 1 <= difficulty <= 5:
        raise FormatError("难度应为1到5")
    return {
        "uid": uid,
        "type": kind,
        "stem": stem,
        "options": option_dicts,
        "key": key,
        "explanation": plain_text(explanation or "").strip(),
        "legal_basis": [{**entry, "quote": plain_text(entry["quote"])} if entry.get("quote") else entry for entry in legal_basis or []],
        "points": points,
        "category": plain_text(category or ""),
        "difficulty": difficulty,
        "tags": [plain_text(tag) for tag in tags or []],
    }


def correct_indexes(data: dict) -> list[int]:
    """Return the positions of the correct options of a choice question dict."""
    ids = [option["id"] for option in data.get("options") or []]
    key = data["key"] if data["type"] == "multiple_choice" else [data["key"]]
    return [ids.index(option) for option in key if option in ids]


class BankFormat(ABC):
    """A file format: a reader, optionally a writer, and content sniffing.

    Subclasses set ``name``, ``label``, ``extensions`` and implement
    :meth:`read`; writers implement :meth:`write` and set ``can_write``.
    """

    name = ""
    label = ""
    extensions: tuple[str, ...] = ()
    can_write = False

    def sniff(self, data: bytes, text: str | None) -> bool:
        """Return whether *data* (and its decoded *text*, if it decodes) looks like this format."""
        return False

    @abstractmethod
    def read(self, data: bytes) -> ReadResult:
        """Parse *data* (the file's bytes) into a :class:`ReadResult`; never raise on bad input."""

    def write(self, questions: list[dict]) -> tuple[bytes, list[Issue]]:
        """Serialise ``save_question`` dicts; return the file's bytes and the questions left out.

        Raises:
            FormatError: for a read-only format (``can_write`` is False).

        """
        raise FormatError(f"{self.label or self.name} 格式只能导入，不能导出")
