"""OpenAPI paths and schemas of the hours endpoints, merged into openapi.py."""


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


DAY = {"type": "string", "format": "date", "example": "2026-10-01"}
MOMENT = {"type": "string", "format": "date-time", "example": "2026-10-01T08:30:00Z",
          "description": "UTC"}
SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1,
         "description": "a fraction of the maximum, not a percentage"}

SCHEMAS = {
    "TranscriptModule": {
        "type": "object",
        "required": ["slug", "version", "completed_at", "score"],
        "properties": {
            "slug": {"type": "string", "example": "silent-dorm"},
            "version": {"type": "integer", "description": "the module version completed"},
            "completed_at": MOMENT,
            "score": {**SHARE, "description": "share of decision points right first time"},
        },
    },
    "TranscriptAttempt": {
        "type": "object",
        "required": ["quiz", "submitted_at", "score", "passed"],
        "properties": {
            "quiz": {"type": "string", "description": "quiz slug"},
            "submitted_at": MOMENT,
            "score": SHARE,
            "passed": {"type": "boolean"},
        },
    },
    "TranscriptCertificate": {
        "type": "object",
        "required": ["code", "program", "status", "issued", "expires"],
        "properties": {
            "code": {"type": "string", "description": "the verification code"},
            "program": {"type": "string", "description": "program code", "example": "informant-basic"},
            "status": {"type": "string", "enum": ["valid", "expired", "revoked"],
                       "description": "on as_of; a renewal that starts later is listed as valid "
                                      "with its future issued date"},
            "issued": DAY,
            "expires": DAY,
        },
    },
    "TranscriptHourEntry": {
        "type": "object",
        "required": ["date", "hours", "activity", "status"],
        "properties": {
            "date": DAY,
            "hours": {"type": "number", "multipleOf": 0.5, "exclusiveMinimum": 0},
            "activity": {"type": "string", "example": "workshop",
                         "description": "module, workshop, case_seminar, supervision, …"},
            "status": {"type": "string", "enum": ["pending", "approved", "rejected"]},
        },
    },
    "Transcript": {
        "type": "object",
        "required": ["person", "modules", "attempts", "certificates", "hours"],
        "properties": {
            "person": {"type": "object", "required": ["number", "name"],
                       "properties": {"number": {"type": "string"}, "name": {"type": "string"}}},
            "modules": {"type": "array", "items": ref("TranscriptModule"),
                        "description": "completed module versions, oldest first"},
            "attempts": {"type": "array", "items": ref("TranscriptAttempt"),
                         "description": "submitted quiz attempts, oldest first"},
            "certificates": {"type": "array", "items": ref("TranscriptCertificate"),
                             "description": "every certificate ever held, by issue date"},
            "hours": {
                "type": "object", "required": ["total", "entries"],
                "properties": {
                    "total": {"type": "number", "description": "sum of approved entries"},
                    "entries": {"type": "array", "items": ref("TranscriptHourEntry"),
                                "description": "every entry of the ledger (any status), by date"},
                },
            },
        },
    },
}

PATHS = {
    "/people/{number}/transcript": {
        "get": {
            "operationId": "getTranscript",
            "summary": "A person's record of learning: modules, quiz attempts, certificates, hours",
            "description": "An admin, trainer or auditor reads the transcripts of people in their "
                           "scope (anything outside it answers 404); anyone may read their own, "
                           "with a token of the login linked to that person.",
            "parameters": [
                {"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "staff or student number"},
                {"name": "as_of", "in": "query", "required": False, "schema": DAY,
                 "description": "the day certificate statuses are computed for (default today)"},
            ],
            "responses": {
                "200": {"description": "The transcript",
                        "content": {"application/json": {"schema": ref("Transcript")}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    },
}
