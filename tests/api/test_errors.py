"""Errors under /api/ are JSON ``{"error": {"code", "message"}}`` with the right status, never HTML."""

from __future__ import annotations

import pytest

from tests.contests.factories import API, entrant


def _assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert not response.get_data(as_text=True).lstrip().startswith("<")
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/competitions", "/api/", "/api/v1/competitions/abc"])
def test_unknown_api_route_is_a_json_404(client, path):
    _assert_json_error(client.get(path), 404, "not_found")


def test_unknown_competition_is_a_json_404(client, competition):
    _assert_json_error(client.get(f"{API}/competitions/{competition.id + 1000}"), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/competitions"),
        ("put", "/api/v1/competitions/1"),
        ("get", "/api/v1/competitions/1/attempts"),
        ("get", "/api/v1/attempts/1/submit"),
        ("post", "/api/v1/attempts/1/responses/1"),
        ("post", "/api/v1/openapi.json"),
    ],
)
def test_wrong_method_is_a_json_405(client, method, path):
    _assert_json_error(getattr(client, method)(path), 405, "method_not_allowed")


def test_unexpected_failure_is_a_json_500_without_a_traceback(app, client, monkeypatch):
    def broken():
        raise RuntimeError("secret internals")

    monkeypatch.setattr("quizapp.contests.services.list_competitions", broken)
    app.logger.disabled = True

    response = client.get(f"{API}/competitions")

    error = _assert_json_error(response, 500, "internal_error")
    assert "secret internals" not in error["message"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_rate_limit_is_a_json_429(app, client, competition):
    app.config["ATTEMPT_START_LIMIT"] = "1 per minute"
    url = f"{API}/competitions/{competition.id}/attempts"

    assert client.post(url, json=entrant(competition, phone="13800000001")).status_code == 201
    response = client.post(url, json=entrant(competition, phone="13800000002"))

    _assert_json_error(response, 429, "rate_limited")


def test_pages_outside_the_api_answer_html_errors(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
