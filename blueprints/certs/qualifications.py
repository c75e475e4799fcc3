"""External qualifications (S9): one's own list and the form to record one, and the
admins' review queue where a pending qualification is verified or rejected.

The queue lists only people in the admin's scope; reviewing someone outside it
answers 404, and a reader (trainer, auditor) who can see them gets 403.
"""
from datetime import date

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from blueprints.certs.qualification_forms import QualificationForm
from blueprints.certs.qualification_forms import ReviewForm
from blueprints.certs.views import bp
from extensions import db
from services import qualification_lists
from services import qualifications
from services import scope
from services.errors import DomainError
from services.errors import ValidationFailed


@bp.route("/qualifications", methods=["GET", "POST"])
@login_required
def my_qualifications():
    person = current_user.person
    labels = qualifications.type_labels(str(get_locale()))
    form = QualificationForm()
    form.type.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(code, label) for code, label in labels.items()]
    if person is not None and form.validate_on_submit():
        upload = form.evidence.data
        evidence = (upload.stream, upload.filename) if upload and upload.filename else None
        try:
            qualifications.record_qualification(
                person, type_code=form.type.data, issuer=form.issuer.data, number=form.number.data,
                issued_on=form.issued_on.data, expires_on=form.expires_on.data,
                evidence=evidence, by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            form.form_errors.extend(error.problems)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Your qualification was recorded and awaits review by an admin."), "success")
            return redirect(url_for(".my_qualifications"))
    return render_template("certs/qualifications.html", form=form, person=person,
                           items=qualification_lists.own_qualifications(person),
                           labels=labels, today=date.today())


@bp.post("/qualifications/<int:qualification_id>/withdraw")
@login_required
def withdraw_qualification(qualification_id: int):
    qualification = qualifications.get_qualification(qualification_id)
    qualifications.withdraw_qualification(qualification, by=current_user)
    db.session.commit()
    flash(_("The qualification was withdrawn."), "success")
    return redirect(url_for(".my_qualifications"))


@bp.route("/qualifications/review")
@login_required
def qualification_review():
    if not scope.has_any_grant(current_user, scope.WRITE_KINDS):
        abort(403)
    q = request.args.get("q", "").strip()
    found = qualification_lists.review_queue(current_user, q, request.args.get("page"))
    return render_template("certs/qualification_review.html", q=q, found=found,
                           labels=qualifications.type_labels(str(get_locale())), today=date.today())


@bp.post("/qualifications/<int:qualification_id>/review")
@login_required
def review_qualification(qualification_id: int):
    qualification = qualifications.get_qualification(qualification_id)
    qualifications.require_admin_of(qualification.person, current_user)  # 404 / 403 first
    form = ReviewForm()
    back = url_for(".qualification_review", q=request.args.get("q") or None,
                   page=request.args.get("page") or None)
    if not form.validate_on_submit() or not (form.verify.data or form.reject.data):
        flash(_("The review could not be saved. Check the reason and try again."), "danger")
        return redirect(back)
    name = qualification.person.name
    try:
        qualifications.review_qualification(qualification, verify=bool(form.verify.data),
                                            reason=form.reason.data, by=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back)
    db.session.commit()
    flash(_("%(name)s's qualification was verified.", name=name) if form.verify.data
          else _("%(name)s's qualification was rejected.", name=name), "success")
    return redirect(back)
