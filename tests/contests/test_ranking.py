"""Leaderboard: best attempt per participant, tie-breaks by time, shared ranks, masking, 单位 ranking."""

from __future__ import annotations

import pytest

from quizapp.privacy.phone import mask_name, mask_phone
from tests.contests.factories import API, answer_all, auth, expected_score, start, submit


def _board(client, competition) -> list[dict]:
    response = client.get(f"{API}/competitions/{competition.id}/leaderboard")
    assert response.status_code == 200
    return response.get_json()["entries"]


def _sit(client, competition, phone: str, name: str, wrong: int = 0, organization: str | None = None) -> dict:
    attempt = start(client, competition, phone=phone, name=name, organization=organization or competition.organizations[0])
    attempt["items"] = answer_all(client, attempt, wrong=wrong)
    return attempt


def test_a_worse_second_attempt_keeps_the_first_as_best(client, clock, competition):
    first = _sit(client, competition, "13800138000", "张三")
    clock.advance(100)
    best = submit(client, first)
    second = _sit(client, competition, "13800138000", "张三", wrong=4)
    clock.advance(50)
    worse = submit(client, second)

    board = _board(client, competition)

    assert worse["score"] == expected_score(second["items"], wrong=4) < best["score"]
    assert board == [{"rank": 1, "name": "张*", "organization": competition.organizations[0], "score": best["score"], "duration_s": 100}]
    assert worse["rank"] == best["rank"] == 1


def test_a_better_second_attempt_replaces_the_first(client, clock, competition):
    first = _sit(client, competition, "13800138000", "张三", wrong=5)
    clock.advance(100)
    submit(client, first)
    second = _sit(client, competition, "13800138000", "张三")
    clock.advance(300)
    better = submit(client, second)

    board = _board(client, competition)

    assert [(entry["score"], entry["duration_s"]) for entry in board] == [(better["score"], 300)]


def test_equal_scores_rank_by_duration_then_by_submit_time_and_full_ties_share_a_rank(client, clock, competition):
    # Everyone answers everything right; durations and submit times come from the clock.
    sitters = {}
    sitters["slow"] = _sit(client, competition, "13800000001", "甲一")
    sitters["fast"] = _sit(client, competition, "13800000002", "乙二")
    sitters["tie1"] = _sit(client, competition, "13800000005", "戊五")
    sitters["tie2"] = _sit(client, competition, "13800000006", "己六")
    clock.advance(20)
    sitters["fast_later"] = _sit(client, competition, "13800000003", "丙三")
    clock.advance(80)
    submit(client, sitters["fast"])  # 100 s, first to finish in 100 s
    clock.advance(20)
    submit(client, sitters["fast_later"])  # 100 s, submitted 20 s later
    clock.advance(30)
    submit(client, sitters["slow"])  # 150 s
    clock.advance(50)
    submit(client, sitters["tie1"])  # 200 s, same instant as tie2
    submit(client, sitters["tie2"])
    sitters["low"] = _sit(client, competition, "13800000004", "丁四", wrong=1)
    clock.advance(10)
    submit(client, sitters["low"])  # fewer points, fastest of all

    board = _board(client, competition)
    ranks = {key: submit(client, attempt)["rank"] for key, attempt in sitters.items()}

    full = expected_score(sitters["slow"]["items"])
    assert [(entry["name"], entry["rank"], entry["score"], entry["duration_s"]) for entry in board] == [
        ("乙*", 1, full, 100),
        ("丙*", 2, full, 100),
        ("甲*", 3, full, 150),
        ("戊*", 4, full, 200),
        ("己*", 4, full, 200),
        ("丁*", 6, expected_score(sitters["low"]["items"], wrong=1), 10),
    ]
    assert ranks == {"fast": 1, "fast_later": 2, "slow": 3, "tie1": 4, "tie2": 4, "low": 6}


def test_rank_in_the_submit_response_is_the_leaderboard_position(client, clock, competition):
    names = ["赵一", "钱二", "孙三", "李四"]  # distinct surnames, so masked names stay distinct
    attempts = {}
    for index, wrong in enumerate([3, 0, 6, 1]):
        attempts[names[index]] = _sit(client, competition, f"1380000001{index}", names[index], wrong=wrong)
    last_rank = None
    for attempt in attempts.values():
        clock.advance(60)
        last_rank = submit(client, attempt)["rank"]

    board = _board(client, competition)
    # A repeated submit returns the result again, with the rank as it stands now.
    ranks_now = {mask_name(name): submit(client, attempt)["rank"] for name, attempt in attempts.items()}

    assert last_rank == next(entry["rank"] for entry in board if entry["name"] == mask_name(names[-1]))
    assert ranks_now == {entry["name"]: entry["rank"] for entry in board}
    assert [entry["rank"] for entry in board] == [1, 2, 3, 4]
    assert [entry["name"] for entry in board] == [mask_name(names[index]) for index in (1, 3, 0, 2)]


def test_leaderboard_masks_names_and_shows_no_phone(client, competition):
    people = {"13800138000": "张三", "13912345678": "欧阳娜娜", "13700001111": "李"}
    for phone, name in people.items():
        submit(client, _sit(client, competition, phone, name))

    response = client.get(f"{API}/competitions/{competition.id}/leaderboard")
    page = client.get(f"/competitions/{competition.id}/leaderboard").get_data(as_text=True)

    text = response.get_data(as_text=True)
    entries = response.get_json()["entries"]
    assert sorted(entry["name"] for entry in entries) == sorted(mask_name(name) for name in people.values())
    assert {"张*", "欧***", "李*"} == {entry["name"] for entry in entries}
    assert all(set(entry) == {"rank", "name", "organization", "score", "duration_s"} for entry in entries)
    for phone, name in people.items():
        for shown in (text, page):
            assert phone not in shown
            assert mask_phone(phone) not in shown  # no phone at all, not even masked
        if len(name) > 1:
            assert name not in text and name not in page


def test_organization_ranking_averages_each_participants_best_score(client, clock, competition):
    north, south, east = competition.organizations[:3]
    scores = {north: [], south: [], east: []}

    first = _sit(client, competition, "13800000001", "甲", organization=north)
    scores[north].append(submit(client, first)["score"])
    worse_retry = _sit(client, competition, "13800000001", "甲", wrong=10, organization=north)
    submit(client, worse_retry)  # not the best: must not pull 北's average down
    scores[north].append(submit(client, _sit(client, competition, "13800000002", "乙", wrong=4, organization=north))["score"])
    scores[south].append(submit(client, _sit(client, competition, "13800000003", "丙", wrong=1, organization=south))["score"])
    for index, wrong in enumerate([0, 9]):
        sitter = _sit(client, competition, f"1380000001{index}", f"丁{index}", wrong=wrong, organization=east)
        scores[east].append(submit(client, sitter)["score"])
    start(client, competition, phone="13800000099", organization=east)  # no result yet: not counted

    response = client.get(f"{API}/competitions/{competition.id}/leaderboard/organizations")

    averages = {name: round(sum(values) / len(values), 2) for name, values in scores.items()}
    expected = sorted(averages, key=lambda name: (-averages[name], -len(scores[name]), name))
    entries = response.get_json()["entries"]
    assert [entry["organization"] for entry in entries] == expected
    assert [entry["rank"] for entry in entries] == [1, 2, 3]
    assert {entry["organization"]: (entry["participants"], entry["average_score"]) for entry in entries} == {
        name: (len(values), averages[name]) for name, values in scores.items()
    }


def test_limit_caps_the_leaderboard(client, competition):
    for index in range(3):
        submit(client, _sit(client, competition, f"1380000000{index}", f"选手{index}", wrong=index))

    entries = client.get(f"{API}/competitions/{competition.id}/leaderboard?limit=2").get_json()["entries"]

    assert [entry["rank"] for entry in entries] == [1, 2]


@pytest.mark.parametrize("limit", ["0", "abc", "-1", "1.5", "201", ""])
def test_bad_leaderboard_limit_is_a_400(client, competition, limit):
    response = client.get(f"{API}/competitions/{competition.id}/leaderboard?limit={limit}")

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("limit", ["0", "abc", "501"])
def test_bad_organization_ranking_limit_is_a_400(client, competition, limit):
    response = client.get(f"{API}/competitions/{competition.id}/leaderboard/organizations?limit={limit}")

    assert response.status_code == 400


def test_leaderboard_of_an_unknown_competition_is_a_404(client, competition):
    for path in ("leaderboard", "leaderboard/organizations"):
        response = client.get(f"{API}/competitions/{competition.id + 1000}/{path}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"


def test_open_attempts_are_not_on_the_leaderboard(client, competition):
    attempt = _sit(client, competition, "13800138000", "张三")

    board = _board(client, competition)
    state = client.get(f"{API}/attempts/{attempt['attempt_id']}", headers=auth(attempt["token"])).get_json()

    assert board == []
    assert "result" not in state
