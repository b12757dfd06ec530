"""The public site's shell: home page, error pages, template helpers."""

from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")
