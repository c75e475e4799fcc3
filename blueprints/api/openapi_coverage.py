"""OpenAPI paths and schemas of the coverage endpoints (SPEC §5, §7)."""

COUNTS = {name: {"type": "integer"} for name in
          ("required", "assigned", "certified", "expiring", "vacancies", "uncertified")}
UNITS = {"type": "object", "properties": {"total": {"type": "integer"},
                                          "compliant": {"type": "integer"}}}
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
AS_OF = {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"},
         "description": "The date the rule takes (default today)."}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def responses(description: str, schema: dict) -> dict:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "404": {"$ref": "#/components/responses/NotFound"},
    }


SCHEMAS = {
    "RoleCoverage": {"type": "object", "properties": {
        "role": {"type": "string"}, **COUNTS, "coverage": {"type": "number"}}},
    "ChildCoverage": {"type": "object", "properties": {
        "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
        "compliant": {"type": "boolean"}, "coverage": {"type": "number"}, "units": UNITS,
        "roles": {"type": "array", "items": ref("RoleCoverage")}}},
    "Coverage": {"type": "object", "properties": {
        "unit": {"type": "object", "properties": {
            "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
            "students": {"type": ["integer", "null"]}}},
        "as_of": {"type": "string", "format": "date"},
        "roles": {"type": "array", "items": ref("RoleCoverage")},
        "units": UNITS,
        "children": {"type": "array", "items": ref("ChildCoverage")}}},
    "Vacancy": {"type": "object", "properties": {
        "unit": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"},
        "role": {"type": "string"}, "required": {"type": "integer"},
        "assigned": {"type": "integer"}, "vacancies": {"type": "integer"}}},
    "VacancyPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": ref("Vacancy")}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "total": {"type": "integer"}}},
}

PATHS = {
    "/units/{code}/coverage": {"get": {
        "operationId": "getUnitCoverage",
        "summary": "Coverage of a unit's subtree: required, assigned, certified per role (SPEC §5)",
        "parameters": [CODE, AS_OF],
        "responses": responses("The coverage of the subtree and of each direct child.",
                               ref("Coverage"))}},
    "/units/{code}/vacancies": {"get": {
        "operationId": "getUnitVacancies",
        "summary": "The units and roles behind the subtree's vacancies, by unit code",
        "parameters": [CODE, AS_OF,
                       {"name": "role", "in": "query", "schema": {"type": "string"}},
                       {"name": "q", "in": "query", "schema": {"type": "string"},
                        "description": "Part of a unit's code or name."},
                       {"name": "page", "in": "query", "schema": {"type": "integer"}},
                       {"name": "per_page", "in": "query", "schema": {"type": "integer"}}],
        "responses": responses("A page of vacancies.", ref("VacancyPage"))}},
}
