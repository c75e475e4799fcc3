"""The OpenAPI 3.1 description served at /api/v1/openapi.json: exactly what exists.

tests/test_api_openapi.py fails when a route under /api/v1 is missing here, or when
a path here has no route, so a new endpoint is documented in the same change.
"""
from blueprints.api import openapi_certs
from blueprints.api import openapi_coverage
from blueprints.api import openapi_hours
from blueprints.api import openapi_quiz


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": ref("Error")}}}


def ok(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


ISO_DATE = {"type": "string", "format": "date", "example": "2026-09-01"}
OPEN_DATE = {"type": ["string", "null"], "format": "date",
             "description": "null while the assignment is open"}

SCOPE_NOTE = (
    "An admin, trainer or auditor sees only the subtree of the unit they are scoped to; "
    "anything outside it answers 404, exactly as if it did not exist."
)

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "not_found",
                         "description": "unauthorized, not_found, bad_request, …"},
                "message": {"type": "string", "description": "for a person to read"},
            },
        }},
    },
    "UnitRef": {
        "type": "object",
        "required": ["code", "name", "kind"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string",
                     "enum": ["province", "university", "college", "class", "dorm", "building"]},
        },
    },
    "UnitAssignment": {
        "type": "object",
        "required": ["number", "name", "role", "start", "end"],
        "properties": {
            "number": {"type": "string", "description": "staff or student number"},
            "name": {"type": "string"},
            "role": {"type": "string", "description": "role code", "example": "dorm_informant"},
            "start": ISO_DATE,
            "end": OPEN_DATE,
        },
    },
    "Unit": {
        "type": "object",
        "required": ["code", "name", "kind", "students", "parent", "children", "assignments"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string",
                     "enum": ["province", "university", "college", "class", "dorm", "building"]},
            "students": {"type": ["integer", "null"],
                         "description": "students counted at this unit; null: sum of the children"},
            "parent": {"type": ["string", "null"], "description": "the parent's code"},
            "children": {"type": "array", "items": ref("UnitRef"),
                         "description": "direct children, sorted by code"},
            "assignments": {
                "type": "array", "items": ref("UnitAssignment"),
                "description": "assignments at this unit itself (not below it) active on "
                               "as_of, or all of them with include=history; sorted by role, "
                               "then number",
            },
        },
    },
    "PersonAssignment": {
        "type": "object",
        "required": ["role", "unit", "start", "end"],
        "properties": {
            "role": {"type": "string", "description": "role code"},
            "unit": {"type": "string", "description": "unit code"},
            "start": ISO_DATE,
            "end": OPEN_DATE,
        },
    },
    "Person": {
        "type": "object",
        "required": ["number", "name", "assignments"],
        "properties": {
            "number": {"type": "string"},
            "name": {"type": "string"},
            "assignments": {"type": "array", "items": ref("PersonAssignment"),
                            "description": "every assignment, past and present, by start"},
        },
    },
}

RESPONSES = {
    "BadRequest": error_response("A query parameter is malformed."),
    "Unauthorized": error_response(
        "No bearer token, or a token that is invalid or revoked. "
        "The WWW-Authenticate header carries the Bearer challenge."),
    "NotFound": error_response("No such record, or one outside the caller's scope."),
}

PATHS = {
    "/units/{code}": {
        "get": {
            "operationId": "getUnit",
            "summary": "A unit, its parent, children and current role holders",
            "description": SCOPE_NOTE,
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "as_of", "in": "query", "required": False, "schema": ISO_DATE,
                 "description": "the day whose active assignments are listed (default today)"},
                {"name": "include", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["history"]},
                 "description": "history: list every assignment at the unit, ended or not"},
            ],
            "responses": {
                "200": ok("The unit", "Unit"),
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    },
    "/people/{number}": {
        "get": {
            "operationId": "getPerson",
            "summary": "A person and all their assignments",
            "description": SCOPE_NOTE + " A person is inside a scope when one of their "
                           "assignments is at a unit inside it; all their assignments are then listed.",
            "parameters": [
                {"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "staff or student number"},
            ],
            "responses": {
                "200": ok("The person", "Person"),
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This description",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        },
    },
}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Shouwang API",
        "version": "1",
        "description": "Read the roster of the units you are scoped to. Roles and units are "
                       "given by their codes, dates as ISO YYYY-MM-DD strings. Create a token "
                       "on your profile page or with `flask tokens create EMAIL`.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": {**PATHS, **openapi_quiz.PATHS, **openapi_hours.PATHS, **openapi_certs.PATHS,
              **openapi_coverage.PATHS},
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                           "description": "Authorization: Bearer TOKEN"}},
        "schemas": {**SCHEMAS, **openapi_quiz.SCHEMAS, **openapi_hours.SCHEMAS,
                    **openapi_certs.SCHEMAS, **openapi_coverage.SCHEMAS},
        "responses": RESPONSES,
    },
}
