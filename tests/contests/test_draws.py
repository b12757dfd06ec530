"""Prize draws: the documented algorithm, one entry per person, threshold, refusals, the CLI.

Expected winners were computed by hand with ``sha256sum`` (docs/prize-draw.md), e.g.
``printf '%s' '2026安全月:16' | sha256sum`` → ``18d835e3…``. Tickets of the entries
(best attempts scoring ≥ 60: 12, 14, 15, 16, 17) for seed ``2026安全月``::

    16 18d835e3d003d990…   17 261960d2e86c17a8…   12 8a2b440fdf71169c…
    15 c9fe2e5ec59c658a…   14 ff2ee92ce44a062b…

Not entries: 11 (张三's weaker attempt, ticket 59c21e59…) and 13 (王五, 55 points,
ticket 202b1508…) — either would have won a place had the rules been broken.
For seed ``other-seed``: 14 2525…, 16 427c…, 17 63af…, 12 73dc…, 15 7ac5….
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.contests import draws
from quizapp.contests.models import PrizeDraw
from quizapp.core.errors import Conflict, ValidationFailed
from quizapp.extensions import db
from tests.contests.people import audit_rows, make_competition, make_people

SEED = "2026安全月"


@pytest.fixture
def closed(app, clock):
    """A competition that closed yesterday, with the six people of :data:`tests.contests.people.PEOPLE`."""
    competition = make_competition(clock.now)
    make_people(competition, clock.now)
    return competition


def winner_ids(result) -> list[int]:
    return [winner.attempt_id for winner in result.winners]


def test_tickets_are_sha256_of_seed_colon_attempt_id():
    assert draws.ticket(SEED, 16) == "18d835e3d003d990165c8decf9380074537ab4b8fe2ee321877209d6bb496c8e"
    assert draws.ticket("other-seed", 14) == "2525367437d3a8308ed62e0d27e5852cc05962ece5cf105475eaaf87e990bc3a"


def test_same_seed_gives_the_hand_computed_winners_every_time(closed):
    first = draws.preview_draw(closed.id, winners=3, seed=SEED)
    second = draws.preview_draw(closed.id, winners=3, seed=SEED)

    assert winner_ids(first) == winner_ids(second) == [16, 17, 12]
    assert [(w.rank, w.name, w.phone, w.score) for w in first.winners] == [
        (1, "张*", "138****8000", 80),
        (2, "孙*", "133****3000", 100),
        (3, "李*", "139****9000", 90),
    ]
    assert first.winners[0].ticket.startswith("18d835e3")


def test_another_seed_draws_other_winners(closed):
    assert winner_ids(draws.preview_draw(closed.id, winners=3, seed="other-seed")) == [14, 16, 17]


def test_one_entry_per_person_their_best_attempt_at_or_above_the_threshold(closed):
    result = draws.preview_draw(closed.id, winners=3, seed=SEED)

    # 11 is 张三's weaker attempt, 18 孙八's, 13 王五's 55 points (< pass mark 60); 15 has exactly 60.
    assert result.entries == [12, 14, 15, 16, 17]
    assert result.threshold == 60


def test_a_lower_threshold_lets_the_55_point_entry_in(closed):
    result = draws.preview_draw(closed.id, winners=3, seed=SEED, threshold=55)

    assert result.entries == [12, 13, 14, 15, 16, 17]
    assert winner_ids(result) == [16, 13, 17]


def test_the_competitions_prize_threshold_is_the_default(closed):
    closed.prize_threshold = 55
    db.session.commit()

    result = draws.preview_draw(closed.id, winners=3, seed=SEED)

    assert (result.threshold, result.entries) == (55, [12, 13, 14, 15, 16, 17])
    assert draws.preview_draw(closed.id, winners=3, seed=SEED, threshold=60).entries == [12, 14, 15, 16, 17]


def test_more_winners_than_entries_gives_every_entry_in_draw_order(closed):
    assert winner_ids(draws.preview_draw(closed.id, winners=10, seed=SEED)) == [16, 17, 12, 15, 14]


def test_recorded_draw_keeps_entries_winners_and_an_audit_row(closed, clock):
    result = draws.run_draw(closed.id, winners=2, seed=SEED, prize="一等奖", actor="staff:7", now=clock.now)

    stored = db.session.scalar(select(PrizeDraw))
    assert (stored.prize, stored.seed, stored.threshold, stored.created_by) == ("一等奖", SEED, 60, "staff:7")
    assert stored.entries == [12, 14, 15, 16, 17]
    assert [(row["rank"], row["attempt_id"]) for row in stored.winners] == [(1, 16), (2, 17)]
    assert "name" not in stored.winners[0]  # names are read (masked) from the participant, never copied
    assert result.draw.id == stored.id
    [(actor, target, detail)] = audit_rows("draw")
    assert (actor, target) == ("staff:7", f"competition:{closed.id}")
    assert SEED in detail and "16,17" in detail and "张" not in detail


def test_a_second_draw_of_the_same_prize_is_refused_but_another_prize_may_be_drawn(closed, clock):
    draws.run_draw(closed.id, winners=1, seed=SEED, actor="staff:1", now=clock.now)

    with pytest.raises(Conflict) as refused:
        draws.run_draw(closed.id, winners=1, seed="again", actor="staff:1", now=clock.now)
    assert refused.value.code == "draw_exists" and "幸运奖" in refused.value.message

    draws.run_draw(closed.id, winners=1, seed=SEED, prize="二等奖", actor="staff:1", now=clock.now)
    assert [d.prize for d in db.session.scalars(select(PrizeDraw).order_by(PrizeDraw.id))] == ["幸运奖", "二等奖"]
    assert len(audit_rows("draw")) == 2


def test_the_database_refuses_a_duplicate_prize_row(closed, clock):
    from sqlalchemy.exc import IntegrityError

    values = {"competition_id": closed.id, "prize": "幸运奖", "threshold": 60, "winners_requested": 1, "seed": "x", "created_by": "t"}
    db.session.add(PrizeDraw(**values))
    db.session.commit()
    db.session.add(PrizeDraw(**values))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_recording_waits_until_the_competition_closes(app, clock):
    competition = make_competition(clock.now, closed=False)
    make_people(competition, clock.now)

    with pytest.raises(Conflict) as refused:
        draws.run_draw(competition.id, winners=1, seed=SEED, actor="staff:1", now=clock.now)

    assert refused.value.code == "draw_before_close"
    assert winner_ids(draws.preview_draw(competition.id, winners=1, seed=SEED)) == [16]
    assert db.session.scalar(select(PrizeDraw)) is None


def test_no_entries_and_bad_inputs_are_refused_with_the_field(closed, clock):
    with pytest.raises(ValidationFailed) as empty:
        draws.run_draw(closed.id, winners=1, seed=SEED, threshold=101, actor="staff:1", now=clock.now)
    assert empty.value.code == "no_entries"
    with pytest.raises(ValidationFailed) as bad:
        draws.preview_draw(closed.id, winners=0, seed="  ", prize="奖" * 61)
    assert set(bad.value.fields) == {"winners", "seed", "prize"}


def test_published_page_lists_winners_masked_with_seed_and_entries(closed, clock, client):
    draws.run_draw(closed.id, winners=2, seed=SEED, actor="staff:1", now=clock.now)

    page = client.get(f"/competitions/{closed.id}/draws").get_data(as_text=True)

    assert "张*" in page and "孙*" in page and "138****8000" in page
    assert "张三" not in page and "13800138000" not in page and "李*" not in page
    assert SEED in page and "12 14 15 16 17" in page


def test_no_draw_yet_shows_an_empty_page(closed, client):
    page = client.get(f"/competitions/{closed.id}/draws")
    assert page.status_code == 200 and "尚未抽奖" in page.get_data(as_text=True)
    assert client.get("/competitions/999/draws").status_code == 404


# ---- the command line -------------------------------------------------------------------------


def test_cli_dry_run_prints_the_same_winners_twice_and_records_nothing(closed, runner):
    args = ["contests", "draw", str(closed.id), "--winners", "3", "--seed", SEED, "--dry-run"]
    first, second = runner.invoke(args=args), runner.invoke(args=args)

    assert first.exit_code == 0, first.output
    assert first.output == second.output
    lines = first.output.splitlines()
    assert "5 人符合条件，抽取 3 人" in lines[0]
    assert [line.split()[:4] for line in lines[1:4]] == [
        ["1.", "答题", "#16", "张*"],
        ["2.", "答题", "#17", "孙*"],
        ["3.", "答题", "#12", "李*"],
    ]
    assert lines[-1] == "预览（--dry-run），未记录"
    assert db.session.scalar(select(PrizeDraw)) is None and audit_rows("draw") == []


def test_cli_json_shape(closed, runner):
    args = ["contests", "draw", str(closed.id), "--winners", "2", "--seed", SEED, "--threshold", "55", "--json", "--dry-run"]
    result = runner.invoke(args=args)

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document == {
        "competition_id": closed.id,
        "prize": "幸运奖",
        "threshold": 55.0,
        "seed": SEED,
        "winners_requested": 2,
        "algorithm": "sha256(seed:attempt_id) ascending",
        "entry_count": 6,
        "entries": [12, 13, 14, 15, 16, 17],
        "recorded": False,
        "draw_id": None,
        "winners": [
            {"rank": 1, "attempt_id": 16, "name": "张*", "phone": "138****8000", "score": 80.0, "ticket": draws.ticket(SEED, 16)},
            {"rank": 2, "attempt_id": 13, "name": "王*", "phone": "137****7000", "score": 55.0, "ticket": draws.ticket(SEED, 13)},
        ],
    }


def test_cli_records_once_then_refuses_with_exit_status_1(closed, runner):
    args = ["contests", "draw", str(closed.id), "--winners", "1", "--seed", SEED, "--prize", "特等奖"]
    recorded = runner.invoke(args=args)
    again = runner.invoke(args=args)

    assert recorded.exit_code == 0, recorded.output
    assert recorded.output.splitlines()[-1] == f"已记录为抽奖 #{db.session.scalar(select(PrizeDraw.id))}"
    assert again.exit_code == 1 and "特等奖" in again.output and "不能重复抽取" in again.output
    assert [actor for actor, _, _ in audit_rows("draw")] == ["system:cli"]


def test_cli_errors_exit_1_for_refusals_and_2_for_bad_options(closed, runner):
    assert runner.invoke(args=["contests", "draw", "999", "--winners", "1", "--seed", "x"]).exit_code == 1
    assert runner.invoke(args=["contests", "draw", str(closed.id), "--winners", "0", "--seed", "x"]).exit_code == 2
    assert runner.invoke(args=["contests", "draw", str(closed.id), "--winners", "1"]).exit_code == 2


def test_draws_after_erasure_keep_their_list_and_show_the_erased_winner_as_erased(closed, clock, client):
    from quizapp.contests.erasure import erase_participant

    result = draws.run_draw(closed.id, winners=1, seed=SEED, actor="staff:1", now=clock.now)
    erase_participant(result.winners[0].participant_id, actor="staff:1", reason="本人申请", now=clock.now + timedelta(hours=1))

    [shown] = draws.recorded_draws(closed.id)
    assert [(w.attempt_id, w.name, w.phone) for w in shown.winners] == [(16, "已删除", "已删除")]
    # An erased person no longer enters new draws (nobody could hand them a prize).
    assert draws.preview_draw(closed.id, winners=5, seed=SEED).entries == [12, 14, 15, 17]


def test_end_to_end_taken_competition_drawn_and_re_run_to_the_same_winners(client, competition, clock, runner):
    from tests.contests.factories import answer_all, start, submit

    people = [("张三", "13800138000", 0), ("李四", "13900139000", 1), ("王五", "13700137000", 20)]
    for name, phone, wrong in people:
        attempt = start(client, competition, name=name, phone=phone)
        answer_all(client, attempt, wrong=wrong)
        submit(client, attempt)
    clock.advance(91 * 86400)  # the starter competition ends 90 days after loading
    args = ["contests", "draw", str(competition.id), "--winners", "2", "--seed", "e2e", "--json"]

    recorded = json.loads(runner.invoke(args=args).output)
    rerun = json.loads(runner.invoke(args=[*args, "--dry-run"]).output)

    assert recorded["recorded"] is True and rerun["recorded"] is False
    assert rerun["winners"] == recorded["winners"] and len(recorded["winners"]) == 2
    # 王五 answered everything wrong (0 points < 60): two entries, both win, in ticket order.
    entries = recorded["entries"]
    assert len(entries) == 2
    assert [w["attempt_id"] for w in recorded["winners"]] == sorted(entries, key=lambda a: draws.ticket("e2e", a))
    assert {w["name"] for w in recorded["winners"]} == {"张*", "李*"}


@pytest.mark.parametrize("prize", ["<img src=x onerror=alert(1)>", "一等奖\u202e", "\u200b"])
def test_prize_names_follow_the_name_rules_since_they_are_published(closed, clock, prize):
    # found by review: markup-like prize names were accepted and published on the winners page
    with pytest.raises(ValidationFailed) as refused:
        draws.run_draw(closed.id, winners=1, seed=SEED, prize=prize, actor="staff:1", now=clock.now)
    assert "prize" in refused.value.fields
    assert db.session.scalar(select(PrizeDraw.id)) is None
