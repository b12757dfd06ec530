"""Home page: the latest 每月一警示, competitions, featured cases, news and the daily question."""

from flask import render_template

from quizapp.contests.services import list_competitions
from quizapp.public import bp
from quizapp.public.pagecache import cached_page
from quizapp.publicity import services as publicity

FEATURED_CASES = 3
LATEST_NEWS = 3


@bp.get("/")
@cached_page()
def home():
    """Show the latest warning, open and upcoming competitions (closed ones for results), featured cases and news."""
    competitions = list_competitions()
    groups = {status: [c for c in competitions if c.status == status] for status in ("open", "upcoming", "closed")}
    cases = publicity.latest("case", FEATURED_CASES, featured=True) or publicity.latest("case", FEATURED_CASES)
    return render_template(
        "public/home.html",
        groups=groups,
        warning=next(iter(publicity.latest("warning")), None),
        cases=cases,
        news=publicity.latest("news", LATEST_NEWS),
    )
