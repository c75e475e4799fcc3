"""OpenAPI paths and schemas of the certs endpoints, merged into openapi.py."""
ISO_DATE = {"type": "string", "format": "date", "example": "2026-09-01"}
ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}

SCHEMAS: dict = {
    "CertificateVerification": {
        "type": "object",
        "required": ["status", "program", "holder", "issued", "expires"],
        "additionalProperties": False,
        "properties": {
            "status": {
                "type": "string", "enum": ["valid", "expired", "revoked"],
                "description": "valid when issued ≤ as_of < expires and not revoked. A renewal "
                               "that starts later answers valid while the certificate it renews "
                               "is valid, otherwise expired (not valid on that day).",
            },
            "program": {"type": "string", "example": "informant-basic",
                        "description": "the program's code (content/certifications.yaml)"},
            "holder": {"type": "string", "example": "欧**华",
                       "description": "the holder's name with every character but the first "
                                      "and the last masked: 张*明, 欧**华, 张*"},
            "issued": ISO_DATE,
            "expires": {**ISO_DATE, "example": "2027-09-01",
                        "description": "the first day it is no longer valid"},
        },
    },
}

PATHS: dict = {
    "/certificates/{code}": {
        "get": {
            "operationId": "verifyCertificate",
            "summary": "Verify a certificate by the code printed on it (public, no token)",
            "description": "The same answer as the page /verify/CODE that the certificate's "
                           "QR code opens. Limited to 60 look-ups a minute per address, shared "
                           "with that page.",
            "security": [],
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "the verification code, e.g. 7K3M-Q9TX-2B4H-R8WC; any case, "
                                "dashes optional"},
                {"name": "as_of", "in": "query", "required": False, "schema": ISO_DATE,
                 "description": "the day the status is given for (default today)"},
            ],
            "responses": {
                "200": {"description": "The certificate",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/CertificateVerification"}}}},
                "400": {"$ref": "#/components/responses/BadRequest"},
                "404": {"description": "No certificate has this code.", **ERROR},
                "429": {"description": "Too many look-ups from this address; try again in a "
                                       "minute.", **ERROR},
            },
        },
    },
}
