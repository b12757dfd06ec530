"""Editors of the five publicity kinds, registered on :mod:`quizapp.publishing.editors`.

A form becomes the same front matter + Markdown body that a content file holds, and goes
through the kind's own :meth:`~quizapp.publicity.kinds.Kind.parse`: staff input and
content files obey one set of rules (a natural person's name becomes 王某 either way).
The preview renders the public detail template with the draft.
"""

from __future__ import annotations

from datetime import date

from flask import render_template

from quizapp.content.banks import ContentError
from quizapp.core.errors import ValidationFailed
from quizapp.laws.citations import missing_article
from quizapp.publicity.forms import (
    CaseForm,
    NewsForm,
    PenaltyForm,
    QAForm,
    WarningForm,
    basis_lines,
    hazard_row_data,
    parse_basis_lines,
)
from quizapp.publicity.kinds import KINDS, citations_text
from quizapp.publicity.links import item_path
from quizapp.publishing.editors import EditorSpec, register_editor
from quizapp.publishing.models import Item

WHERE = "表单"


def _parse(kind_name: str, meta: dict, body: str) -> tuple[dict, dict]:
    """Run the kind's content-file rules on the form's values; return ``(content, listing)``. Raises ValidationFailed."""
    kind = KINDS[kind_name]
    try:
        content = kind.parse(meta, body, WHERE)
    except ContentError as exc:
        message = str(exc)
        if "unknown section" in message or "text before the first section" in message:
            message = "正文中不能使用二级标题（## …），请改用 ### 或加粗"
        raise ValidationFailed(f"内容不符合格式要求：{message}") from None
    for basis in _bases(content):
        problem = missing_article(basis)
        if problem:
            raise ValidationFailed(f"法律依据有误：{problem}", fields={"legal_basis": problem})
    return content, kind.listing(content)


def _bases(content: dict) -> list[dict]:
    """Return every legal basis in *content*: the item's own and each hazard row's (每月一警示)."""
    bases = list(content.get("legal_basis") or [])
    for hazard in content.get("hazards") or []:
        bases.extend(hazard.get("legal_basis") or [])
    return bases


def _case(form) -> tuple[dict, dict]:
    meta = {"title": form.title.data.strip(), "date": form.date.data, "industry": form.industry.data.strip(),
            "legal_basis": parse_basis_lines(form.legal_basis.data), "featured": bool(form.featured.data)}  # fmt: skip
    sections = {"基本案情": form.facts.data, "违法行为": form.violation.data, "处理结果": form.outcome.data, "以案释法": form.lesson.data}
    body = "\n\n".join(f"## {heading}\n\n{(text or '').strip()}" for heading, text in sections.items())
    return _parse("case", meta, body)


def _case_data(content: dict) -> dict:
    return {**{key: content[key] for key in ("title", "industry", "facts", "violation", "outcome", "lesson")},
            "date": date.fromisoformat(content["date"]), "featured": content.get("featured", False),
            "legal_basis": basis_lines(content["legal_basis"])}  # fmt: skip


def _penalty(form) -> tuple[dict, dict]:
    meta = {
        key: (getattr(form, key).data or "").strip()
        for key in ("decision_no", "party", "party_type", "industry", "violation_type", "penalty")
    }
    meta |= {
        "date": form.date.data,
        "legal_basis": parse_basis_lines(form.legal_basis.data),
        "amount_yuan": int(form.amount_yuan.data or 0),
    }
    return _parse("penalty", meta, form.violation.data or "")


def _penalty_data(content: dict) -> dict:
    return {**content, "date": date.fromisoformat(content["date"]), "amount_yuan": str(content["amount_yuan"]),
            "legal_basis": basis_lines(content["legal_basis"])}  # fmt: skip


def _warning(form) -> tuple[dict, dict]:
    hazards = []
    for entry in form.hazards.entries:
        row = entry.form
        if row.is_blank():
            continue
        hazards.append({"place_type": row.place_type.data.strip(), "hazard": row.hazard.data.strip(),
                        "legal_basis": parse_basis_lines(row.legal_basis.data),
                        "status": row.status.data, "result": row.result.data.strip()})  # fmt: skip
    meta = {"period": form.period.data.strip(), "theme": form.theme.data.strip(), "date": form.date.data, "hazards": hazards}
    return _parse("warning", meta, form.intro.data or "")


def _warning_data(content: dict) -> dict:
    return {"period": content["period"], "theme": content["theme"], "date": date.fromisoformat(content["date"]),
            "intro": content["intro"], "hazards": [hazard_row_data(hazard) for hazard in content["hazards"]]}  # fmt: skip


def _qa(form) -> tuple[dict, dict]:
    meta = {"question": form.question.data.strip(), "topic": form.topic.data.strip(), "date": form.date.data,
            "legal_basis": parse_basis_lines(form.legal_basis.data)}  # fmt: skip
    return _parse("qa", meta, form.answer.data or "")


def _qa_data(content: dict) -> dict:
    return {**content, "date": date.fromisoformat(content["date"]), "legal_basis": basis_lines(content["legal_basis"])}


def _news(form) -> tuple[dict, dict]:
    meta = {"title": form.title.data.strip(), "date": form.date.data, "event": (form.event.data or "").strip()}
    return _parse("news", meta, form.body.data or "")


def _news_data(content: dict) -> dict:
    return {**content, "date": date.fromisoformat(content["date"])}


def _preview(kind_name: str):
    kind = KINDS[kind_name]

    def render(item: Item | None, content: dict, listing: dict) -> str:
        # a stand-in that is never added to the session: the template reads uid, kind, period and summary
        shown = Item(uid=item.uid if item is not None else "preview", kind=kind.name, period=listing.get("period"),
                     title=listing.get("title", ""), summary=listing.get("summary", ""))  # fmt: skip
        return render_template(f"publicity/{kind.name}.html", kind=kind, item=shown, view=kind.view(content))

    return render


def _hazard_text(number: int, hazard: dict) -> str:
    basis = citations_text(hazard["legal_basis"])
    return f"{number}. {hazard['place_type']}\n隐患：{hazard['hazard']}\n依据：{basis}\n整改情况：{hazard['status']} {hazard['result']}"


def _labelled(labels: dict[str, str]):
    def fields(content: dict) -> list[tuple[str, str]]:
        result = []
        for key, label in labels.items():
            value = content.get(key)
            if key == "legal_basis":
                value = "\n".join(citations_text([basis]) + (f"：{basis['quote']}" if basis.get("quote") else "") for basis in value or [])
            elif key == "hazards":
                value = "\n\n".join(_hazard_text(number, hazard) for number, hazard in enumerate(value or [], start=1))
            result.append((label, "" if value is None else str(value)))
        return result

    return fields


#: Kind → (form, form → content, content → form data, menu order, compared fields as (content key, label)).
SPECS = {
    "case": (CaseForm, _case, _case_data, 10, {
        "title": "标题", "date": "日期", "industry": "行业", "featured": "首页推荐", "facts": "基本案情", "violation": "违法行为",
        "legal_basis": "法律依据", "outcome": "处理结果", "lesson": "以案释法"}),
    "penalty": (PenaltyForm, _penalty, _penalty_data, 20, {
        "decision_no": "决定书文号", "date": "作出日期", "party": "当事人", "industry": "行业", "violation_type": "违法行为类型",
        "violation": "违法事实", "legal_basis": "处罚依据", "penalty": "处罚内容", "amount_yuan": "罚款金额（元）"}),
    "warning": (WarningForm, _warning, _warning_data, 30, {
        "period": "月份", "theme": "主题", "date": "发布日期", "intro": "导语", "hazards": "典型隐患"}),
    "qa": (QAForm, _qa, _qa_data, 40, {"question": "问题", "topic": "主题", "date": "日期", "answer": "回答", "legal_basis": "法律依据"}),
    "news": (NewsForm, _news, _news_data, 50, {"title": "标题", "date": "日期", "event": "活动", "body": "正文"}),
}  # fmt: skip


def register() -> None:
    """Register the editors of 以案释法, 行政处罚公示, 每月一警示, 知识问答 and 工作动态."""
    for name, (form, to_content, to_form_data, order, labels) in SPECS.items():
        spec = EditorSpec(
            label=KINDS[name].label,
            form=form,
            to_content=to_content,
            to_form_data=to_form_data,
            render_preview=_preview(name),
            fields=_labelled(labels),
            form_template="publishing_staff/_warning_fields.html" if name == "warning" else "publishing_staff/_fields.html",
            public_url=item_path,
            order=order,
        )
        register_editor(name, spec)


register()
