"""A natural person's penalty disclosure never shows their full name: not in the party, the body, the summary or the search text."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.privacy.names import surname_pseudonym
from quizapp.publicity.loader import sync_publicity
from quizapp.publishing.services import find_item

PERSON_PENALTY = """---
id: penalty-2026-900
decision_no: (长)应急罚〔2026〕900号
date: '2026-04-02'
party: 李卫东
party_type: person
industry: 餐饮
violation_type: 使用燃气未安装可燃气体报警装置
legal_basis:
- {law: 安全生产法, article: 99}
penalty: 对李卫东罚款人民币叁仟元。
amount_yuan: 3000
---
经查，李卫东经营的个体餐饮店后厨使用瓶装液化石油气，未安装可燃气体报警装置。李卫东当场承认上述事实。
"""


@pytest.mark.parametrize(("name", "pseudonym"), [("王建国", "王某"), ("张三", "张某"), ("欧阳娜娜", "欧阳某"), ("李", "李某")])
def test_a_pseudonym_is_the_surname_and_某_whatever_the_length(name, pseudonym):
    assert surname_pseudonym(name) == pseudonym


def test_the_full_name_is_scrubbed_from_every_field_and_the_search_text(app, pub_clock, tmp_path: Path, client):
    (tmp_path / "penalties").mkdir()
    (tmp_path / "penalties" / "2026-900.md").write_text(PERSON_PENALTY, encoding="utf-8")
    sync_publicity(tmp_path)
    item = find_item("penalty-2026-900")
    content = item.live_revision.content
    assert content["party"] == "李某"
    assert content["violation"].startswith("经查，李某经营的") and "李某当场承认" in content["violation"]
    assert content["penalty"] == "对李某罚款人民币叁仟元。"
    for text in (item.title, item.summary, item.body_text, item.search_text, str(content), str(item.live_revision.listing)):
        assert "李卫东" not in text and "卫东" not in text
    page = client.get("/penalties/penalty-2026-900").get_data(as_text=True)
    assert "李卫东" not in page and "李某" in page
