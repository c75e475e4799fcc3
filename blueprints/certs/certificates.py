"""A person's certificates: the list of their own, one certificate's page (holder or a
reader of the holder's units), its PDF, and revocation by an admin in scope."""
from datetime import date
from io import BytesIO

from flask import flash
from flask import redirect
from flask import render_template
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from blueprints.certs.views import bp
from extensions import db
from services import certificate_lookup
from services import certification
from services import scope
from services.errors import Conflict
from services.errors import ValidationFailed
from services.pdf import PdfUnavailable
from services.qr import qr_svg


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), validators=[DataRequired(), Length(max=1000)])


@bp.get("/certificates")
@login_required
def my_certificates():
    person = current_user.person
    held = certification.person_certificates(person) if person is not None else []
    return render_template("certs/certificates.html", certificates=held, today=date.today(),
                           status_of=certification.certificate_status)


@bp.get("/certificates/<code>")
@login_required
def certificate(code: str):
    found = certificate_lookup.readable_certificate(current_user, code)
    verify_url = url_for("certs.verify", code=found.code, _external=True)
    may_revoke = found.revoked_at is None and certificate_lookup.in_scope(
        current_user, found, scope.WRITE_KINDS)
    return render_template(
        "certs/certificate.html", certificate=found, today=date.today(),
        status_of=certification.certificate_status,
        history=certificate_lookup.program_history(found),
        issuer=certificate_lookup.issuing_body(found.program),
        verify_url=verify_url,
        qr=qr_svg(verify_url, scale=5, label=_("QR code that opens the verification page")),
        form=RevokeForm() if may_revoke else None)


@bp.get("/certificates/<code>.pdf")
@login_required
def download_pdf(code: str):
    found = certificate_lookup.readable_certificate(current_user, code)
    verify_url = url_for("certs.verify", code=found.code, _external=True)
    try:
        from services import certificate_pdf  # fpdf2 loads on the first PDF, not in every worker

        data = certificate_pdf.render_certificate(
            found, verify_url, certificate_lookup.issuing_body(found.program))
    except PdfUnavailable as error:
        flash(error.message, "warning")
        return redirect(url_for("certs.certificate", code=found.code))
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"证书-{found.code}.pdf", max_age=0)


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke(code: str):
    found = certificate_lookup.revocable_certificate(current_user, code)
    back = redirect(url_for("certs.certificate", code=found.code))
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for revoking the certificate."), "danger")
        return back
    if found.revoked_at is not None:  # a second click, or two admins at once
        flash(_("This certificate was already revoked."), "info")
        return back
    try:
        certification.revoke_certificate(found, by=current_user, reason=form.reason.data.strip())
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        flash(error.message, "danger")
        return back
    db.session.commit()
    flash(_("The certificate was revoked."), "success")
    return back
