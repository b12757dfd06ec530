"""Site search (/search): Chinese text indexed as character bigrams, sources in a registry."""

from flask import Blueprint

bp = Blueprint("search", __name__, template_folder="templates")
