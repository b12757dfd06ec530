"""Competition statistics against values computed by hand on the sample of :func:`sample_competition`."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from quizapp.contests.statistics import (
    Participation,
    ScoreBin,
    competition_statistics,
    participation_by_group,
    participation_by_organization,
    question_statistics,
    score_distribution,
)
from quizapp.core.errors import NotFound
from quizapp.extensions import db
from tests.contests.sittings import make_competition, make_participant, make_version, sample_competition, sit


@pytest.fixture
def sample(app):
    """The hand-computed sample competition."""
    return sample_competition()


def test_facility_and_discrimination_match_the_hand_computed_values(sample):
    # First submitted attempts only (E's better second try is left out; F never submitted):
    #           Q1 Q2 Q3 | total T
    #     A     1  0  2  | 3
    #     B     1  0  1  | 2      (Q3: half marks, not correct)
    #     C     1  1  2  | 4
    #     D     0  1  0  | 1
    #     E     0  1  0  | 1
    # Facility F = Σx / Σmax.  Discrimination D = 100·r(x, X), X = T − x (rest of test), sample (n−1)
    # moments; the (n−1) cancels, so r = Σdx·dX / √(Σdx²·ΣdX²) with deviations from the means.
    #
    # Q1: x = [1,1,1,0,0], X = [2,1,3,1,1]; x̄ = 0.6, X̄ = 1.6
    #     dx = [.4,.4,.4,−.6,−.6], dX = [.4,−.6,1.4,−.6,−.6]
    #     Σdx·dX = .16 − .24 + .56 + .36 + .36 = 1.2;  Σdx² = 1.2;  ΣdX² = .16+.36+1.96+.36+.36 = 3.2
    #     r = 1.2 / √3.84 = 0.612372 → D = 61.24;  F = 3/5 = 0.6;  correct 3/5
    # Q2: x = [0,0,1,1,1], X = [3,2,3,0,0]; x̄ = 0.6, X̄ = 1.6
    #     dx = [−.6,−.6,.4,.4,.4], dX = [1.4,.4,1.4,−1.6,−1.6]
    #     Σdx·dX = −.84 − .24 + .56 − .64 − .64 = −1.8;  Σdx² = 1.2;  ΣdX² = 1.96+.16+1.96+2.56+2.56 = 9.2
    #     r = −1.8 / √11.04 = −0.541736 → D = −54.17 (flagged);  F = 0.6;  correct 3/5
    # Q3: x = [2,1,2,0,0], X = [1,1,2,1,1]; x̄ = 1.0, X̄ = 1.2
    #     dx = [1,0,1,−1,−1], dX = [−.2,−.2,.8,−.2,−.2]
    #     Σdx·dX = −.2 + 0 + .8 + .2 + .2 = 1.0;  Σdx² = 4;  ΣdX² = .04·4 + .64 = .8
    #     r = 1 / √3.2 = 0.559017 → D = 55.90;  F = 5/10 = 0.5;  correct 2/5 (B's half marks are not correct)
    stats = {row.uid: row for row in question_statistics(sample["competition"].id)}

    assert sorted(stats) == ["Q1", "Q2", "Q3"]
    assert [stats[uid].attempts for uid in ("Q1", "Q2", "Q3")] == [5, 5, 5]
    assert stats["Q1"].facility == pytest.approx(0.6)
    assert stats["Q1"].share_correct == pytest.approx(0.6)
    assert stats["Q1"].discrimination == pytest.approx(61.2372, abs=1e-4)
    assert stats["Q2"].facility == pytest.approx(0.6)
    assert stats["Q2"].discrimination == pytest.approx(-54.1736, abs=1e-4)
    assert stats["Q3"].facility == pytest.approx(0.5)
    assert stats["Q3"].share_correct == pytest.approx(0.4)
    assert stats["Q3"].discrimination == pytest.approx(55.9017, abs=1e-4)
    assert stats["Q3"].mean_points == pytest.approx(1.0)
    assert stats["Q3"].max_points == pytest.approx(2.0)
    assert stats["Q3"].sd_points == pytest.approx(math.sqrt(4 / 4))  # Σdx² / (n − 1) = 4 / 4
    assert stats["Q2"].flags == ["区分度为负：成绩好的人反而答错，请检查答案"]
    assert stats["Q1"].flags == [] and stats["Q3"].flags == []


def test_an_item_everyone_got_right_has_no_discrimination_and_is_flagged_easy(app):
    # Q (1 pt) right for all three; R (1 pt) right for one: Var(Q) = 0, so D(Q) is undefined.
    competition = make_competition("全对", datetime(2026, 5, 1, tzinfo=UTC))
    q, r = make_version("Q"), make_version("R")
    for index, r_mark in enumerate((1, 0, 0)):
        person = make_participant(competition, f"人{index}", f"1390000000{index}")
        sit(person, [(q, 1), (r, r_mark)], competition.starts_at, 60)
    db.session.commit()

    stats = {row.uid: row for row in question_statistics(competition.id)}

    assert stats["Q"].facility == 1.0 and stats["Q"].discrimination is None
    assert stats["Q"].flags == ["几乎人人答对：区分作用很小"]
    # R: x = [1,0,0], X = [1,1,1] (Q's marks): Var(X) = 0, so undefined as well.
    assert stats["R"].discrimination is None
    assert stats["R"].facility == pytest.approx(1 / 3)


def test_versions_of_one_question_are_analysed_apart(app):
    competition = make_competition("两版", datetime(2026, 5, 1, tzinfo=UTC))
    first = make_version("V")
    second = make_version("V", number=2, question=first.question)
    other = make_version("W")
    for index, (version, mark) in enumerate(((first, 0), (first, 0), (second, 1), (second, 1))):
        person = make_participant(competition, f"人{index}", f"1370000000{index}")
        sit(person, [(version, mark), (other, 1)], competition.starts_at, 60)
    db.session.commit()

    rows = [(row.uid, row.version_number, row.attempts, row.facility) for row in question_statistics(competition.id)]

    assert rows == [("V", 1, 2, 0.0), ("V", 2, 2, 1.0), ("W", 1, 4, 1.0)]


def test_participation_by_organization_and_group(sample):
    competition = sample["competition"]

    # 甲单位: A(3) B(2) E(best 4) → 3 people, 4 attempts (E twice), mean best 3.0, all passed (pass mark 2).
    # 乙单位: C(4) and F (open, no result) → 2 people, 2 attempts, mean 4.0, 1 passed.
    # 其他: D typed 某某公司 (not on the list) → 1 person, mean 1.0, not passed.
    assert participation_by_organization(competition) == [
        Participation("甲单位", 3, 3, 4, 3.0, 3),
        Participation("乙单位", 2, 1, 2, 4.0, 1),
        Participation("其他", 1, 1, 1, 1.0, 0),
    ]
    # 社会群众: A(3) C(4) E(4) → mean 11/3, 4 attempts;  从业人员: B(2) D(1) F(—) → mean 1.5, 3 attempts, 1 passed.
    by_group = participation_by_group(competition)
    assert [(row.label, row.participants, row.with_result, row.attempts, row.passed) for row in by_group] == [
        ("社会群众", 3, 3, 4, 3),
        ("从业人员", 3, 2, 3, 1),
    ]
    assert by_group[0].average_score == pytest.approx(11 / 3)
    assert by_group[1].average_score == pytest.approx(1.5)


def test_score_distribution_bins_best_scores_as_a_share_of_the_maximum(sample):
    # Best scores of 4: A 3 (75 %), B 2 (50 %), C 4 (100 %), D 1 (25 %), E 4 (second try, 100 %); F none.
    bins = score_distribution(sample["competition"].id)

    assert [bin.count for bin in bins] == [0, 0, 1, 0, 0, 1, 0, 1, 0, 2]
    assert bins[0] == ScoreBin(0, 10, 0)
    assert [bins[0].label, bins[6].label, bins[9].label] == ["0–9%", "60–69%", "90–100%"]


def test_competition_statistics_totals_and_unknown_competition(sample):
    stats = competition_statistics(sample["competition"].id)

    assert stats.total.participants == 6 and stats.total.with_result == 5 and stats.total.attempts == 7
    assert stats.total.average_score == pytest.approx((3 + 2 + 4 + 1 + 4) / 5)
    assert stats.total.passed == 4
    with pytest.raises(NotFound):
        competition_statistics(9999)


def test_statistics_of_attempts_taken_through_the_api_add_up_to_their_scores(client, clock, competition):
    # Real papers (drawn at random by the starter competition's rule), answered and submitted through the API.
    from tests.contests.factories import answer_all, items_of, start, submit

    first = start(client, competition, phone="13800138001", name="甲")
    answer_all(client, first)
    clock.advance(60)
    full = submit(client, first)["score"]
    second = start(client, competition, phone="13800138002", name="乙")
    answer_all(client, second, wrong=3)
    clock.advance(90)
    partial = submit(client, second)["score"]

    stats = question_statistics(competition.id)
    papers = len(items_of(first["attempt_id"])) + len(items_of(second["attempt_id"]))

    # Σ over versions of (mean mark × attempts) is the sum of the two scores, whatever was drawn.
    assert sum(row.mean_points * row.attempts for row in stats) == pytest.approx(full + partial)
    assert sum(row.attempts for row in stats) == papers and all(row.attempts in (1, 2) for row in stats)
    # A version both got right has facility 1; the three the second person missed are below 1
    # (0.5 when on both papers, 0 when only on theirs); with two people no other value is possible.
    assert {row.facility for row in stats} <= {0.0, 0.5, 1.0}
    assert sum(1 for row in stats if row.facility < 1) == 3
