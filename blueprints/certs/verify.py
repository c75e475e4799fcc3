"""The public verification page the certificate's QR code opens (SPEC §7, §8): no login,
the holder's name masked, unknown codes 404.

Both this page and GET /api/v1/certificates/CODE draw on one rate limit per client
address, so codes cannot be enumerated through either.
"""
from datetime import date

from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from blueprints.certs.views import bp
from extensions import limiter
from services import certificate_lookup
from services.certificate_codes import normalise_code
from services.errors import NotFound


def verification_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


#: one bucket per address shared by the page and the API
limit_verification = limiter.shared_limit(verification_limit, scope="certificate-verification")


@bp.get("/verify")
def verify_form():
    """A box to type a code into; a typed code goes to its canonical /verify/CODE."""
    typed = request.args.get("code", "").strip()
    if typed and normalise_code(typed):
        return redirect(url_for("certs.verify", code=normalise_code(typed)))
    return render_template("certs/verify_form.html", typed=typed, invalid=bool(typed))


@bp.get("/verify/<code>")
@limit_verification
def verify(code: str):
    try:
        certificate = certificate_lookup.find_certificate(code)
    except NotFound:
        return render_template("certs/verify_form.html", typed=code, missing=True), 404
    today = date.today()
    response = current_app.make_response(render_template(
        "certs/verify.html", certificate=certificate, today=today,
        record=certificate_lookup.public_record(certificate, today),
        issuer=certificate_lookup.issuing_body(certificate.program)))
    response.headers["X-Robots-Tag"] = "noindex"
    return response
