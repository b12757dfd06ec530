"""Competition administration services (quizapp.contests.admin, quizapp.contests.actions) and the paper rule check."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.bank.services import drawable_pool
from quizapp.content.sync import sync_content
from quizapp.contests import actions, admin
from quizapp.contests.admin import CompetitionSettings
from quizapp.contests.entrants import Entrant
from quizapp.contests.models import Attempt, Competition, PaperItem, Participant
from quizapp.contests.paper import PaperRuleError, select_questions
from quizapp.contests.paper_check import check_paper_rule, parse_difficulty
from quizapp.contests.services import start_attempt
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.extensions import db
from quizapp.publishing.models import AuditLog
from tests.contests.factories import count
from tests.contests.staffing import NOW, hours, known_bank, settings  # noqa: F401

ACTOR = "staff:7"


def audit_rows(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


@pytest.mark.parametrize(
    ("text", "levels"),
    [("", []), ("2", [2]), ("1,2", [1, 2]), ("1、3", [1, 3]), ("2-4", [2, 3, 4]), ("4，1 2", [1, 2, 4]), ("1-2,2-3", [1, 2, 3])],
)
def test_difficulty_accepts_lists_and_ranges(text, levels):
    assert parse_difficulty(text) == levels


@pytest.mark.parametrize("text", ["0", "6", "易", "3-1", "1-", "1-9"])
def test_difficulty_outside_one_to_five_is_refused_in_chinese(text):
    with pytest.raises(ValueError, match="难度请填写 1–5 的数字"):
        parse_difficulty(text)


@pytest.mark.parametrize(
    ("rule", "matching"),
    [
        ({"category": "安全生产法", "type": "single_choice", "count": 1}, 3),  # k-01..03; k-08 is inactive
        ({"category": "安全生产法", "count": 1}, 4),  # k-01..04; 安全生产法规汇编 is not under 安全生产法
        ({"category": "安全生产法/总则", "count": 1}, 2),
        ({"type": "true_false", "count": 1}, 2),  # k-05, k-06
        ({"difficulty": [1, 2], "count": 1}, 5),  # k-01, k-02, k-04, k-05, k-06
        ({"category": "消防法", "difficulty": [4], "count": 1}, 1),  # k-07
        ({"count": 1}, 7),
    ],
)
def test_live_count_is_the_number_of_active_questions_a_rule_matches(known_bank, rule, matching):  # noqa: F811
    check = admin.check_rule({"rules": [rule]})
    assert (check.rules[0].matching, check.rules[0].available, check.ok) == (matching, matching, True)


def test_a_rule_asking_for_more_than_match_is_an_error_naming_it(known_bank):  # noqa: F811
    check = admin.check_rule({"rules": [{"type": "true_false", "count": 1}, {"category": "消防法", "count": 3}]})
    assert not check.ok
    assert check.total == 4
    assert [count.ok for count in check.rules] == [True, False]
    assert check.errors == ["第 2 条规则（消防法 · 任意题型 · 任意难度）需要 3 道题，题库中只有 2 道符合"]


def test_overlapping_rules_in_an_order_that_can_fail_are_an_error(known_bank):  # noqa: F811
    broad_first = {"rules": [{"category": "安全生产法", "count": 2}, {"category": "安全生产法", "type": "single_choice", "count": 2}]}
    narrow_first = {"rules": [broad_first["rules"][1], broad_first["rules"][0]]}
    bad, good = admin.check_rule(broad_first), admin.check_rule(narrow_first)
    # Rule 1 may take 2 of the 3 单选 (min(2, |M1 ∩ M2| = 3)), leaving rule 2 only 1 of its 3.
    assert (bad.rules[1].matching, bad.rules[1].available) == (3, 1)
    assert "最多 2 道可能已被前面的规则抽走" in bad.errors[0]
    assert good.ok and (good.rules[1].matching, good.rules[1].available) == (4, 2)
    # The check is not overcautious: build_paper really fails for some seeds in the bad order only.
    pool = drawable_pool()

    def fails(rule, seed):
        try:
            select_questions(rule, pool, random.Random(seed))
        except PaperRuleError:
            return True
        return False

    assert any(fails(broad_first, seed) for seed in range(20))
    assert not any(fails(narrow_first, seed) for seed in range(20))


def test_fixed_papers_name_missing_inactive_and_repeated_questions(known_bank):  # noqa: F811
    check = admin.check_rule({"fixed": ["k-01", "k-08", "nope", "k-01"]})
    assert (check.total, check.found, check.missing, check.duplicates) == (4, 1, ["k-08", "nope"], ["k-01"])
    assert check.errors == ["以下题目不存在或已停用：k-08、nope", "以下题目重复出现：k-01"]


def test_a_rule_without_a_count_is_named():
    check = check_paper_rule({"rules": [{"category": "安全生产法", "count": 0}]}, [])
    assert check.errors == ["第 1 条规则需要填写题数（正整数）"]


def test_create_stores_utc_deduplicates_units_and_audits(known_bank):  # noqa: F811
    units = ["城南街道办事处", " 城南街道办事处 ", "", "区应急管理局", "城南街道办事处"]
    competition = admin.create_competition(settings(title="  安全生产月知识竞赛 ", organizations=units), ACTOR, now=NOW)
    db.session.expire_all()
    stored = db.session.get(Competition, competition.id)
    assert stored.title == "安全生产月知识竞赛"
    assert stored.organizations == ["城南街道办事处", "区应急管理局"]
    assert stored.starts_at == datetime(2026, 6, 10, 1, 0, tzinfo=UTC)
    assert stored.staff_edited_at == NOW
    assert stored.status_at(NOW) == "upcoming"
    [row] = audit_rows("competition_create")
    assert (row.actor, row.target) == (ACTOR, f"competition:{competition.id}")
    assert "2026-06-10 09:00 至 2026-06-20 18:00" in row.detail


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": datetime(2026, 6, 10, 1, 0, tzinfo=UTC)}, "ends_at", "结束时间须晚于开始时间"),
        ({"ends_at": datetime(2026, 6, 9, 1, 0, tzinfo=UTC)}, "ends_at", "结束时间须晚于开始时间"),
        ({"slug": "Bad Slug"}, "slug", "网址标识只能使用小写字母、数字和连字符"),
        ({"title": "  "}, "title", "请填写标题"),
        ({"organizations": [], "allow_other_organization": False}, "organizations", "请至少填写一个单位"),
        ({"organizations": ["其他"]}, "organizations", "“其他”不必写入列表"),
        ({"organizations": ["<b>甲</b>"]}, "organizations", "不能含有"),
        ({"audience": "everyone"}, "audience", "请选择参赛对象"),
        ({"time_limit_s": 0}, "time_limit_s", "答题限时须在 1 到 600 分钟之间"),
        ({"attempts_allowed": 0}, "attempts_allowed", "参赛次数须在 1 到 100 之间"),
        ({"pass_mark": float("nan")}, "pass_mark", "及格分数须在 0 到 10000 之间"),
        ({"default_points": {"single_choice": 0.0}}, "points_single_choice", "每题分值须在 0.5 到 100 之间"),
        ({"prize_winners": 0}, "prize_winners", "中奖人数须在 1 到 1000 之间"),
        ({"retention_days": None}, "retention_days", "请填写个人信息保存期限"),
        ({"retention_days": 181}, "retention_days", "个人信息保存期限须在 0 到 180 天之间"),
        ({"paper_rule": {"rules": [{"type": "fill_blank", "count": 2}]}}, "paper_rule",
         "第 1 条规则（全部分类 · 填空题 · 任意难度）需要 2 道题，题库中只有 1 道符合"),
    ],
)
def test_invalid_settings_are_refused_per_field_and_nothing_is_saved(known_bank, overrides, field, message):  # noqa: F811
    with pytest.raises(ValidationFailed) as caught:
        admin.create_competition(settings(**overrides), ACTOR, now=NOW)
    assert message in caught.value.fields[field]
    assert count(Competition) == 0
    assert audit_rows("competition_create") == []


def test_a_slug_in_use_is_refused_naming_the_owner(known_bank):  # noqa: F811
    admin.create_competition(settings(), ACTOR, now=NOW)
    with pytest.raises(ValidationFailed) as caught:
        admin.create_competition(settings(title="另一场"), ACTOR, now=NOW)
    assert caught.value.fields == {"slug": "网址标识 aqy-2026 已被「安全生产月知识竞赛」使用"}


def test_update_reports_changed_settings_and_a_repeat_changes_nothing(known_bank):  # noqa: F811
    competition = admin.create_competition(settings(), ACTOR, now=NOW)
    new = settings(title="新标题", ends_at=datetime(2026, 6, 21, 10, 0, tzinfo=UTC), pass_mark=70.0)
    assert admin.update_competition(competition.id, new, ACTOR, now=NOW + hours(1)) == ["title", "ends_at", "pass_mark"]
    assert admin.update_competition(competition.id, new, ACTOR, now=NOW + hours(2)) == []
    [row] = audit_rows("competition_update")
    assert row.detail == "修改：title, ends_at, pass_mark；时间 2026-06-10 09:00 至 2026-06-20 18:00 → 2026-06-10 09:00 至 2026-06-21 18:00"
    assert db.session.get(Competition, competition.id).staff_edited_at == NOW + hours(1)


def test_a_start_typed_to_the_minute_keeps_its_stored_seconds(known_bank):  # noqa: F811
    competition = admin.create_competition(settings(starts_at=datetime(2026, 6, 10, 1, 0, 42, tzinfo=UTC)), ACTOR, now=NOW)
    assert admin.update_competition(competition.id, settings(starts_at=datetime(2026, 6, 10, 1, 0, tzinfo=UTC)), ACTOR, now=NOW) == []


def published(settings_: CompetitionSettings, now: datetime = NOW) -> Competition:
    """Create a competition from *settings_* and publish it (new ones are drafts)."""
    return actions.publish(admin.create_competition(settings_, ACTOR, now=now).id, ACTOR, now=now)


def entrant(name: str = "张三", phone: str = "13800138000", group: str = "public") -> Entrant:
    return Entrant(name=name, phone=phone, organization="区应急管理局", group=group, consent=True)


def test_editing_the_rule_of_a_competition_with_attempts_keeps_existing_papers(known_bank):  # noqa: F811
    competition = published(settings(starts_at=NOW - hours(1)))
    first, _ = start_attempt(competition.id, entrant(), now=NOW)
    pinned = [(item.position, item.question_version_id, item.points) for item in first.items]
    assert len(pinned) == 3
    admin.update_competition(competition.id, settings(starts_at=NOW - hours(1), paper_rule={"fixed": ["k-07"]},
                                                      default_points={"fill_blank": 5.0}), ACTOR, now=NOW)  # fmt: skip
    db.session.expire_all()
    kept = db.session.scalars(select(PaperItem).where(PaperItem.attempt_id == first.id).order_by(PaperItem.position))
    assert [(item.position, item.question_version_id, item.points) for item in kept] == pinned
    second, _ = start_attempt(competition.id, entrant("李四", "13900139000"), now=NOW)
    assert [(item.version.question.uid, item.points) for item in second.items] == [("k-07", 5.0)]


def test_duplicate_copies_settings_moves_the_window_by_whole_weeks_and_has_no_participants(known_bank):  # noqa: F811
    source = published(settings(starts_at=NOW - hours(1), prize_description="纪念品", prize_winners=3))
    start_attempt(source.id, entrant(), now=NOW)
    later = NOW + timedelta(days=12)  # 12 days after the start: the copy moves 2 weeks
    copy = actions.duplicate_competition(source.id, "aqy-2026-b", "第二场", ACTOR, now=later)
    db.session.expire_all()
    copy = db.session.get(Competition, copy.id)
    assert copy.starts_at == NOW - hours(1) + timedelta(weeks=2)
    assert copy.ends_at == datetime(2026, 6, 20, 10, 0, tzinfo=UTC) + timedelta(weeks=2)
    assert copy.status_at(later) == "upcoming"
    assert (copy.slug, copy.title, copy.source_hash, copy.staff_edited_at) == ("aqy-2026-b", "第二场", "", later)
    kept = ("organizations", "paper_rule", "default_points", "attempts_allowed", "time_limit_s", "prize_description", "prize_winners",
            "retention_days")
    assert all(getattr(copy, name) == getattr(source, name) for name in kept)
    assert db.session.scalars(select(Participant).where(Participant.competition_id == copy.id)).all() == []
    [row] = audit_rows("competition_duplicate")
    assert (row.target, row.detail.split("，")[0]) == (f"competition:{copy.id}", f"复制自 competition:{source.id}（aqy-2026）")


def test_duplicate_suggests_a_free_slug_and_refuses_a_taken_one(known_bank):  # noqa: F811
    source = admin.create_competition(settings(), ACTOR, now=NOW)
    assert actions.suggest_copy(source.id) == ("aqy-2026-copy", "安全生产月知识竞赛（副本）")
    actions.duplicate_competition(source.id, "aqy-2026-copy", "副本", ACTOR, now=NOW)
    assert actions.suggest_copy(source.id)[0] == "aqy-2026-copy-2"
    with pytest.raises(ValidationFailed) as caught:
        actions.duplicate_competition(source.id, "aqy-2026-copy", "副本", ACTOR, now=NOW)
    assert caught.value.fields == {"slug": "网址标识 aqy-2026-copy 已被「副本」使用"}
    assert count(Competition) == 2


def test_a_future_window_is_kept_by_a_duplicate():
    start, end = datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 7, 2, tzinfo=UTC)
    assert actions.shifted_window(start, end, NOW) == (start, end)
    assert actions.shifted_window(NOW, None, NOW) == (NOW + timedelta(weeks=1), None)


def test_open_early_moves_the_start_to_now_once_and_audits(known_bank):  # noqa: F811
    competition = admin.create_competition(settings(), ACTOR, now=NOW)
    actions.open_early(competition.id, ACTOR, now=NOW)
    db.session.expire_all()
    stored = db.session.get(Competition, competition.id)
    assert (stored.starts_at, stored.status_at(NOW)) == (NOW, "open")
    [row] = audit_rows("competition_open_early")
    assert (row.target, row.from_state, row.to_state) == (f"competition:{competition.id}", "upcoming", "open")
    assert row.detail == "开始时间由 2026-06-10 09:00 提前到 2026-06-01 09:00；仍是草稿（未发布），公众看不到"  # created as a draft
    with pytest.raises(Conflict, match="已经开始或已经结束"):
        actions.open_early(competition.id, ACTOR, now=NOW + hours(1))
    assert len(audit_rows("competition_open_early")) == 1


def test_close_early_moves_the_end_to_now_and_caps_open_attempts(known_bank):  # noqa: F811
    competition = published(settings(starts_at=NOW - hours(1)))
    with pytest.raises(Conflict, match="尚未开始"):
        actions.close_early(admin.create_competition(settings(slug="later"), ACTOR, now=NOW).id, ACTOR, now=NOW)
    attempt, _ = start_attempt(competition.id, entrant(), now=NOW)
    assert attempt.deadline_at == NOW + timedelta(seconds=600)
    closed_at = NOW + timedelta(minutes=2)
    actions.close_early(competition.id, ACTOR, now=closed_at)
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).ends_at == closed_at
    assert db.session.get(Attempt, attempt.id).deadline_at == closed_at
    [row] = audit_rows("competition_close_early")
    assert (row.from_state, row.to_state) == ("open", "closed")
    assert row.detail == "结束时间由 2026-06-20 18:00 提前到 2026-06-01 09:02；进行中的答题 1 次按已保存答案交卷"
    with pytest.raises(Conflict, match="竞赛已经结束"):
        actions.close_early(competition.id, ACTOR, now=closed_at + hours(1))


def test_a_one_group_competition_refuses_the_other_group(known_bank):  # noqa: F811
    competition = published(settings(starts_at=NOW - hours(1), audience="practitioner"))
    with pytest.raises(ValidationFailed) as caught:
        start_attempt(competition.id, entrant(group="public"), now=NOW)
    assert caught.value.fields == {"group": "本竞赛仅面向从业人员"}
    assert start_attempt(competition.id, entrant(group="practitioner"), now=NOW)[0].id


def test_participant_and_attempt_counts_of_the_list(known_bank):  # noqa: F811
    competition = published(settings(starts_at=NOW - hours(1), attempts_allowed=2))
    other = admin.create_competition(settings(slug="other"), ACTOR, now=NOW)
    first, _ = start_attempt(competition.id, entrant(), now=NOW)
    db.session.execute(Attempt.__table__.update().where(Attempt.id == first.id).values(status="submitted"))
    db.session.commit()
    start_attempt(competition.id, entrant(), now=NOW)
    start_attempt(competition.id, entrant("李四", "13900139000"), now=NOW)
    counts = {row.competition.id: (row.participants, row.attempts) for row in admin.competition_rows()}
    assert counts == {competition.id: (2, 3), other.id: (0, 0)}


# Content sync and staff edits ------------------------------------------------------------


@pytest.fixture
def content_copy(tmp_path, content_dir):
    """A writable copy of the starter content."""
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


def test_sync_reports_a_conflict_instead_of_overwriting_a_staff_edit(app, content_copy):
    sync_content(content_copy)
    competition = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    edited = admin.replace_settings(admin.CompetitionSettings.of(competition), title="工作台改过的标题")
    admin.update_competition(competition.id, edited, ACTOR)
    assert sync_content(content_copy).competitions == {"unchanged": 2}  # the same file is no conflict
    path = content_copy / "competitions" / "aqsf_2026.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 2026年安全生产法律法规知识竞赛", "title: 文件里的新标题"), encoding="utf-8")
    upcoming = content_copy / "competitions" / "xiaofang_2026_upcoming.yaml"
    upcoming.write_text(upcoming.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 70"), encoding="utf-8")
    report = sync_content(content_copy)
    assert report.competitions == {"conflict": 1, "updated": 1}
    assert report.conflicts == ["aqsf_2026.yaml: competition aqsf-2026 was edited by staff in the workspace; the file was not loaded"]
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).title == "工作台改过的标题"
    assert db.session.scalar(select(Competition.pass_mark).where(Competition.slug == "xiaofang-2026-upcoming")) == 70


def test_the_sync_command_prints_the_conflict(app, runner, content_copy):
    sync_content(content_copy)
    competition = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    admin.update_competition(competition.id, admin.replace_settings(admin.CompetitionSettings.of(competition), pass_mark=50.0), ACTOR)
    path = content_copy / "competitions" / "aqsf_2026.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: 65"), encoding="utf-8")
    result = runner.invoke(args=["content", "sync", "--directory", str(content_copy)])
    assert result.exit_code == 0
    assert "competitions: conflict 1, unchanged 1" in result.output
    assert "conflict: aqsf_2026.yaml: competition aqsf-2026 was edited by staff" in result.output
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).pass_mark == 50


def test_the_draw_defaults_to_the_competitions_prize_threshold(app, clock):
    from quizapp.contests import draws
    from tests.contests.people import make_competition, make_people

    competition = make_competition(clock.now)
    make_people(competition, clock.now)
    assert draws.preview_draw(competition.id, winners=3, seed="s").entries == [12, 14, 15, 16, 17]  # pass mark 60
    competition.prize_threshold = 90.0
    db.session.commit()
    result = draws.preview_draw(competition.id, winners=3, seed="s")
    # tests.contests.people: 李四 90 (attempt 12) and 孙八 100 (17) reach 90; 张三 80 (16) does not.
    assert (result.threshold, result.entries) == (90.0, [12, 17])
    assert draws.preview_draw(competition.id, winners=3, seed="s", threshold=55).entries == [12, 13, 14, 15, 16, 17]


def test_an_update_based_on_an_old_version_is_refused(known_bank):  # noqa: F811
    competition = admin.create_competition(settings(), ACTOR, now=NOW)
    version = admin.settings_version(competition)
    assert admin.update_competition(competition.id, settings(pass_mark=70.0), ACTOR, now=NOW, based_on=version) == ["pass_mark"]
    with pytest.raises(Conflict) as caught:
        admin.update_competition(competition.id, settings(pass_mark=80.0), ACTOR, now=NOW, based_on=version)
    assert caught.value.code == "edit_conflict"
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).pass_mark == 70


def test_competition_files_may_set_audience_and_prize(app, content_copy):
    path = content_copy / "competitions" / "xiaofang_2026_upcoming.yaml"
    extra = "audience: practitioner\nprize: {description: 灭火器一具, threshold: 90, winners: 5}\n"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    sync_content(content_copy)
    stored = db.session.scalar(select(Competition).where(Competition.slug == "xiaofang-2026-upcoming"))
    prize = (stored.prize_description, stored.prize_threshold, stored.prize_winners)
    assert (stored.audience, prize) == ("practitioner", ("灭火器一具", 90.0, 5))
    plain = db.session.scalar(select(Competition).where(Competition.slug == "aqsf-2026"))
    assert (plain.audience, plain.prize_description, plain.prize_threshold) == ("all", "", None)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("audience: everyone\n", "audience must be one of all, public, practitioner"),
        ("prize: {threshold: -1}\n", "prize.threshold must be a score"),
        ("prize: {winners: 0}\n", "prize.winners must be a whole number"),
        ("prize: 一等奖\n", "prize must be a mapping"),
    ],
)
def test_bad_audience_or_prize_in_a_file_is_a_content_error(app, content_copy, extra, message):
    from quizapp.content.banks import ContentError

    path = content_copy / "competitions" / "xiaofang_2026_upcoming.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ContentError, match=f"xiaofang_2026_upcoming.yaml: {message}"):
        sync_content(content_copy)
