"""Practice (练习): questions on a law article or chapter with instant feedback, the 错题本, 每日一题.

``bp`` serves the pages; its routes live in ``views.py``, imported by ``create_app``.
"""

from flask import Blueprint

bp = Blueprint("practice", __name__, template_folder="templates")
