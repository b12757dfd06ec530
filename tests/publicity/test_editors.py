"""The publicity editors: forms obey the content-file rules, round-trip stored content, and name the row of an error."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quizapp.core.errors import ValidationFailed
from quizapp.publicity.forms import parse_basis_lines
from quizapp.publicity.loader import read_publicity
from quizapp.publishing.editors import editor_for, editors


def form_from(app, kind: str, data: dict):
    """Build the kind's form from POSTed *data* (CSRF is off in tests) and validate it."""
    spec = editor_for(kind)
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = spec.form()
        return form, form.validate()


def _value(field) -> str:
    if field.type == "SelectField":  # a browser always sends one of the options: the first when none is selected
        return str(field.data) if field.data is not None else field.choices[0].value
    return field._value()


def flatten(form) -> dict:
    """Return the POST body that *form* would send (``hazards-0-place_type`` …)."""
    data = {}
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                for sub in entry.form:
                    data[sub.name] = _value(sub)
        elif field.type == "BooleanField":
            if field.data:
                data[field.name] = "y"
        elif field.type not in ("SubmitField", "CSRFTokenField"):
            data[field.name] = _value(field)
    return data


def test_every_publicity_kind_has_an_editor(app):
    assert [kind for kind, _ in editors()][:5] == ["case", "penalty", "warning", "qa", "news"]


@pytest.mark.parametrize("folder", ["cases", "penalties", "warnings", "qa", "news"])
def test_each_starter_file_survives_the_form_unchanged(app, content_dir, folder):
    """Content → form data → POST → content gives back exactly the file's content (the same rules, nothing lost)."""
    entries = [entry for entry in read_publicity(content_dir) if entry.kind.folder == folder]
    assert entries
    for entry in entries:
        spec = editor_for(entry.kind.name)
        with app.test_request_context():
            body = flatten(spec.form(data=spec.to_form_data(entry.content)))
        form, ok = form_from(app, entry.kind.name, body)
        assert ok, (entry.name, form.errors)
        with app.test_request_context():
            content, listing = spec.to_content(form)
        assert content == entry.content, entry.name
        assert listing == entry.kind.listing(entry.content)


def test_a_persons_name_is_replaced_in_every_field_as_in_content_files(app):
    form, ok = form_from(app, "penalty", {
        "decision_no": "（长）应急罚〔2026〕7号", "date": "2026-05-06", "party": "张三丰", "party_type": "person",
        "industry": "建筑施工", "violation_type": "未持证上岗", "violation": "张三丰未取得特种作业证从事电焊作业。",
        "legal_basis": "安全生产法 30", "penalty": "罚款5000元", "amount_yuan": "5000",
    })  # fmt: skip
    assert ok, form.errors
    content, listing = editor_for("penalty").to_content(form)
    assert content["party"] == "张某"
    assert "张三丰" not in str(content) and "张三丰" not in str(listing)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("安全生产法 36", [{"law": "安全生产法", "article": 36}]),
        (
            "《消防法》第十六条：机关、团体应当履行下列消防安全职责",
            [{"law": "消防法", "article": 16, "quote": "机关、团体应当履行下列消防安全职责"}],
        ),
        ("\n安全生产法 第一百一十三条\n\n", [{"law": "安全生产法", "article": 113}]),
    ],
)
def test_legal_basis_lines(text, expected):
    assert parse_basis_lines(text) == expected


def test_a_bad_legal_basis_line_is_named():
    with pytest.raises(ValueError, match="第 2 行：未知法律“刑法”"):
        parse_basis_lines("安全生产法 36\n刑法 12")


def warning_post(**rows) -> dict:
    data = {"period": "2026-07", "theme": "高温作业", "date": "2026-06-28", "intro": ""}
    for index, row in rows.items():
        for key, value in row.items():
            data[f"hazards-{index}-{key}"] = value
    return data


def test_warning_rows_are_checked_one_by_one_and_blank_rows_ignored(app):
    good = {
        "place_type": "建筑工地",
        "hazard": "高温时段露天作业",
        "legal_basis": "安全生产法 44",
        "status": "已整改",
        "result": "调整作业时间",
    }
    missing = {"place_type": "仓库", "hazard": "", "legal_basis": "安全生产法 第三十六条", "status": "整改中", "result": ""}
    blank = {"place_type": "", "hazard": "", "legal_basis": "", "status": "已整改", "result": ""}
    bad_basis = {**good, "legal_basis": "安全生产法 44\n刑法 12"}
    form, ok = form_from(app, "warning", warning_post(**{"0": good, "1": missing, "2": blank, "3": bad_basis}))
    assert not ok
    assert form.row_errors[:2] == ["第 2 行：请填写隐患描述", "第 2 行：请填写整改结果"]
    assert form.row_errors[2].startswith("第 4 行：法律依据有误（第 2 行：未知法律“刑法”")
    assert len(form.row_errors) == 3
    assert form.hazards.entries[1].form.hazard.errors == ["第 2 行：请填写隐患描述"]


def test_a_warning_needs_one_filled_row_and_blank_rows_are_dropped(app):
    blank = {"place_type": "", "hazard": "", "legal_basis": "", "status": "已整改", "result": ""}
    form, ok = form_from(app, "warning", warning_post(**{"0": blank}))
    assert not ok and form.row_errors == ["请至少填写一行典型隐患"]
    basis = "安全生产法 第四十四条\n消防法 16：引文"
    good = {"place_type": "建筑工地", "hazard": "高温时段露天作业", "legal_basis": basis, "status": "已整改", "result": "调整作业时间"}
    form, ok = form_from(app, "warning", warning_post(**{"0": blank, "1": good}))
    assert ok, form.errors
    content, listing = editor_for("warning").to_content(form)
    bases = [{"law": "安全生产法", "article": 44}, {"law": "消防法", "article": 16, "quote": "引文"}]
    hazard = {"place_type": "建筑工地", "hazard": "高温时段露天作业", "status": "已整改", "result": "调整作业时间", "legal_basis": bases}
    assert content["hazards"] == [hazard]
    assert (listing["title"], listing["period"]) == ("2026年7月：高温作业", "2026-07")


def test_a_second_level_heading_in_a_case_section_is_a_clear_error(app):
    form, ok = form_from(app, "case", {
        "title": "案例", "date": "2026-05-01", "industry": "工贸", "legal_basis": "安全生产法 28",
        "facts": "事实\n\n## 插入的标题\n\n更多", "violation": "违法", "outcome": "结果", "lesson": "启示",
    })  # fmt: skip
    assert ok
    with pytest.raises(ValidationFailed, match="不能使用二级标题"):
        editor_for("case").to_content(form)


def test_the_preview_is_the_public_page_with_sanitised_markdown(app):
    spec = editor_for("news")
    content = {"title": "预览新闻", "date": "2026-06-01", "event": "", "body": "正文<script>alert(1)</script> **加粗**"}
    from quizapp.publicity.kinds import KINDS

    with app.test_request_context():
        html = spec.render_preview(None, content, KINDS["news"].listing(content))
    assert "<h1>预览新闻</h1>" in html and "<strong>加粗</strong>" in html
    assert "<script>alert" not in html
    assert 'class="site-nav"' in html  # the public layout, not the workspace's
