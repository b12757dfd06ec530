"""The starter banks do not give their keys away by position or by vague wording."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from quizapp.contests.paper import option_labels

CONTENT = Path(__file__).resolve().parents[2] / "content"
REGULATION = "《生产安全事故报告和调查处理条例》"


def _questions() -> list[dict]:
    return [q for path in sorted((CONTENT / "banks").glob("*.yaml")) for q in yaml.safe_load(path.read_text("utf-8"))["questions"]]


def test_single_choice_keys_are_spread_over_the_letters():
    singles = [q for q in _questions() if q["type"] == "single_choice"]
    letters = Counter(
        option_labels(len(q["options"]))[[bool(o.get("correct")) for o in q["options"]].index(True)] for q in singles
    )
    assert singles and max(letters.values()) <= 0.4 * len(singles), letters


def test_multiple_choice_items_are_mostly_not_all_correct_and_wrong_options_are_not_always_last():
    multiples = [q for q in _questions() if q["type"] == "multiple_choice"]
    all_correct = [q["id"] for q in multiples if all(o.get("correct") for o in q["options"])]
    last_wrong = [q["id"] for q in multiples if not q["options"][-1].get("correct")]
    assert len(all_correct) * 2 < len(multiples), all_correct
    assert len(last_wrong) * 3 < len(multiples) * 2, last_wrong


def test_no_explanation_names_an_option_by_its_letter():
    # Options are shuffled when shown, so a letter in the 解析 would point at the wrong option.
    assert [q["id"] for q in _questions() if "选项A" in q.get("explanation", "") or "选项B" in q.get("explanation", "")] == []


def test_accident_regulation_stems_name_the_regulation_in_full():
    bank = yaml.safe_load((CONTENT / "banks" / "shigu_baogao_tiaoli.yaml").read_text("utf-8"))
    vague = [q["id"] for q in bank["questions"] if "条例" in q["stem"].replace(REGULATION, "")]
    assert vague == []


def test_the_january_fire_competition_is_about_winter_spring_fire_prevention_not_119():
    competition = yaml.safe_load((CONTENT / "competitions" / "xiaofang_2026_upcoming.yaml").read_text("utf-8"))
    text = competition["title"] + competition["description"]
    assert "119" not in text and "冬春火灾防控" in competition["title"] and "消防安全知识竞赛" in competition["title"]
    assert competition["id"] == "xiaofang-2026-upcoming" and competition["window"] == {"starts": "2027-01-09 09:00", "ends": "+14d"}
