"""The workspace editor of bank questions (kind ``question``), registered on :mod:`quizapp.publishing.editors`.

Questions are written, reviewed and approved in the same workflow as every publicity
kind (``/staff/content/question``). The form becomes the dict ``save_question`` takes;
the content-file rules of :mod:`quizapp.content.banks` check it, so a question typed in
the workspace obeys the rules of one loaded from a file. The version is made when a
revision goes live (:func:`quizapp.bank.lifecycle.on_live`, run by ``Item.make_live`` on
every path, so the spec has no ``on_live`` of its own).

Fields: options one per line, a leading ``*`` marks a correct one; fill-blank answers one
line per blank (``____`` in the stem), alternatives separated by ``|``; legal basis lines
``安全生产法 36[：引文]`` as in the publicity forms.
"""

from __future__ import annotations

import re
import secrets

from flask import render_template
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from quizapp.bank.forms import choices
from quizapp.bank.lifecycle import QUESTION_KIND, listing
from quizapp.bank.models import TYPE_LABELS, Question
from quizapp.content.banks import UID, ContentError, question_from_item
from quizapp.core.errors import ValidationFailed
from quizapp.extensions import db
from quizapp.publicity.forms import basis_lines, parse_basis_lines
from quizapp.publishing.editors import EditorSpec, register_editor

OPTIONS_HINT = "每行一个选项，正确选项在行首加 *，如“* 第一责任人”"
BLANKS_HINT = "每空一行，同一空的多个可接受答案用 | 分隔；题干中用 ____ 表示空"
BASIS_HINT = "每行一条，如“安全生产法 21”或“安全生产法 21：引文”"


class QuestionForm(FlaskForm):
    """A bank question of any type (the fields a type does not use are ignored)."""

    uid = StringField("题目编号", validators=[Optional(), Regexp(UID.pattern, message="编号只能用小写字母、数字和连字符")],
                      description="留空则自动生成；已有题目的编号不能修改")  # fmt: skip
    type = SelectField("题型", choices=choices(TYPE_LABELS.items()), validators=[DataRequired("请选择题型")])
    stem = TextAreaField("题干", validators=[DataRequired("请填写题干"), Length(max=2000)])
    options = TextAreaField("选项（单选、多选）", validators=[Optional()], description=OPTIONS_HINT)
    answer = SelectField("答案（判断题）", choices=choices([("", "—"), ("true", "正确"), ("false", "错误")]), validators=[Optional()])
    blanks = TextAreaField("答案（填空题）", validators=[Optional()], description=BLANKS_HINT)
    explanation = TextAreaField("解析", validators=[Optional(), Length(max=2000)])
    legal_basis = TextAreaField("法律依据", validators=[Optional()], description=BASIS_HINT)
    points = FloatField("分值（留空用竞赛默认）", validators=[Optional(), NumberRange(min=0, max=100, message="分值应在 0 到 100 之间")])
    category = StringField("分类（如 安全生产法/总则）", validators=[Optional(), Length(max=200)])
    difficulty = IntegerField("难度（1–5）", default=3,
                              validators=[DataRequired("请填写难度"), NumberRange(min=1, max=5, message="难度为 1 到 5")])
    tags = StringField("标签（用逗号分隔）", validators=[Optional(), Length(max=300)])
    save = SubmitField("保存草稿")
    preview = SubmitField("预览")


#: The content-file rules' messages (English, for content authors) in the form's Chinese.
MESSAGES = (
    (r"needs 2 to 8 options", "选择题需要 2 到 8 个选项"),
    (r"an option has no text", "有选项没有内容"),
    (r"single_choice needs exactly one correct option", "单选题需要恰好一个正确选项（在行首加 *）"),
    (r"multiple_choice needs two or more correct options", "多选题需要两个或以上正确选项（在行首加 *）"),
    (r"fill_blank needs blanks", "请填写每一空的答案"),
    (r"stem has (\d+) blanks \(____\) but (\d+) answers", r"题干中有 \1 个空（____），但填写了 \2 个答案"),
    (r"stem is empty", "请填写题干"),
    (r"difficulty must be", "难度为 1 到 5"),
)


def _chinese(message: str) -> str:
    for pattern, chinese in MESSAGES:
        match = re.search(pattern, message)
        if match:
            return match.expand(chinese)
    return message


def _option_key(index: int) -> str:
    return "abcdefgh"[index] if index < 8 else f"o{index}"


def to_content(form) -> tuple[dict, dict]:
    """Return ``(content, listing)`` of a validated form: the ``save_question`` dict. Raises ValidationFailed naming the field."""
    kind = form.type.data
    item = {"id": (form.uid.data or "").strip() or f"q-{secrets.token_hex(6)}", "type": kind, "stem": form.stem.data,
            "explanation": form.explanation.data or "", "difficulty": form.difficulty.data, "points": form.points.data,
            "category": (form.category.data or "").strip(),
            "tags": [tag.strip() for tag in (form.tags.data or "").replace("，", ",").split(",") if tag.strip()]}  # fmt: skip
    if kind in ("single_choice", "multiple_choice"):
        lines = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
        item["options"] = [{"id": _option_key(index), "text": line.lstrip("*＊").strip(), "correct": line[0] in "*＊"}
                           for index, line in enumerate(lines)]  # fmt: skip
    elif kind == "true_false":
        if form.answer.data not in ("true", "false"):
            raise ValidationFailed("请选择判断题的答案", fields={"answer": "请选择正确或错误"})
        item["answer"] = form.answer.data == "true"
    else:
        lines = [line for line in (form.blanks.data or "").splitlines() if line.strip()]
        item["blanks"] = [[alt.strip() for alt in line.split("|") if alt.strip()] for line in lines]
    try:
        bases = parse_basis_lines(form.legal_basis.data)
    except ValueError as exc:
        raise ValidationFailed(str(exc), fields={"legal_basis": str(exc)}) from None
    item["legal_basis"] = [{"quote": "", **basis} for basis in bases]
    try:
        content = question_from_item(item, "", "表单")
    except ContentError as exc:
        message = _chinese(str(exc).split(": ", 1)[-1])
        field = {"single_choice": "options", "multiple_choice": "options", "fill_blank": "blanks"}.get(kind, "stem")
        raise ValidationFailed(f"题目不符合要求：{message}", fields={field: message}) from None
    approved = db.session.scalar(select(Question).where(Question.uid == content["uid"], Question.current_version_id.is_not(None)))
    if approved is not None and approved.type != content["type"]:
        message = f"已审核的题目不能改题型（原为{approved.type_label}）"
        raise ValidationFailed(message, fields={"type": message})
    return content, listing(content)


def to_form_data(content: dict) -> dict:
    """Return the form data of a question's content (the inverse of :func:`to_content`)."""
    key = content.get("key")
    correct = set(key) if isinstance(key, list) and content["type"] == "multiple_choice" else {key}
    return {
        "uid": content["uid"],
        "type": content["type"],
        "stem": content["stem"],
        "options": "\n".join(("* " if option["id"] in correct else "") + option["text"] for option in content.get("options") or []),
        "answer": ("true" if key else "false") if content["type"] == "true_false" else "",
        "blanks": "\n".join(" | ".join(blank) for blank in key) if content["type"] == "fill_blank" else "",
        "explanation": content.get("explanation", ""),
        "legal_basis": basis_lines(content.get("legal_basis") or []),
        "points": content.get("points"),
        "category": content.get("category", ""),
        "difficulty": content.get("difficulty", 3),
        "tags": "，".join(content.get("tags") or []),
    }


def render_preview(item, content: dict, listing_columns: dict) -> str:
    """Return the question as a participant sees it, with the key and explanation below."""
    return render_template("bank_staff/preview.html", content=content, type_label=TYPE_LABELS[content["type"]])


def fields(content: dict) -> list[tuple[str, str]]:
    """Return the fields revisions are compared on, as labelled plain text."""
    data = to_form_data(content)
    labels = (("题型", TYPE_LABELS[content["type"]]), ("题干", data["stem"]), ("选项", data["options"]), ("判断答案", data["answer"]),
              ("填空答案", data["blanks"]), ("解析", data["explanation"]), ("法律依据", data["legal_basis"]),
              ("分值", "" if data["points"] is None else str(data["points"])), ("分类", data["category"]),
              ("难度", str(data["difficulty"])), ("标签", data["tags"]))  # fmt: skip
    return [(label, text) for label, text in labels if text]


register_editor(
    QUESTION_KIND,
    EditorSpec(label="题目", form=QuestionForm, to_content=to_content, to_form_data=to_form_data, render_preview=render_preview,
               fields=fields, order=60),  # fmt: skip
)
