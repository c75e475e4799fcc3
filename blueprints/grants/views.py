"""Grants on a unit: who administers, trains or audits its subtree."""
from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.grants.forms import GrantForm
from extensions import db
from services import grants
from services import scope
from services.errors import DomainError

bp = Blueprint("grants", __name__, template_folder="templates", url_prefix="/grants")


@bp.route("/<code>", methods=["GET", "POST"])
@login_required
def unit_grants(code: str):
    unit = scope.get_unit(current_user, code, scope.WRITE_KINDS)
    form = GrantForm()
    if form.validate_on_submit():
        try:
            grants.grant_access(form.email.data, form.kind.data, unit, by=current_user)
        except DomainError as error:
            form.email.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Access granted."), "success")
            return redirect(url_for("grants.unit_grants", code=code))
    return render_template("grants/unit.html", unit=unit, form=form, grants=grants.grants_on(unit))


@bp.route("/remove/<int:grant_id>", methods=["POST"])
@login_required
def remove(grant_id: int):
    grant = grants.revoke_access(grant_id, by=current_user)
    code = grant.unit.code
    db.session.commit()
    flash(_("Access removed."), "success")
    return redirect(url_for("grants.unit_grants", code=code))


@bp.errorhandler(DomainError)
def refused(error: DomainError):
    db.session.rollback()
    if error.status == 404:
        return render_template("error.html", status=404, message=error.message), 404
    flash(error.message, "danger")
    return redirect(request.referrer or url_for("learn.dashboard"))
