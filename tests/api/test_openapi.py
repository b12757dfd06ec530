"""GET /api/v1/openapi.json: an OpenAPI 3.1 document describing every API route there is."""

from __future__ import annotations

import re

import pytest

from tests.contests.factories import start

PREFIX = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _api_routes(app) -> dict[str, set[str]]:
    """Return the app's API routes as OpenAPI path templates (relative to the server URL) → methods."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        template = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        routes.setdefault(template, set()).update(method.lower() for method in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def _resolve(spec: dict, ref: str) -> object:
    assert ref.startswith("#/"), ref
    node: object = spec
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def _refs(node: object):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_document_is_openapi_3_1_with_info_and_the_api_server(spec):
    assert re.fullmatch(r"3\.1\.\d+", spec["openapi"])
    assert spec["info"]["title"] and spec["info"]["version"]
    assert [server["url"] for server in spec["servers"]] == [PREFIX]


def test_every_api_route_and_method_is_documented(app, spec):
    routes = _api_routes(app)

    assert routes, "no API routes found"
    for path, methods in routes.items():
        assert path in spec["paths"], f"{path} is not documented"
        assert methods <= set(spec["paths"][path]), f"{path}: {methods - set(spec['paths'][path])} not documented"


def test_every_documented_operation_exists(app, spec):
    routes = _api_routes(app)

    for path, item in spec["paths"].items():
        assert path in routes, f"{path} is documented but not served"
        assert {key for key in item if key in HTTP_METHODS} <= routes[path]


def test_every_operation_declares_its_responses_and_path_parameters(spec):
    for path, item in spec["paths"].items():
        wanted = set(re.findall(r"{([^}]+)}", path))
        shared = [_resolve(spec, p["$ref"]) if "$ref" in p else p for p in item.get("parameters", [])]
        for method in set(item) & HTTP_METHODS:
            operation = item[method]
            assert operation.get("responses"), f"{method.upper()} {path} has no responses"
            assert all(re.fullmatch(r"[1-5]\d\d|default", str(code)) for code in operation["responses"])
            own = [_resolve(spec, p["$ref"]) if "$ref" in p else p for p in operation.get("parameters", [])]
            declared = {p["name"] for p in shared + own if p["in"] == "path" and p.get("required") is True}
            assert declared == wanted, f"{method.upper()} {path}: path parameters {declared} != {wanted}"


def test_every_reference_resolves(spec):
    references = set(_refs(spec))

    assert references
    for reference in references:
        _resolve(spec, reference)


def test_operations_with_a_limit_document_the_400_for_a_bad_one(spec):
    for path, item in spec["paths"].items():
        parameters = item.get("parameters", [])
        if any(p.get("name") == "limit" for p in parameters):
            for method in set(item) & HTTP_METHODS:
                assert "400" in item[method]["responses"], f"{method.upper()} {path}"


def test_start_response_carries_every_field_the_document_requires(client, competition, spec):
    schema = spec["paths"]["/competitions/{competition_id}/attempts"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    question_schema = spec["components"]["schemas"]["PaperQuestion"]

    body = start(client, competition)

    assert set(schema["required"]) <= set(body)
    assert all(set(question) <= set(question_schema["properties"]) for question in body["questions"])
