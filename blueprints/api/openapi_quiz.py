"""The OpenAPI description of the quiz statistics endpoint (SPEC §6), merged into openapi.py."""

FRACTION = {"type": ["number", "null"], "minimum": 0, "maximum": 1,
            "description": "a fraction (not a percentage); null where undefined"}

SCHEMAS = {
    "OptionShare": {
        "type": "object",
        "required": ["text", "chosen"],
        "properties": {
            "text": {"type": "string", "description": "the option as written in the bank"},
            "chosen": {**FRACTION, "description": "share of responses choosing it (each option "
                       "of a multiple-choice answer counts; ordering: share putting it in its "
                       "right place); null without responses"},
        },
    },
    "QuestionStatistics": {
        "type": "object",
        "required": ["id", "n", "facility", "sd", "discrimination_index",
                     "discriminative_efficiency", "options"],
        "properties": {
            "id": {"type": "string", "description": "the question id (qid)", "example": "rec-001"},
            "n": {"type": "integer", "description": "responses counted"},
            "facility": {**FRACTION, "description": "mean score"},
            "sd": {**FRACTION, "description": "sample standard deviation of the score"},
            "discrimination_index": {
                "type": ["number", "null"], "minimum": -1, "maximum": 1,
                "description": "Pearson correlation of the score with the rest of the quiz"},
            "discriminative_efficiency": {
                "type": ["number", "null"],
                "description": "that covariance over its maximum given the two distributions"},
            "options": {"type": "array", "items": {"$ref": "#/components/schemas/OptionShare"}},
        },
    },
    "QuizStatistics": {
        "type": "object",
        "required": ["attempts", "mean", "median", "sd", "alpha", "questions"],
        "properties": {
            "attempts": {"type": "integer", "description": "attempts counted"},
            "mean": {**FRACTION, "description": "mean score as a share of the maximum"},
            "median": FRACTION,
            "sd": FRACTION,
            "alpha": {"type": ["number", "null"], "maximum": 1,
                      "description": "Cronbach's coefficient of internal consistency"},
            "questions": {"type": "array",
                          "items": {"$ref": "#/components/schemas/QuestionStatistics"}},
        },
    },
}

DAY = {"type": "string", "format": "date", "example": "2026-10-01"}

PATHS = {
    "/quizzes/{slug}/statistics": {
        "get": {
            "operationId": "getQuizStatistics",
            "summary": "Item statistics of a quiz, as Moodle's quiz statistics report",
            "description": "Over each person's first submitted attempt (attempts=all: every "
                           "attempt) by people in the caller's scope; values are fractions.",
            "parameters": [
                {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                {"name": "attempts", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["first", "all"]}},
                {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "only people with an assignment in this unit's subtree"},
                {"name": "since", "in": "query", "required": False, "schema": DAY,
                 "description": "only attempts sat on or after this day"},
                {"name": "until", "in": "query", "required": False, "schema": DAY,
                 "description": "only attempts sat on or before this day"},
            ],
            "responses": {
                "200": {"description": "The statistics", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/QuizStatistics"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    },
}
