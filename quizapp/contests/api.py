"""JSON API v1 for competitions (the contract for WeChat H5 / mini-program clients).

Documented in ``quizapp/api/openapi.yaml`` (served at ``/api/v1/openapi.json``).
Errors are ``{"error": {"code", "message"}}``; see ``quizapp.api.errors``.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from quizapp.api.errors import bad_request, json_body
from quizapp.contests import api_bp as bp
from quizapp.contests import services
from quizapp.contests.entrants import Entrant
from quizapp.contests.presenters import attempt_result, attempt_state, competition_summary, paper_question
from quizapp.contests.ranking import leaderboard, organization_ranking
from quizapp.core.caching import LEADERBOARD_TTL_S, cached_response
from quizapp.core.timeutil import isoformat, utcnow
from quizapp.extensions import limiter
from quizapp.privacy.phone import mask_name


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _started(response) -> bool:
    """Count only starts that succeeded, so typos on the entry form never lock anyone out."""
    return response.status_code in (201, 302)


def _start_limit() -> str:
    return current_app.config["ATTEMPT_START_LIMIT"]


@bp.get("/competitions")
def list_competitions():
    """List the published competitions with status, window, size and 单位 list."""
    return jsonify({"competitions": [competition_summary(c) for c in services.list_competitions()]})


@bp.get("/competitions/<int:competition_id>")
def get_competition(competition_id: int):
    """Return one published competition (404 ``not_found`` for a draft)."""
    return jsonify(competition_summary(services.get_public_competition(competition_id)))


@bp.post("/competitions/<int:competition_id>/attempts")
@limiter.limit(_start_limit, deduct_when=_started)
def start_attempt(competition_id: int):
    """Start an attempt: 201 with the token, deadline and paper (no key)."""
    body = json_body()
    consent = body.get("consent")
    entrant = Entrant(
        name=_text(body, "name"),
        phone=_text(body, "phone"),
        organization=_text(body, "organization"),
        other_organization=_text(body, "other_organization"),
        group=_text(body, "group"),
        consent=consent is True,
    )
    attempt, token = services.start_attempt(competition_id, entrant)
    payload = {
        "attempt_id": attempt.id,
        "token": token,
        "started_at": isoformat(attempt.started_at),
        "deadline_at": isoformat(attempt.deadline_at),
        "remaining_s": attempt.remaining_s(utcnow()),
        "questions": [paper_question(item) for item in attempt.items],
    }
    return jsonify(payload), 201


def _text(body: dict, field: str) -> str:
    value = body.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise bad_request(f"字段 {field} 应为字符串")
    return value


@bp.get("/attempts/<int:attempt_id>")
def get_attempt(attempt_id: int):
    """Return the paper, saved responses and remaining seconds (server clock)."""
    attempt = services.load_attempt(attempt_id, _bearer_token())
    return jsonify(attempt_state(attempt, utcnow()))


@bp.put("/attempts/<int:attempt_id>/responses/<int:question_id>")
def save_response(attempt_id: int, question_id: int):
    """Save one response: ``{"answer": …}`` in the type's shape; ``null`` clears it."""
    body = json_body()
    if "answer" not in body:
        raise bad_request("请求体缺少 answer 字段")
    attempt = services.load_attempt(attempt_id, _bearer_token())
    saved = services.save_response(attempt, question_id, body["answer"])
    return jsonify({"question_id": saved.item_id, "answer": saved.answer, "saved_at": isoformat(saved.answered_at)})


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int):
    """Submit (交卷); repeating it returns the same result."""
    attempt = services.load_attempt(attempt_id, _bearer_token())
    services.submit_attempt(attempt)
    return jsonify(attempt_result(attempt))


def _limit_arg(default: int = 50, ceiling: int = 200) -> int:
    raw = request.args.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= ceiling:
        raise bad_request(f"limit 应为 1 到 {ceiling} 之间的整数")
    return int(raw)


@bp.get("/competitions/<int:competition_id>/leaderboard")
@cached_response(LEADERBOARD_TTL_S)
def get_leaderboard(competition_id: int):
    """Return the top N (``?limit=``, default 50) with masked names; cached 5 s (quizapp.core.caching)."""
    services.get_public_competition(competition_id)
    rows = leaderboard(competition_id, _limit_arg())
    return jsonify(
        {
            "competition_id": competition_id,
            "entries": [
                {
                    "rank": row.rank,
                    "name": mask_name(row.participant.name),
                    "organization": row.participant.organization,
                    "score": row.score,
                    "duration_s": row.duration_s,
                }
                for row in rows
            ],
        }
    )


@bp.get("/competitions/<int:competition_id>/leaderboard/organizations")
@cached_response(LEADERBOARD_TTL_S)
def get_organization_ranking(competition_id: int):
    """Return 单位 ranked by average best score, with participant counts; cached 5 s (quizapp.core.caching)."""
    competition = services.get_public_competition(competition_id)
    rows = organization_ranking(competition, _limit_arg(100, 500))
    return jsonify(
        {
            "competition_id": competition_id,
            "entries": [
                {"rank": r.rank, "organization": r.organization, "participants": r.participants, "average_score": r.average_score}
                for r in rows
            ],
        }
    )
