"""Reports (报表): competition results and statistics pages, the year's figures, usage counters.

The services live beside the data they read: :mod:`quizapp.contests.results`,
:mod:`quizapp.contests.statistics` and :mod:`quizapp.reports.figures`;
:mod:`quizapp.reports.usage` counts law-library and practice use per day. ``bp`` serves the
staff pages under ``/staff/reports``; its routes live in ``views.py``, imported by
``create_app`` when it registers the blueprint.
"""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/staff/reports", template_folder="templates")
