"""/api/v1/openapi.json describes exactly the routes that exist, no more, no less."""
import re

from blueprints.api.openapi import OPENAPI

PREFIX = "/api/v1"


def openapi_path(rule: str) -> str:
    """Turn Flask's /units/<code> (or <int:id>) into OpenAPI's /units/{code}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule[len(PREFIX):])


def api_routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            methods = {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
            routes.setdefault(openapi_path(rule.rule), set()).update(methods)
    return routes


def test_every_api_route_is_documented_and_nothing_else(app):
    documented = {path: set(item) for path, item in OPENAPI["paths"].items()}
    assert api_routes(app) == documented


def test_documented_path_parameters_match_the_route(app):
    for path, item in OPENAPI["paths"].items():
        in_path = set(re.findall(r"{([^}]+)}", path))
        for operation in item.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == in_path, path


def test_every_reference_resolves():
    text = repr(OPENAPI)
    for ref in set(re.findall(r"'\$ref': '#/([^']+)'", text)):
        node = OPENAPI
        for part in ref.split("/"):
            assert part in node, ref
            node = node[part]


def test_it_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.")
    assert body["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer TOKEN"}
    assert set(body["paths"]) == {"/units/{code}", "/people/{number}", "/openapi.json",
                                  "/quizzes/{slug}/statistics", "/people/{number}/transcript",
                                  "/certificates/{code}", "/units/{code}/coverage",
                                  "/units/{code}/vacancies"}


def test_the_rule_conversion():
    assert openapi_path("/api/v1/units/<code>") == "/units/{code}"
    assert openapi_path("/api/v1/x/<int:id>/y/<path:rest>") == "/x/{id}/y/{rest}"


def operations():
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            yield f"{method} {path}", operation


def resolved(node: dict) -> dict:
    """A response or schema, following one local $ref."""
    if "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        return OPENAPI["components"][section][name]
    return node


def test_every_operation_is_named_summarised_and_has_typed_answers():
    ids = [operation["operationId"] for _, operation in operations()]
    assert len(ids) == len(set(ids))
    for name, operation in operations():
        assert operation.get("summary"), name
        responses = {code: resolved(r) for code, r in operation["responses"].items()}
        assert "200" in responses, name
        for code, response in responses.items():
            assert response.get("description"), (name, code)
            schema = response["content"]["application/json"]["schema"]
            assert resolved(schema).get("type") == "object", (name, code)
        if operation.get("security") != []:
            assert "401" in responses, name
        checked = [p for p in operation.get("parameters", []) if p["in"] == "query"
                   and ("enum" in p["schema"] or p["schema"].get("format") == "date")]
        if checked:  # a malformed date or an unknown choice answers 400
            assert "400" in responses, name
        for parameter in operation.get("parameters", []):
            assert parameter.get("schema", {}).get("type"), (name, parameter["name"])


def test_no_openapi_3_0_keywords_in_a_3_1_document():
    assert "'nullable'" not in repr(OPENAPI)


def test_the_served_document_is_the_one_tested(client):
    assert client.get("/api/v1/openapi.json").get_json() == OPENAPI
