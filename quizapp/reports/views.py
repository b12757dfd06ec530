"""Staff report pages: a competition's results (list and .xlsx), its statistics, the year's figures.

Roles: admin, editor and reviewer see results (numbers masked), statistics and the year's
figures; only an admin downloads the export with full numbers, by a POST (it writes an
audit row, so it is a change and carries a CSRF token).
"""

from __future__ import annotations

from flask import render_template, request, send_file
from flask_login import current_user
from markupsafe import Markup

from quizapp.accounts.access import current_actor, role_required
from quizapp.contests import results, statistics_store
from quizapp.contests.services import get_competition, list_competitions
from quizapp.core.timeutil import to_display, utcnow
from quizapp.reports import bp
from quizapp.reports.charts import bar_chart
from quizapp.reports.figures import year_figures
from quizapp.reports.forms import ResultFilterForm, YearForm
from quizapp.reports.workbook import XLSX_MIMETYPE
from quizapp.reports.year_export import export_year, summary_rows, year_filename
from quizapp.workspace import register_nav, register_panel

STAFF = ("admin", "editor", "reviewer")


def _download(handle, name: str, private: bool = False):
    response = send_file(handle, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store" if private else "private, no-cache"
    return response


def _filter_form(competition_id: int) -> ResultFilterForm:
    return ResultFilterForm(request.args).with_organizations(results.organizations_of(competition_id))


@bp.get("/")
@role_required(*STAFF)
def index():
    """List the competitions with links to their results and statistics."""
    return render_template("reports/index.html", competitions=list(reversed(list_competitions())))


@bp.get("/competitions/<int:competition_id>/results")
@role_required(*STAFF)
def competition_results(competition_id: int):
    """Show the participants of a competition (masked numbers), filtered and paginated, with export buttons."""
    competition = get_competition(competition_id)
    form = _filter_form(competition_id)
    page = results.list_participants(competition_id, form.to_filter(), request.args.get("page", 1, type=int))
    return render_template("reports/results.html", competition=competition, form=form, result=page)


@bp.get("/competitions/<int:competition_id>/results.xlsx")
@role_required(*STAFF)
def export_masked(competition_id: int):
    """Download the results with masked numbers (the list's filters apply)."""
    competition = get_competition(competition_id)
    handle = results.export_results(competition_id, filters=_filter_form(competition_id).to_filter())
    return _download(handle, results.export_filename(competition, full=False))


@bp.post("/competitions/<int:competition_id>/results-full.xlsx")
@role_required("admin")
def export_full(competition_id: int):
    """Download the results with full numbers (admins only; writes an ``export_full`` audit row)."""
    competition = get_competition(competition_id)
    filters = _filter_form(competition_id).to_filter()
    handle = results.export_results(competition_id, full=True, actor=current_actor(), filters=filters)
    return _download(handle, results.export_filename(competition, full=True), private=True)


@bp.get("/competitions/<int:competition_id>/statistics")
@role_required(*STAFF)
def competition_statistics(competition_id: int):
    """Show participation by 单位 and group, the score distribution chart and the question analysis.

    The figures come from the stored snapshot (see :mod:`quizapp.contests.statistics_store`):
    current ones, recomputed ones for a small competition, or the last ones with their time.
    """
    page = statistics_store.statistics_page(competition_id)
    chart = bar_chart([(bin.label, bin.count) for bin in page.stats.distribution]) if page.stats else None
    return render_template("reports/statistics.html", page=page, stats=page.stats, competition=page.competition, chart=chart)


def _current_year() -> int:
    return to_display(utcnow()).year


@bp.get("/year")
@role_required(*STAFF)
def year():
    """Show the year's figures (``?year=2026``; default this year in local time)."""
    form = YearForm(request.args)
    figures = year_figures(form.chosen(_current_year()))
    return render_template("reports/year.html", form=form, figures=figures, summary=summary_rows(figures))


@bp.get("/year/<int(min=2000, max=2100):chosen>.xlsx")
@role_required(*STAFF)
def year_export(chosen: int):
    """Download the year's figures as .xlsx."""
    return _download(export_year(year_figures(chosen)), year_filename(chosen))


def year_panel() -> str:
    """Show every staff member this year's headline figures, with a link to the year's page."""
    if not current_user.has_role(*STAFF):
        return ""
    return Markup(render_template("reports/panel_year.html", figures=year_figures(_current_year())))


register_panel(year_panel, order=60)
register_nav("成绩与统计", "reports.index", STAFF, order=40)
register_nav("年度数据", "reports.year", STAFF, order=80)
