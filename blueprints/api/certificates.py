"""API: public certificate verification (SPEC §7) — no token, the holder's name masked,
rate-limited together with the /verify page against code enumeration."""
from flask import jsonify

from blueprints.api.views import as_of
from blueprints.api.views import bp
from blueprints.certs.verify import limit_verification
from services import certificate_lookup


@bp.get("/certificates/<code>")
@limit_verification
def certificate(code: str):
    on = as_of()
    found = certificate_lookup.find_certificate(code)
    return jsonify(certificate_lookup.public_record(found, on))
