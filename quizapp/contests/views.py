"""Competition pages: rules and start form, the paper, result, leaderboard, review.

Pages keep each attempt's token in the signed session cookie; every answer is
saved on the server when given (one question per page without JavaScript,
autosave with it), so a reload or a dropped connection loses nothing.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from quizapp.contests import bp, services
from quizapp.contests.forms import StartForm, answer_form
from quizapp.contests.presenters import attempt_result, paper_question, paper_size, review_items
from quizapp.contests.ranking import leaderboard, organization_ranking
from quizapp.core.errors import DomainError, ValidationFailed
from quizapp.core.timeutil import utcnow
from quizapp.extensions import limiter

TOKENS_KEY = "attempt_tokens"


def _remember(attempt_id: int, token: str) -> None:
    tokens = dict(session.get(TOKENS_KEY, {}))
    tokens[str(attempt_id)] = token
    session[TOKENS_KEY] = tokens
    session.permanent = True


def _token(attempt_id: int) -> str | None:
    return session.get(TOKENS_KEY, {}).get(str(attempt_id))


def _my_attempts(competition_id: int) -> list:
    """Return this browser's attempts at the competition (those whose token it holds)."""
    mine = []
    for attempt_id, token in session.get(TOKENS_KEY, {}).items():
        try:
            attempt = services.load_attempt(int(attempt_id), token)
        except DomainError:
            continue
        if attempt.competition_id == competition_id:
            mine.append(attempt)
    return sorted(mine, key=lambda attempt: attempt.started_at)


@bp.get("/competitions/<int:competition_id>")
def detail(competition_id: int):
    """Show the rules, this browser's attempts, and the start form while open (404 while unpublished)."""
    competition = services.get_public_competition(competition_id)
    form = StartForm.for_competition(competition)
    return _render_detail(competition, form)


def _render_detail(competition, form, status: int = 200):
    mine = _my_attempts(competition.id)
    open_attempt = next((attempt for attempt in mine if attempt.is_open), None)
    return (
        render_template(
            "contests/detail.html",
            competition=competition,
            form=form,
            question_count=paper_size(competition),
            mine=mine,
            open_attempt=open_attempt,
        ),
        status,
    )


def _started(response) -> bool:
    """Count only starts that succeeded, so typos on the entry form never lock anyone out."""
    return response.status_code in (201, 302)


def _start_limit() -> str:
    return current_app.config["ATTEMPT_START_LIMIT"]


@bp.get("/competitions/<int:competition_id>/start")
def start_page(competition_id: int):
    """Send a refreshed or bookmarked start URL back to the competition page."""
    return redirect(url_for("contests.detail", competition_id=competition_id, _anchor="entry"))


@bp.post("/competitions/<int:competition_id>/start")
@limiter.limit(_start_limit, deduct_when=_started)
def start(competition_id: int):
    """Validate the entry form and start an attempt; on error, show the form again (404 while unpublished)."""
    competition = services.get_public_competition(competition_id)
    form = StartForm.for_competition(competition)
    if not form.validate_on_submit():
        return _render_detail(competition, form, 422)
    try:
        attempt, token = services.start_attempt(competition_id, form.entrant())
    except ValidationFailed as exc:
        for field, message in exc.fields.items():
            getattr(form, field).errors.append(message)
        return _render_detail(competition, form, 422)
    except DomainError as exc:
        flash(exc.message, "error")
        return _render_detail(competition, form, exc.status)
    _remember(attempt.id, token)
    return redirect(url_for("contests.question", attempt_id=attempt.id, position=1))


def _load(attempt_id: int):
    return services.load_attempt(attempt_id, _token(attempt_id))


@bp.get("/attempts/<int:attempt_id>/q/<int:position>")
def question(attempt_id: int, position: int):
    """Show one question of the paper with the saved answer and the server's remaining time."""
    attempt = _load(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("contests.result", attempt_id=attempt_id))
    item = _item_at(attempt, position)
    shown = paper_question(item)
    form = answer_form(shown, item.answer)
    return _render_question(attempt, item, shown, form)


def _render_question(attempt, item, shown, form, status: int = 200):
    return (
        render_template(
            "contests/question.html",
            attempt=attempt,
            item=item,
            question=shown,
            form=form,
            remaining_s=attempt.remaining_s(utcnow()),
            total=len(attempt.items),
        ),
        status,
    )


def _item_at(attempt, position: int):
    if not 1 <= position <= len(attempt.items):
        abort(404)
    return attempt.items[position - 1]


@bp.post("/attempts/<int:attempt_id>/q/<int:position>")
def answer(attempt_id: int, position: int):
    """Save the answer, then go where the button said (next, previous, a number, or the submit page).

    With ``Accept: application/json`` (the autosave script) it answers JSON instead:
    ``{"saved": true, "remaining_s": <seconds left>, "answered": [<positions answered>]}``.
    """
    attempt = _load(attempt_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    if not attempt.is_open:
        return _closed_response(attempt, wants_json)
    item = _item_at(attempt, position)
    shown = paper_question(item)
    form = answer_form(shown, item.answer, formdata=request.form)
    if not form.validate_on_submit():
        if wants_json:
            return jsonify({"error": {"code": "invalid_form", "message": "页面已过期，请刷新后重试"}}), 400
        return _render_question(attempt, item, shown, form, 400)
    try:
        services.save_response(attempt, item.id, form.raw_answer(shown["type"]))
    except DomainError as exc:
        if wants_json:
            return jsonify({"error": {"code": exc.code, "message": exc.message}}), exc.status
        flash(exc.message, "error")
        if exc.code == "deadline_passed":
            return redirect(url_for("contests.result", attempt_id=attempt_id))
        return redirect(url_for("contests.question", attempt_id=attempt_id, position=position))
    if wants_json:  # the 答题卡 count follows the autosave without a reload
        answered = [other.position for other in attempt.items if other.is_answered]
        return jsonify({"saved": True, "remaining_s": attempt.remaining_s(utcnow()), "answered": answered})
    return redirect(_next_url(attempt, position, form.action.data or "next"))


def _closed_response(attempt, wants_json: bool):
    if wants_json:
        return jsonify({"error": {"code": "already_submitted", "message": "本次答题已经交卷"}}), 409
    flash("本次答题已交卷（或已超时自动交卷），答案不能再修改。", "info")
    return redirect(url_for("contests.result", attempt_id=attempt.id))


def _next_url(attempt, position: int, action: str) -> str:
    total = len(attempt.items)
    if action == "review":
        return url_for("contests.confirm_submit", attempt_id=attempt.id)
    if action == "prev":
        target = max(1, position - 1)
    elif action.isdigit():
        target = min(max(1, int(action)), total)
    else:
        target = position + 1
    if target > total:
        return url_for("contests.confirm_submit", attempt_id=attempt.id)
    return url_for("contests.question", attempt_id=attempt.id, position=target)


@bp.get("/attempts/<int:attempt_id>/submit")
def confirm_submit(attempt_id: int):
    """Show the answer card (答题卡) with unanswered questions before 交卷."""
    attempt = _load(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("contests.result", attempt_id=attempt_id))
    return render_template("contests/submit.html", attempt=attempt, form=FlaskForm(), remaining_s=attempt.remaining_s(utcnow()))


@bp.post("/attempts/<int:attempt_id>/submit")
def submit(attempt_id: int):
    """Submit (交卷); a repeated submit shows the same result."""
    attempt = _load(attempt_id)
    if not FlaskForm().validate_on_submit():
        flash("页面已过期，请重新点击交卷。", "error")
        return redirect(url_for("contests.confirm_submit", attempt_id=attempt_id))
    services.submit_attempt(attempt)
    return redirect(url_for("contests.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>/result")
def result(attempt_id: int):
    """Show score, max, time used, rank and pass; the review link once the competition closes."""
    attempt = _load(attempt_id)
    if attempt.is_open:
        return redirect(url_for("contests.question", attempt_id=attempt_id, position=1))
    left = max(0, attempt.participant.attempts_allowed - services.attempts_used(attempt.participant_id))
    return render_template(
        "contests/result.html", attempt=attempt, result=attempt_result(attempt), competition=attempt.competition, attempts_left=left
    )


@bp.get("/attempts/<int:attempt_id>/review")
def review(attempt_id: int):
    """After the competition closes: each question with the key, 解析 and 法条依据."""
    attempt = _load(attempt_id)
    if attempt.is_open or attempt.competition.status != "closed":
        flash("竞赛结束后才能查看答案与解析。", "info")
        return redirect(url_for("contests.result", attempt_id=attempt_id))
    return render_template("contests/review.html", attempt=attempt, items=review_items(attempt))


@bp.get("/competitions/<int:competition_id>/leaderboard")
def leaderboard_page(competition_id: int):
    """Show the ranking (masked names) and the 单位 ranking (404 while unpublished)."""
    competition = services.get_public_competition(competition_id)
    return render_template(
        "contests/leaderboard.html",
        competition=competition,
        standings=leaderboard(competition_id, 100),
        organizations=organization_ranking(competition),
    )
