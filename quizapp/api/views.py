"""The OpenAPI document, kept as YAML beside this module and served as JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from flask import jsonify

from quizapp.api import bp

SPEC_PATH = Path(__file__).with_name("openapi.yaml")


@cache
def load_spec() -> dict:
    """Return the parsed OpenAPI document (read once per process)."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI 3.1 document."""
    return jsonify(load_spec())
