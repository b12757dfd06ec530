"""Knowledge competitions (知识竞赛): papers, attempts, grading, ranking.

``bp`` serves the pages and ``api_bp`` the JSON API; their routes live in
``views.py`` and ``api.py``, imported by ``create_app`` when it registers them.
"""

from flask import Blueprint

bp = Blueprint("contests", __name__, template_folder="templates")
api_bp = Blueprint("contests_api", __name__, url_prefix="/api/v1")
