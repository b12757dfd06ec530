"""The law library (法律法规库): statute texts article by article.

``bp`` serves the pages under ``/laws``; its routes live in ``views.py``, imported
by ``create_app`` when it registers the blueprint.
"""

from flask import Blueprint

bp = Blueprint("laws", __name__, template_folder="templates", url_prefix="/laws")
