"""Admins' roster: the unit tree, a unit's roles and holders, people, imports.

Pages read through services.scope, so a unit outside the user's grants answers 404
exactly as a missing one; readers (trainers, auditors) see no forms and get 403 on
POST. People and assignment pages live in people.py and assignments.py.
"""
from datetime import date

from flask import Blueprint
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

from blueprints.roster.forms import AssignForm
from extensions import db
from models import Unit
from services import competency
from services import roster
from services import scope
from services import staffing
from services import unit_tree
from services.errors import DomainError
from services.pagination import paginate_list
from services.people import person_to_assign

bp = Blueprint("roster", __name__, template_folder="templates")
#: a unit page lists this many units below it, so its own assignments stay in sight
CHILDREN_PER_PAGE = 25


def require_reader() -> None:
    """Lists of units and people are for admins, trainers and auditors only."""
    if not scope.has_any_grant(current_user):
        abort(403)


@bp.route("/units")
@login_required
def units():
    require_reader()
    q = request.args.get("q", "").strip()
    page = request.args.get("page")
    if q:
        found = unit_tree.search_units(current_user, q, page)
        return render_template("roster/units.html", q=q, found=found)
    roots = paginate_list(scope.root_units(current_user), page)
    return render_template("roster/units.html", q=q, roots=roots,
                           children=unit_tree.children_of(roots.items))


@bp.route("/units/<code>")
@login_required
def unit(code: str):
    unit = scope.get_unit(current_user, code)
    return render_unit(unit, assign_form(unit))


@bp.route("/units/<code>/assignments", methods=["POST"])
@login_required
def add_assignment(code: str):
    unit = scope.get_unit(current_user, code)
    roster.check_may_edit(current_user, unit)
    form = assign_form(unit)
    if not form.validate_on_submit():
        return render_unit(unit, form)
    try:
        person = person_to_assign(form.number.data, form.name.data, by=current_user)
        assignment = roster.assign_role(person, form.roles[form.role.data], unit,
                                        form.start.data, by=current_user)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return render_unit(unit, form)
    db.session.commit()
    flash(_("%(name)s now holds %(role)s here.", name=assignment.person.name,
            role=assignment.role.label(current_locale())), "success")
    return redirect(url_for(".unit", code=unit.code))


def current_locale() -> str:
    return str(get_locale())


def assign_form(unit: Unit) -> AssignForm | None:
    """The add-assignment form for admins of `unit`, its roles listed; None for readers."""
    if not scope.can(current_user, scope.WRITE_KINDS, unit):
        return None
    form = AssignForm()
    form.roles = {role.code: role for role in roster.all_roles()}
    locale = current_locale()
    form.role.choices = [(code, role.label(locale)) for code, role in form.roles.items()]
    return form


def render_unit(unit: Unit, form: AssignForm | None):
    """The unit page: breadcrumb, required roles, children, assignments and history."""
    args = request.args
    today = date.today()
    students = staffing.unit_students(unit)
    roles = staffing.unit_staffing(unit, today, students=students)
    if form is not None and not form.role.data:
        form.role.data = next((r.role.code for r in roles if r.vacancies), None)
    return render_template(
        "roster/unit.html",
        unit=unit,
        ancestors=[(a, scope.can(current_user, scope.READ_KINDS, a))
                   for a in unit_tree.unit_ancestors(unit)],
        students=students,
        roles=roles,
        q=args.get("q", "").strip(),
        children=unit_tree.unit_children(unit, args.get("page"), args.get("q"), on=today,
                                         per_page=CHILDREN_PER_PAGE),
        current=roster.unit_assignments(unit, args.get("apage"), on=today),
        history=roster.unit_assignments(unit, args.get("hpage"), ended=True, on=today),
        form=form,
        may_edit=form is not None,
        today=today,
    )


@bp.route("/units/<code>/competency")
@login_required
def unit_competency(code: str):
    """The unit's competency profile: its own page, as it aggregates every answer below."""
    unit = scope.get_unit(current_user, code)
    return render_template("roster/unit_competency.html", unit=unit,
                           competencies=competency.unit_profile(unit))


from blueprints.roster import assignments  # noqa: E402,F401  (routes on bp)
from blueprints.roster import imports  # noqa: E402,F401  (routes on bp)
from blueprints.roster import people  # noqa: E402,F401  (routes on bp)
