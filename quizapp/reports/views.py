"""Staff report pages: a competition's results (list and .xlsx), its statistics, the year's figures.

Roles: admin, editor and reviewer see results (numbers masked), statistics and the year's
figures; only an admin downloads the export with full numbers, by a POST (it writes an
audit row, so it is a change and carries a CSRF token).

A results export larger than ``EXPORT_INLINE_ROWS`` is not written inside the request: it is
queued (a POST) and built by the scheduler (:mod:`quizapp.contests.export_jobs`); the results
page lists the jobs, reloads itself while one is pending and links the finished files.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response, flash, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user
from markupsafe import Markup

from quizapp.accounts.access import current_actor, role_required
from quizapp.contests import export_jobs, results, statistics_store
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
    return render_template("reports/index.html", competitions=list(reversed(list_competitions(published_only=False))))


@bp.get("/competitions/<int:competition_id>/results")
@role_required(*STAFF)
def competition_results(competition_id: int):
    """Show the participants of a competition (masked numbers), filtered and paginated, with export buttons and jobs."""
    competition = get_competition(competition_id)
    form = _filter_form(competition_id)
    filters = form.to_filter()
    page = results.list_participants(competition_id, filters, request.args.get("page", 1, type=int))
    jobs = export_jobs.recent_jobs(competition_id, include_full=current_user.has_role("admin"))
    return render_template("reports/results.html", competition=competition, form=form, result=page, jobs=jobs,
                           large=export_jobs.is_large(competition_id, filters), describe=export_jobs.describe_filters,
                           pending=any(job.status in ("queued", "running") for job in jobs))  # fmt: skip


def _back_to_results(competition_id: int):
    return redirect(url_for("reports.competition_results", competition_id=competition_id, **request.args.to_dict()), code=303)


def _queue(competition_id: int, full: bool):
    filters = _filter_form(competition_id).to_filter()
    job, created = export_jobs.request_export(competition_id, full=full, actor=current_actor(), filters=filters)
    if created:
        flash(f"数据较多，已转为后台生成（导出任务 {job.id}），完成后在本页下载；文件保留 24 小时。", "success")
    else:
        flash(f"同样的导出正在生成（导出任务 {job.id}），完成后在本页下载。", "info")
    return _back_to_results(competition_id)


@bp.get("/competitions/<int:competition_id>/results.xlsx")
@role_required(*STAFF)
def export_masked(competition_id: int):
    """Download the results with masked numbers (the list's filters apply); a large export is sent to the page's queue button."""
    competition = get_competition(competition_id)
    filters = _filter_form(competition_id).to_filter()
    if export_jobs.is_large(competition_id, filters):
        flash("数据较多，无法直接下载：请点“后台生成 Excel（号码打码）”，完成后在本页下载。", "info")
        return _back_to_results(competition_id)
    handle = results.export_results(competition_id, filters=filters)
    return _download(handle, results.export_filename(competition, full=False))


@bp.post("/competitions/<int:competition_id>/exports")
@role_required(*STAFF)
def queue_masked(competition_id: int):
    """Queue a background export with masked numbers (the list's filters apply)."""
    return _queue(competition_id, full=False)


@bp.post("/competitions/<int:competition_id>/results-full.xlsx")
@role_required("admin")
def export_full(competition_id: int):
    """Download the results with full numbers (admins only; writes an ``export_full`` audit row); a large one is queued."""
    competition = get_competition(competition_id)
    filters = _filter_form(competition_id).to_filter()
    if export_jobs.is_large(competition_id, filters):
        return _queue(competition_id, full=True)
    handle = results.export_results(competition_id, full=True, actor=current_actor(), filters=filters)
    return _download(handle, results.export_filename(competition, full=True), private=True)


@bp.get("/competitions/<int:competition_id>/exports/<int:job_id>.xlsx")
@role_required(*STAFF)
def download_export(competition_id: int, job_id: int):
    """Download a file built in the background; a full-number one only by an admin, audited at each download."""
    job = export_jobs.stored_export(job_id, competition_id, allow_full=current_user.has_role("admin"))
    export_jobs.record_download(job, current_actor())
    name = results.export_filename(job.competition, job.is_full, now=job.finished_at)
    response = Response(stream_with_context(export_jobs.read_chunks(job.id)), mimetype=XLSX_MIMETYPE)
    response.headers.set("Content-Disposition", "attachment", **_attachment_names(name))
    response.headers["Content-Length"] = str(job.size_bytes)
    response.headers["Cache-Control"] = "no-store" if job.is_full else "private, no-cache"
    return response


def _attachment_names(name: str) -> dict[str, str]:
    """Return the Content-Disposition file names of *name*: an ASCII fallback and RFC 5987's UTF-8 form (as Flask's send_file)."""
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or "export.xlsx"
    return {"filename": simple, "filename*": f"UTF-8''{quote(name, safe='!#$&+^`|~')}"}


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
