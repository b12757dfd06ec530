"""What an attempt looks like from outside: the paper without its key, and the result.

The answer key (``QuestionVersion.key``) is only read here by
:func:`review_items`, which callers use once the competition has closed.
"""

from __future__ import annotations

from datetime import datetime

from quizapp.bank.models import TYPE_LABELS
from quizapp.contests.models import Attempt, Competition, PaperItem
from quizapp.contests.paper import option_labels
from quizapp.contests.ranking import rank_of
from quizapp.core.timeutil import isoformat


def paper_question(item: PaperItem) -> dict:
    """Return one paper question for the participant: no key, options in shown order.

    Shape: ``{id, position, type, type_label, stem, blanks, points, options: [{id, label, text}]}``.
    """
    version = item.version
    texts = {option["id"]: option["text"] for option in version.options}
    labels = option_labels(len(item.option_order))
    return {
        "id": item.id,
        "position": item.position,
        "type": version.type,
        "type_label": TYPE_LABELS[version.type],
        "stem": version.stem,
        "blanks": version.blank_count,
        "points": item.points,
        "options": [
            {"id": option_id, "label": label, "text": texts[option_id]}
            for option_id, label in zip(item.option_order, labels, strict=True)
        ],
    }


def competition_summary(competition: Competition, question_count: int | None = None) -> dict:
    """Return the public description of a competition (API ``GET /competitions``)."""
    return {
        "id": competition.id,
        "slug": competition.slug,
        "title": competition.title,
        "status": competition.status,
        "starts_at": isoformat(competition.starts_at),
        "ends_at": isoformat(competition.ends_at),
        "question_count": question_count if question_count is not None else paper_size(competition),
        "time_limit_s": competition.time_limit_s,
        "attempts_allowed": competition.attempts_allowed,
        "pass_mark": competition.pass_mark,
        "organizations": list(competition.organizations),
        "allow_other_organization": competition.allow_other_organization,
        "audience": competition.audience,
        "prize": prize_summary(competition),
    }


def prize_summary(competition: Competition) -> dict | None:
    """Return ``{description, threshold (points; the pass mark when unset), winners}``, or None without a prize."""
    if not competition.prize_description:
        return None
    threshold = competition.prize_threshold if competition.prize_threshold is not None else competition.pass_mark
    return {"description": competition.prize_description, "threshold": threshold, "winners": competition.prize_winners}


def paper_size(competition: Competition) -> int:
    """Return how many questions the competition's paper rule gives."""
    rule = competition.paper_rule or {}
    if "fixed" in rule:
        return len(rule["fixed"])
    return sum(int(part["count"]) for part in rule.get("rules", []))


def attempt_state(attempt: Attempt, now: datetime) -> dict:
    """Return the attempt for its owner: paper, saved responses, remaining seconds, status."""
    state = {
        "attempt_id": attempt.id,
        "competition_id": attempt.competition_id,
        "status": attempt.status,
        "started_at": isoformat(attempt.started_at),
        "deadline_at": isoformat(attempt.deadline_at),
        "remaining_s": attempt.remaining_s(now) if attempt.is_open else 0,
        "questions": [paper_question(item) for item in attempt.items],
        "responses": {str(item.id): item.answer for item in attempt.items if item.is_answered},
    }
    if not attempt.is_open:
        state["result"] = attempt_result(attempt)
    return state


def attempt_result(attempt: Attempt) -> dict:
    """Return ``{score, max_score, duration_s, rank, passed, submitted_at}`` of a closed attempt."""
    return {
        "attempt_id": attempt.id,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "duration_s": attempt.duration_s,
        "rank": rank_of(attempt.participant),
        "passed": attempt.passed,
        "submitted_at": isoformat(attempt.submitted_at),
    }


def review_items(attempt: Attempt) -> list[dict]:
    """Return each question with the given answer, the key, 解析 and 法条依据 (after close only)."""
    rows = []
    for item in attempt.items:
        version = item.version
        question = paper_question(item)
        labels = {option["id"]: option["label"] for option in question["options"]}
        question.update(
            answer=item.answer,
            key=version.key,
            answer_text=answer_text(version.type, item.answer, labels),
            key_text=answer_text(version.type, version.key, labels),
            points_awarded=item.points_awarded,
            is_correct=item.is_correct,
            explanation=version.explanation,
            legal_basis=version.legal_basis,
        )
        rows.append(question)
    return rows


def answer_text(question_type: str, answer: object, labels: dict[str, str]) -> str:
    """Render an answer or key for people: ``B``, ``ACD``, ``正确``, ``一小时；三十日``."""
    if answer is None:
        return "未作答"
    if question_type == "single_choice":
        return labels.get(answer, "?")
    if question_type == "multiple_choice":
        return "".join(sorted(labels.get(option, "?") for option in answer))
    if question_type == "true_false":
        return "正确" if answer else "错误"
    return "；".join(blank[0] if isinstance(blank, list) else blank for blank in answer)
