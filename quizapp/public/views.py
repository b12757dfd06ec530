"""Home page."""

from flask import render_template

from quizapp.contests.services import list_competitions
from quizapp.public import bp


@bp.get("/")
def home():
    """List open and upcoming competitions (closed ones below, for their results)."""
    competitions = list_competitions()
    groups = {status: [c for c in competitions if c.status == status] for status in ("open", "upcoming", "closed")}
    return render_template("public/home.html", groups=groups)
