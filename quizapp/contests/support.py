"""Staff pages for participant support, erasure on request and prize draws (``/staff/support``).

Roles (docs/participant-support.md): every staff role searches, resets stuck attempts and
grants extra attempts; erasure and prize draws, irreversible and public, need a reviewer
or an admin. Searches are POSTed, so a typed number never appears in a URL or access log.
"""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from quizapp.accounts.access import current_actor, role_required
from quizapp.contests import draws, erasure, support_services
from quizapp.contests.services import get_competition, list_competitions
from quizapp.contests.support_forms import DrawForm, EraseForm, GrantForm, ReasonForm, SearchForm
from quizapp.core.errors import DomainError, ValidationFailed
from quizapp.workspace import register_nav

support_bp = Blueprint("contests_support", __name__, url_prefix="/staff/support", template_folder="templates")

STAFF = ("admin", "editor", "reviewer")
#: Roles that may erase personal data and run prize draws.
GUARDIANS = ("admin", "reviewer")


def _search_form() -> SearchForm:
    return SearchForm().with_competitions(list_competitions(published_only=False))


@support_bp.get("/")
@role_required(*STAFF)
def search():
    """Show the search form."""
    return render_template("contests/support/search.html", form=_search_form(), rows=None)


@support_bp.post("/")
@role_required(*STAFF)
def search_results():
    """Find participants by attempt id, masked or full number, or last four digits + name."""
    form = _search_form()
    rows = None
    if form.validate_on_submit():
        try:
            rows = support_services.find_participants(form.query.data, form.name.data, form.competition.data or None)
        except ValidationFailed as exc:
            for field, message in exc.fields.items():
                getattr(form, field).errors.append(message)
    response = make_response(render_template("contests/support/search.html", form=form, rows=rows), 200 if rows is not None else 422)
    response.headers["Cache-Control"] = "no-store"  # the page may repeat a typed number: keep it out of caches
    return response


@support_bp.get("/participants/<int:participant_id>")
@role_required(*STAFF)
def participant(participant_id: int):
    """Show one participant's attempts with the reset, extra-attempt and erase forms."""
    return _render_participant(participant_id)


def _render_participant(participant_id: int, status: int = 200, **forms):
    row = support_services.participant_row(participant_id)
    forms.setdefault("reset", ReasonForm(prefix="reset"))
    forms.setdefault("grant", GrantForm(prefix="grant", expected=str(row.participant.extra_attempts)))
    forms.setdefault("erase", EraseForm(prefix="erase"))
    may_erase = current_user.has_role(*GUARDIANS)
    return render_template("contests/support/participant.html", row=row, may_erase=may_erase, **forms), status


@support_bp.post("/attempts/<int:attempt_id>/reset")
@role_required(*STAFF)
def reset(attempt_id: int):
    """Close a stuck open attempt, scored as it stands (reason required)."""
    participant_id = support_services.get_attempt(attempt_id).participant_id
    form = ReasonForm(prefix="reset")
    if not form.validate_on_submit():
        return _render_participant(participant_id, 422, reset=form)
    try:
        attempt = support_services.reset_attempt(attempt_id, actor=current_actor(), reason=form.reason.data)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"答题 #{attempt.id} 已按已保存的答案交卷，得分 {attempt.score:g}", "success")
    return redirect(url_for("contests_support.participant", participant_id=participant_id))


@support_bp.post("/participants/<int:participant_id>/grant")
@role_required(*STAFF)
def grant(participant_id: int):
    """Grant one extra attempt (reason required; a repeated submit adds nothing)."""
    form = GrantForm(prefix="grant")
    if not form.validate_on_submit() or not form.expected.data.isdigit():
        return _render_participant(participant_id, 422, grant=form)
    try:
        granted = support_services.grant_extra_attempt(
            participant_id, actor=current_actor(), reason=form.reason.data, expected=int(form.expected.data)
        )
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(f"已增加 1 次答题机会，现可参加 {granted.attempts_allowed} 次", "success")
    return redirect(url_for("contests_support.participant", participant_id=participant_id))


@support_bp.post("/participants/<int:participant_id>/erase")
@role_required(*GUARDIANS)
def erase(participant_id: int):
    """Erase the participant's name and number on request (reason and identity check required)."""
    form = EraseForm(prefix="erase")
    if not form.validate_on_submit():
        return _render_participant(participant_id, 422, erase=form)
    try:
        erased = erasure.erase_participant(participant_id, actor=current_actor(), reason=form.reason.data)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash("已删除该参赛者的姓名和手机号" if erased else "该参赛者的个人信息此前已删除", "success" if erased else "info")
    return redirect(url_for("contests_support.participant", participant_id=participant_id))


@support_bp.get("/draws")
@role_required(*GUARDIANS)
def draws_index():
    """List the competitions with their recorded draws."""
    competitions = list(reversed(list_competitions(published_only=False)))
    recorded = {competition.id: draws.recorded_draws(competition.id) for competition in competitions}
    return render_template("contests/support/draws_index.html", competitions=competitions, recorded=recorded)


@support_bp.route("/draws/<int:competition_id>", methods=["GET", "POST"])
@role_required(*GUARDIANS)
def draw(competition_id: int):
    """Show the draw form with a suggested seed; preview (records nothing), then record and publish."""
    competition = get_competition(competition_id)
    form = DrawForm()
    if not form.is_submitted():
        form.seed.data = draws.suggest_seed()
        form.winners.data = competition.prize_winners or form.winners.default
    preview = None
    status = 200
    if form.validate_on_submit():
        try:
            if form.confirm.data:
                result = draws.run_draw(competition_id, actor=current_actor(), **form.options())
                flash(f"已抽取「{result.prize}」{len(result.winners)} 名中奖者并公布", "success")
                return redirect(url_for("contests_support.draw", competition_id=competition_id))
            preview = draws.preview_draw(competition_id, **form.options())
        except ValidationFailed as exc:
            for field, message in exc.fields.items():
                getattr(form, field).errors.append(message)
            status = 422
        except DomainError as exc:
            flash(exc.message, "error")
            status = exc.status
    elif form.is_submitted():
        status = 422
    return (
        render_template(
            "contests/support/draw.html",
            competition=competition,
            form=form,
            default_threshold=draws.default_threshold(competition),
            preview=preview,
            recorded=draws.recorded_draws(competition_id),
        ),
        status,
    )


register_nav("参赛者服务", "contests_support.search", STAFF, order=35)
register_nav("有奖抽奖", "contests_support.draws_index", GUARDIANS, order=36)
