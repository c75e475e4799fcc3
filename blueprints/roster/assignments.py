"""Editing and ending one assignment (adding one is on the unit page).

An assignment whose unit is outside the user's scope answers 404; a trainer or
auditor who can see it gets 403.
"""
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.auth.views import safe_next
from blueprints.roster.forms import AssignmentForm
from blueprints.roster.forms import EndForm
from blueprints.roster.views import bp
from extensions import db
from models import Assignment
from services import roster
from services.errors import DomainError


def editable(assignment_id: int) -> Assignment:
    """The assignment, if the user administers its unit (404 outside scope, 403 readers)."""
    assignment = roster.get_assignment(current_user, assignment_id)
    roster.check_may_edit(current_user, assignment.unit)
    return assignment


def back(assignment: Assignment) -> str:
    """Where the form came from (a same-site path), else the assignment's unit page."""
    target = request.values.get("next")
    if target:
        return safe_next(target)
    return url_for(".unit", code=assignment.unit.code)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_assignment(assignment_id: int):
    assignment = editable(assignment_id)
    form = AssignmentForm(obj=assignment)
    if form.validate_on_submit():
        try:
            roster.update_assignment(assignment, form.start.data, form.end.data, by=current_user)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("The assignment was saved."), "success")
            return redirect(back(assignment))
    return render_template("roster/assignment_edit.html", assignment=assignment, form=form,
                           next=back(assignment))


@bp.route("/assignments/<int:assignment_id>/end", methods=["POST"])
@login_required
def end_assignment(assignment_id: int):
    assignment = editable(assignment_id)
    form = EndForm()
    if not form.validate_on_submit():
        flash(_("Give the end date as YYYY-MM-DD."), "danger")
        return redirect(back(assignment))
    try:
        roster.end_assignment(assignment, form.end.data, by=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back(assignment))
    db.session.commit()
    flash(_("%(name)s no longer holds %(role)s from %(date)s.", name=assignment.person.name,
            role=assignment.role.label(str(get_locale())), date=format_date(assignment.end)),
          "success")
    return redirect(back(assignment))
