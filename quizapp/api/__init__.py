"""API plumbing shared by the domains' ``api.py`` modules: errors and the OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")
