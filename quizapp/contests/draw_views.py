"""The public page of a competition's prize draws (抽奖结果): winners masked, seed and entries published."""

from __future__ import annotations

from flask import render_template

from quizapp.contests import bp, services
from quizapp.contests.draws import recorded_draws


@bp.get("/competitions/<int:competition_id>/draws")
def draws_page(competition_id: int):
    """Show each recorded draw: prize, seed, threshold, entries (attempt ids) and winners (masked)."""
    competition = services.get_public_competition(competition_id)
    return render_template("contests/draws.html", competition=competition, draws=recorded_draws(competition_id))
