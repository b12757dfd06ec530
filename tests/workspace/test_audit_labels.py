"""The audit-log browser shows states, roles and targets in Chinese (review finding: half the log was codes).

Before: 状态变化 ``draft → published`` / ``upcoming → open`` / ``— → draft``, 说明 ``ed1 角色 editor``
and ``复制自 competition:3（draft-one）``, 对象 ``competition:5``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from quizapp.accounts import services as accounts
from quizapp.contests import actions, admin
from quizapp.core.timeutil import utcnow
from quizapp.publishing import workflow
from tests.contests.staffing import known_bank, settings  # noqa: F401
from tests.publishing.helpers import make_item, pub_clock  # noqa: F401


def _cells(page: str) -> list[list[str]]:
    """Return the table's rows as lists of cell texts (tags stripped, whitespace collapsed)."""
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows]  # fmt: skip


def test_states_roles_and_competitions_are_shown_by_their_chinese_names(client, make_staff, login_as, known_bank, make_item):  # noqa: F811
    boss = make_staff("admin", username="boss", display_name="王局")
    now = utcnow()
    accounts.create_user("ed1", "小编", "Harbor-Quilt-5521", ["editor", "reviewer"], actor=boss.actor)
    source = admin.create_competition(settings(slug="draft-one", title="安全月竞赛", starts_at=now + timedelta(days=1),
                                               ends_at=now + timedelta(days=5)), boss.actor)  # fmt: skip
    actions.publish(source.id, boss.actor)
    actions.open_early(source.id, boss.actor)
    copy = actions.duplicate_competition(source.id, "draft-two", "安全月竞赛二", boss.actor)
    item = make_item(title="审计新闻", state="draft")
    workflow.submit(item.id, boss.actor)
    login_as(client, boss)
    rows = _cells(client.get("/staff/audit").get_data(as_text=True))
    by_action = {}
    for row in rows:
        by_action.setdefault(row[2], row)

    assert by_action["发布竞赛"][3:5] == ["《安全月竞赛》 （竞赛）", "草稿 → 已发布"]
    assert by_action["提前开始竞赛"][4] == "未开始 → 进行中"
    assert by_action["复制竞赛"][3] == "《安全月竞赛二》 （竞赛）"
    assert by_action["复制竞赛"][5].startswith("复制自 《安全月竞赛》（draft-one）")
    assert by_action["新建账号"][3:] == ["小编（ed1） （账号）", "", "ed1 角色 编辑、审核员"]
    assert by_action["新建"][3:5] == [f"{item.uid} （工作动态）", "— → 草稿"]  # a draft news item has no title yet
    assert by_action["提交审核"][4] == "草稿 → 待审核"
    page = client.get("/staff/audit").get_data(as_text=True)
    for code in ("draft → published", "upcoming → open", "competition:", "角色 editor"):
        assert code not in page
    assert copy.id != source.id


def test_the_subject_filter_finds_a_competition_by_its_title(client, make_staff, login_as, known_bank):  # noqa: F811
    boss = make_staff("admin", username="boss")
    now = utcnow()
    wanted = admin.create_competition(settings(slug="find-me", title="消防知识赛", starts_at=now + timedelta(days=1),
                                               ends_at=now + timedelta(days=5)), boss.actor)  # fmt: skip
    admin.create_competition(settings(slug="other", title="安全月竞赛", starts_at=now + timedelta(days=1),
                                      ends_at=now + timedelta(days=5)), boss.actor)  # fmt: skip
    actions.publish(wanted.id, boss.actor)
    login_as(client, boss)
    rows = _cells(client.get("/staff/audit?subject=消防知识").get_data(as_text=True))
    assert sorted(row[2] for row in rows) == ["发布竞赛", "新建竞赛"]
    assert {row[3] for row in rows} == {"《消防知识赛》 （竞赛）"}
