"""The common Chinese spreadsheet template, shared by the Excel and CSV formats.

Columns are recognised by header name with the usual synonyms, in any order
(题型, 题干/题目, 选项A…选项H, 正确答案/答案, 解析, 分值, 难度, 分类, 法条依据 …).
Three layouts: one column per option; all options in one cell
(``**A.正确**B.错误``); one row per option, grouped by question number.
Row numbers in issues are the spreadsheet's (header row included).
"""

from __future__ import annotations

import math
import re
import unicodedata

from quizapp.bank.formats.base import OPTION_LETTERS, FormatError, Item, ReadResult, Skipped, build_question, correct_indexes, sheet_id
from quizapp.bank.formats.text import (
    answer_letters,
    choice_kind,
    is_numbered,
    join_blank_answers,
    normalize,
    split_blank_answers,
    split_option_cell,
    strip_number,
    to_blanks,
    true_false_answer,
    type_from_name,
    unsupported_type,
)
from quizapp.laws.texts import article_label, article_number

HEADERS = {
    "uid": ("id", "uid", "题目id", "试题id", "题目编号", "试题编号"),
    "number": ("题号", "序号", "编号"),
    "type": ("题型", "试题类型", "题目类型", "类型", "题目类别"),
    "stem": ("题干", "题目", "题目内容", "试题内容", "试题题目", "问题", "试题", "题目名称"),
    "options": ("选项", "题目选项", "选项内容", "答案选项", "试题选项", "全部选项"),
    "answer": ("正确答案", "答案", "题目答案", "参考答案", "标准答案", "试题答案"),
    "is_correct": ("是否正确", "是否答案", "是否正确答案"),
    "explanation": ("解析", "答案解析", "试题解析", "题目解析", "解释"),
    "points": ("分值", "分数", "得分"),
    "difficulty": ("难度", "难易度", "难易程度", "难度等级"),
    "category": ("分类", "类别", "题目分类", "试题分类", "所属分类", "知识点", "章节", "作业种类"),
    "legal_basis": ("法条依据", "法律依据", "依据", "法规依据"),
    "tags": ("标签",),
}
_SYNONYMS = {name: field for field, names in HEADERS.items() for name in names}
_OPTION_HEADER = re.compile(r"^(?:选项)?([A-H])(?:选项|项)?$")
DIFFICULTY_WORDS = {"易": 1, "容易": 1, "简单": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3, "较难": 4, "难": 5, "困难": 5}
WRITE_HEADER = ["ID", "题型", "题干", *(f"选项{letter}" for letter in OPTION_LETTERS)]
WRITE_HEADER += ["正确答案", "解析", "分值", "难度", "分类", "标签", "法条依据"]
TYPE_OUT = {"single_choice": "单选题", "multiple_choice": "多选题", "true_false": "判断题", "fill_blank": "填空题"}
_CITATION = re.compile(r"《([^》]+)》\s*((?:第[零〇一二三四五六七八九十百千\d]+条[、，,和及\s]*)+)(?:[:：]?\s*“([^”]*)”)?")
_TAG_SPLIT = re.compile(r"[,，、;；]")
_NESTED_QUOTE = str.maketrans({"“": "‘", "”": "’"})
_NESTED_TITLE = str.maketrans({"《": "〈", "》": "〉"})


def cell_text(value: object) -> str:
    """Return a cell as NFC text: numbers without a spurious ``.0``, None as ``""``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value)).strip()


def _header_key(text: str) -> str:
    return re.sub(r"[\s*＊:：]", "", unicodedata.normalize("NFKC", text)).lower()


def map_header(cells: list[str]) -> dict[str, int] | None:
    """Return ``{field: column index}`` for a header row, options as ``option0``…; None if it is not one."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        match = _OPTION_HEADER.match(key.upper())
        field = f"option{OPTION_LETTERS.index(match.group(1))}" if match else _SYNONYMS.get(key)
        if field and field not in columns:
            columns[field] = index
    return columns if "stem" in columns else None


def parse_legal_basis(raw: str) -> list[dict]:
    """Parse ``《安全生产法》第二十八条、第三十条；《消防法》第16条“…”`` into legal_basis entries.

    Law names drop ``中华人民共和国``; articles become integers (``article_number``).

    Raises:
        FormatError: when some text is not a citation.

    """
    basis, rest = [], raw
    for match in _CITATION.finditer(raw):
        law = re.sub(r"^中华人民共和国", "", match.group(1).strip())
        for numeral in re.findall(r"第([零〇一二三四五六七八九十百千\d]+)条", match.group(2)):
            try:
                article = int(numeral) if numeral.isdecimal() else article_number(numeral)
            except ValueError:
                article = 0
            if article < 1:
                raise FormatError(f"条文序号无法识别：第{numeral}条")
            basis.append({"law": law, "article": article, "quote": match.group(3) or ""})
        rest = rest.replace(match.group(0), "", 1)
    if re.sub(r"[\s;；,，、。]", "", rest):
        raise FormatError(f"法条依据无法识别：{raw}（应写作《安全生产法》第二十八条）")
    return basis


def read_rows(rows: list[tuple[int, list]], result: ReadResult) -> None:
    """Read spreadsheet *rows* (``(row number, cells)``) into *result*."""
    texts = [(number, [cell_text(cell) for cell in cells]) for number, cells in rows]
    headers = [(position, map_header(cells)) for position, (_, cells) in enumerate(texts[:20])]
    position, columns = next(((position, columns) for position, columns in headers if columns), (0, None))
    if columns is None:
        result.error(texts[0][0] if texts else 0, "找不到表头：需要“题干”或“题目”等列名")
        return
    groups = _groups(texts[position + 1 :], columns)
    stems = [cells[columns["stem"]] for group in groups for _, cells in group[:1] if columns["stem"] < len(cells)]
    numbered = sum(map(is_numbered, stems)) * 2 > len(stems)
    for group in groups:
        first_row = group[0][0]
        try:
            result.items.append(Item(first_row, _question(group, columns, numbered)))
        except Skipped as exc:
            result.skip(first_row, str(exc))
        except FormatError as exc:
            result.error(first_row, str(exc), getattr(exc, "column", 0))


def _groups(rows: list[tuple[int, list[str]]], columns: dict[str, int]) -> list[list[tuple[int, list[str]]]]:
    """Group rows into questions: a row with a stem starts one; option-only rows continue it."""
    groups: list[list[tuple[int, list[str]]]] = []
    stem_col, number_col = columns["stem"], columns.get("number")
    one_row_per_option = "options" in columns and not any(field.startswith("option") and field != "options" for field in columns)
    for row_number, cells in rows:
        def get(index, cells=cells):
            return cells[index] if index is not None and index < len(cells) else ""

        if not any(cells):
            continue
        same_number = groups and number_col is not None and get(number_col) and get(number_col) == get(number_col, groups[-1][0][1])
        if one_row_per_option and groups and not get(stem_col) and (same_number or not get(number_col)):
            groups[-1].append((row_number, cells))
        else:
            groups.append([(row_number, cells)])
    return groups


def _column_error(message: str, column: int) -> FormatError:
    error = FormatError(message)
    error.column = column + 1
    return error


def _question(group: list[tuple[int, list[str]]], columns: dict[str, int], numbered: bool) -> dict:
    first = group[0][1]

    def get(field: str, cells: list[str] = first) -> str:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    unsupported = unsupported_type(get("type"))
    if unsupported:
        raise Skipped(f"{unsupported}：quizapp 没有这种题型")
    if not get("stem"):
        raise _column_error("题干为空", columns["stem"])
    options = _options(group, columns, get)
    answer = next((get("answer", cells) for _, cells in group if get("answer", cells)), "")
    if not answer and "is_correct" in columns:
        marks = [true_false_answer(get("is_correct", cells)) for _, cells in group]
        answer = "".join(OPTION_LETTERS[index] for index, mark in enumerate(marks) if mark)
    raw_type = get("type")
    kind = type_from_name(raw_type) if raw_type else _infer_type(options, answer)
    if kind is None:
        raise _column_error(f"题型无法识别：{raw_type}", columns.get("type", 0))
    stem = strip_number(get("stem"), numbered)
    fields = {"explanation": get("explanation"), "category": get("category"), "uid": sheet_id(get("uid"))}
    fields["tags"] = [tag.strip() for tag in _TAG_SPLIT.split(get("tags")) if tag.strip()]
    if get("points"):
        try:
            fields["points"] = float(get("points"))
        except ValueError:
            fields["points"] = math.nan
        if not math.isfinite(fields["points"]) or fields["points"] < 0:
            raise _column_error(f"分值应为非负数：{get('points')}", columns["points"])
    if get("difficulty"):
        level = get("difficulty")
        fields["difficulty"] = int(level) if level.isdecimal() and len(level) < 3 else DIFFICULTY_WORDS.get(level, 0)
        if not 1 <= fields["difficulty"] <= 5:
            raise _column_error(f"难度应为1到5或易/中/难：{level}", columns["difficulty"])
    if get("legal_basis"):
        try:
            fields["legal_basis"] = parse_legal_basis(get("legal_basis"))
        except FormatError as exc:
            raise _column_error(str(exc), columns["legal_basis"]) from None
    answer_column = columns.get("answer", columns.get("is_correct", 0))
    if kind == "true_false":
        value = true_false_answer(answer, options or None)
        if value is None:
            raise _column_error(f"判断题答案无法识别：{answer or '（空）'}", answer_column)
        return build_question(kind, stem, answer=value, **fields)
    if kind == "fill_blank":
        return build_question(kind, to_blanks(stem), blanks=split_blank_answers(answer), **fields)
    correct = answer_letters(answer)
    if correct is None:
        raise _column_error(f"答案无法识别：{answer or '（空）'}（应为选项字母，如 A 或 ABD）", answer_column)
    return build_question(choice_kind(kind, correct), stem, options=options, correct=correct, **fields)


def _options(group, columns, get) -> list[str]:
    letter_columns = [columns[f"option{index}"] for index in range(len(OPTION_LETTERS)) if f"option{index}" in columns]
    if letter_columns:
        texts = [get(f"option{index}") for index in range(len(OPTION_LETTERS)) if f"option{index}" in columns]
        while texts and not texts[-1]:
            texts.pop()
        return texts
    if "options" not in columns:
        return []
    if len(group) > 1:
        texts = [get("options", cells) for _, cells in group]
        return [re.sub(r"^[(（]?[A-Ha-h](?:[)）]|\s*[.．、:：])\s*", "", text) for text in texts]
    cell = get("options")
    if not cell:
        return []
    texts = split_option_cell(cell)
    if texts is None:
        raise _column_error(f"选项无法拆分：{cell[:40]}（应为 **A.… **B.… 或 A.… B.…）", columns["options"])
    return texts


def _infer_type(options: list[str], answer: str) -> str | None:
    if options:
        letters = answer_letters(answer) or []
        return "multiple_choice" if len(letters) > 1 else "single_choice"
    return "true_false" if true_false_answer(answer) is not None else "fill_blank"


def write_rows(questions: list[dict]) -> tuple[list[list], list[tuple[dict, str]]]:
    """Return the template's rows (header first) and the questions that cannot be written, with why."""
    rows: list[list] = [list(WRITE_HEADER)]
    left_out = []
    for question in questions:
        row = _row(question, len(rows))
        if isinstance(row, str):
            left_out.append((question, row))
        else:
            rows.append(row)
    return rows, left_out


def _row(question: dict, index: int) -> list | str:
    kind, stem = question["type"], f"{index}、{question['stem']}"  # numbered, so a stem's own leading digits survive
    options = [option["text"] for option in question.get("options") or []]
    if kind == "true_false":
        answer = "对" if question["key"] else "错"
    elif kind == "fill_blank":
        answer = join_blank_answers(question["key"])
        if answer is None or to_blanks(question["stem"]) != question["stem"]:
            return "填空答案含有分隔符 | ； / 或题干含有（ ）"
    else:
        answer = "".join(OPTION_LETTERS[index] for index in correct_indexes(question))
    tags = question.get("tags") or []
    if any(_TAG_SPLIT.search(tag) for tag in tags):
        return "标签含有分隔符"
    basis = []
    for entry in question.get("legal_basis") or []:
        # The cell's own marks delimit law and quote; nested ones take the forms Chinese uses inside quotes.
        law = entry["law"].translate(_NESTED_TITLE)
        quote = f"“{entry['quote'].translate(_NESTED_QUOTE)}”" if entry.get("quote") else ""
        basis.append(f"《{law}》{article_label(int(entry['article']))}{quote}")
    points = question.get("points")
    return [
        question["uid"],
        TYPE_OUT[kind],
        stem,
        *(options + [""] * (len(OPTION_LETTERS) - len(options))),
        answer,
        question.get("explanation") or "",
        "" if points is None else (int(points) if float(points).is_integer() else points),
        question.get("difficulty", 3),
        question.get("category") or "",
        "，".join(tags),
        "；".join(basis),
    ]
