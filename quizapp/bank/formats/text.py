"""Text normalisation shared by every reader, and the Chinese-layout helpers.

Text is normalised once, on the way in: the encoding is decided
deterministically (strict UTF-8 with or without BOM, else GB18030, a superset
of GBK, else an error), then BOM stripped, CR/CRLF turned into LF and Unicode
NFC applied. Answer keys fold full-width letters; question text keeps its
Chinese punctuation.
"""

from __future__ import annotations

import re
import unicodedata

from quizapp.bank.formats.base import OPTION_LETTERS
from quizapp.content.banks import BLANK


class DecodeError(ValueError):
    """The bytes are neither UTF-8 nor GB18030."""


def decode(data: bytes) -> str:
    """Return *data* decoded and normalised (see the module docstring).

    Raises:
        DecodeError: when the bytes are valid in neither UTF-8 nor GB18030.

    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"编码无法识别：不是 UTF-8，也不是 GB18030/GBK（第{exc.start + 1}个字节处）") from None
    return normalize(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_or_report(data: bytes, result) -> str | None:
    """Decode *data* with :func:`decode`; on failure record the error on *result* (line 0) and return None.

    *result* is a :class:`quizapp.bank.formats.base.ReadResult` (anything with ``error(line, message)``).
    """
    try:
        return decode(data)
    except DecodeError as exc:
        result.error(0, str(exc))
        return None


def normalize(text: str) -> str:
    """Return *text* with BOM removed, LF line ends, no control characters but tab and LF, and Unicode NFC."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def category_path(raw: str) -> str:
    """Return a Moodle category path as ours: ``$course$/top/A/B`` → ``A/B``."""
    parts = [part.strip() for part in raw.strip().split("/")]
    while parts and (re.fullmatch(r"\$\w+\$", parts[0]) or parts[0] == "top" or not parts[0]):
        parts.pop(0)
    return "/".join(part for part in parts if part)


def join_category(parent: str | None, child: str) -> str:
    """Return *child* placed under *parent* (the ``--category`` option), either may be empty."""
    return "/".join(part.strip("/") for part in (parent or "", child) if part and part.strip("/"))


# --- Chinese layouts (Excel, CSV, Word and text papers) -------------------------------------

TYPE_NAMES = {
    "单选": "single_choice",
    "单选题": "single_choice",
    "单项选择": "single_choice",
    "单项选择题": "single_choice",
    "单择题": "single_choice",
    "多选": "multiple_choice",
    "多选题": "multiple_choice",
    "多项选择": "multiple_choice",
    "多项选择题": "multiple_choice",
    "不定项": "choice",
    "不定项选择": "choice",
    "不定项选择题": "choice",
    "判断": "true_false",
    "判断题": "true_false",
    "是非题": "true_false",
    "对错题": "true_false",
    "填空": "fill_blank",
    "填空题": "fill_blank",
}
for _code in ("single_choice", "multiple_choice", "true_false", "fill_blank"):
    TYPE_NAMES[_code] = _code

TRUE_WORDS = {"对", "正确", "是", "√", "✓", "✔", "T", "TRUE", "Y", "YES", "R"}
FALSE_WORDS = {"错", "错误", "不正确", "否", "×", "✗", "✘", "X", "F", "FALSE", "N", "NO"}

_NUMBERED = re.compile(r"^\s*\d{1,4}\s*(?:[.．](?!\d)|[、)）]|\t)\s*")
_SEPARATORS = re.compile(r"[\s,，、;；/|｜]+")


#: Types quizapp does not have, as Chinese banks name them: skipped with their line, never read as fill_blank.
_UNSUPPORTED = re.compile(
    r"^(?:问答|简答|论述|案例|案例分析|分析|材料分析|名词解释|计算|综合|综合分析|情景分析|主观|连线|匹配|排序|作图|识图|画图|实操|作文|阅读理解)题?$"
)


def _type_key(name: str) -> str:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    return re.sub(r"^[一二三四五六七八九十]+[、.]|[(].*$", "", key)


def type_from_name(name: str) -> str | None:
    """Return the question type for a Chinese type name (单选题, 是非题 …), or None.

    不定项选择题 gives ``"choice"``: single or multiple by the number of keys (:func:`choice_kind`).
    """
    key = _type_key(name)
    return TYPE_NAMES.get(key) or TYPE_NAMES.get(key.lower())


def unsupported_type(name: str) -> str | None:
    """Return the type name (简答题, 案例分析题 …) when it names a type quizapp does not have, else None."""
    key = _type_key(name)
    return key if _UNSUPPORTED.match(key) else None


def choice_kind(kind: str, correct: list[int]) -> str:
    """Resolve ``"choice"`` (不定项选择题): single_choice with exactly one key, multiple_choice with more."""
    if kind != "choice":
        return kind
    return "single_choice" if len(correct) == 1 else "multiple_choice"


_LOOSE_NUMBER = re.compile(r"^\s*\d{1,4}\s*[,，]?\s*(?=[^\d.．])")


def strip_number(stem: str, numbered: bool = False) -> str:
    r"""Remove a leading question number: ``1.`` ``1、`` ``12\t`` (not ``1.5米``).

    When *numbered* (most stems of the file carry numbers), a number that lost
    its separator (``178关于…``, ``269,粉尘…``) is removed too.
    """
    stripped = _NUMBERED.sub("", stem, count=1)
    if numbered and stripped == stem:
        stripped = _LOOSE_NUMBER.sub("", stem, count=1)
    return stripped.strip()


def is_numbered(stem: str) -> bool:
    """Return whether *stem* starts with a question number and separator."""
    return bool(_NUMBERED.match(stem))


def fold_key(raw: str) -> str:
    """Fold an answer key: NFKC (full-width ``ＡＢ`` → ``AB``), upper case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or "")).upper()


def answer_letters(raw: str) -> list[int] | None:
    """Parse a letter key (``AB``, ``A,B``, ``A、B``, ``a;b``, ``ＡＢ``) into option indexes.

    Returns None when the key holds anything but letters A–H and separators.
    """
    folded = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw or "")).upper()
    if not folded or any(letter not in OPTION_LETTERS for letter in folded):
        return None
    return sorted({OPTION_LETTERS.index(letter) for letter in folded})


def true_false_answer(raw: str, options: list[str] | None = None) -> bool | None:
    """Parse a true/false key: 对/错/正确/错误/是/否/√/×/T/F, or a letter of the options.

    With options (``A.正确 B.错误``) a letter takes its option's meaning; without,
    A is true and B false. Returns None when the key is not recognised.
    """
    key = fold_key(raw)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    if key in ("A", "B"):
        if options and len(options) == 2:
            return true_false_answer(options[OPTION_LETTERS.index(key)])
        return key == "A"
    return None


_BLANK_SLOT = re.compile(r"_{3,}|（[\s\u3000]*）|\([\s\u3000]*\)")


def to_blanks(stem: str) -> str:
    """Return a fill-blank stem with each ``____`` / ``（ ）`` / ``()`` slot written ``____``."""
    return _BLANK_SLOT.sub(BLANK, stem)


def split_blank_answers(raw: str) -> list[list[str]]:
    """Split a fill-blank key: blanks by ``|`` ``｜`` ``；`` ``;``, alternatives by ``/``."""
    return [[alt.strip() for alt in part.split("/") if alt.strip()] for part in re.split(r"[|｜；;]", raw or "") if part.strip()]


def join_blank_answers(blanks: list[list[str]]) -> str | None:
    """Write blanks as :func:`split_blank_answers` reads them, or None if an answer holds a separator."""
    if any(re.search(r"[|｜；;/]", alt) or alt != alt.strip() or not alt for blank in blanks for alt in blank):
        return None
    return "|".join("/".join(blank) for blank in blanks)


_OPTION_IN_CELL = re.compile(r"(?:^|(?<=\s))[(（]?([A-Ha-h])(?:[)）]|\s*[.．、:：])\s*")


def split_option_cell(cell: str, first: int = 0) -> list[str] | None:
    """Split all options written in one cell into texts, in letter order.

    Layouts: ``**A.正确**B.错误``, ``**A:…**B:…``, ``**A、…`` (a missing separator,
    ``**D夏季…``, is accepted after ``**``), or ``A.… B.…`` on one or several lines.
    Returns None when the letters are not in order from letter number *first*
    (0 for A; a paper's second line of options may start at C).
    """
    cell = cell.strip()
    if cell.startswith("**"):
        parts = [part.strip() for part in re.split(r"\*{2,}", cell) if part.strip()]
        texts, letters = [], []
        for part in parts:
            match = re.match(r"^([A-Ha-hＡ-Ｈ])\s*[.．、:：)）]?\s*", part)
            if not match:
                return None
            letters.append(fold_key(match.group(1)))
            texts.append(part[match.end():].strip())
    else:
        matches = list(_OPTION_IN_CELL.finditer(cell))
        letters = [match.group(1).upper() for match in matches]
        ends = [match.start() for match in matches[1:]] + [len(cell)]
        texts = [cell[match.end():end].strip() for match, end in zip(matches, ends, strict=True)]
        if matches and cell[: matches[0].start()].strip():
            return None
    if not texts or letters != list(OPTION_LETTERS[first : first + len(letters)]):
        return None
    return texts
