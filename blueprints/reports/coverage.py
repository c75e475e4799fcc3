"""The coverage page (SPEC §5, §8): a unit's required roles, filled and certified, with
its children ranked non-compliant first and the people and units behind each figure."""
from datetime import date
from io import BytesIO

from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from sqlalchemy import select

from blueprints.reports.views import bp
from extensions import db
from models import Role
from models import StaffingRule
from services import coverage
from services import coverage_lists
from services import scope
from services import staffing
from services import unit_tree
from services.coverage_export import export_coverage
from services.errors import DomainError
from services.errors import NotFound
from services.pagination import paginate_list

#: children shown per page, and drawn in the chart
CHILDREN_PER_PAGE = 25
VIEWS = ("summary", "vacancies", *coverage_lists.HOLDER_FILTERS)


def as_of_arg() -> date:
    value = request.args.get("as_of")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("The date must be written YYYY-MM-DD.")) from None


def ranked_children(result: coverage.Coverage, q: str) -> list[coverage.Subtree]:
    """Direct children, those not compliant first (worst coverage first), then by code."""
    children = [c for c in result.children if c.units_total]
    if q:
        children = [c for c in children if q.lower() in c.unit.code.lower() or q in c.unit.name]
    return sorted(children, key=lambda c: (c.compliant, c.coverage, c.unit.code))


def ratio_rules(unit, as_of: date) -> list[tuple[staffing.RoleStaffing, int | None]]:
    """The unit's own rules that count students (1 : per_students), with what they require."""
    rules = {rule.role_id: rule for rule in db.session.scalars(
        select(StaffingRule).where(StaffingRule.unit_kind == unit.kind,
                                  StaffingRule.per_students.is_not(None)))}
    if not rules:
        return []
    return [(row, rules[row.role.id]) for row in staffing.unit_staffing(unit, as_of)
            if row.role.id in rules]


@bp.route("/coverage")
@login_required
def coverage_home():
    roots = scope.root_units(current_user)
    if not roots:
        raise NotFound()
    return redirect(url_for(".unit_coverage", code=roots[0].code))


@bp.route("/coverage/<code>")
@login_required
def unit_coverage(code: str):
    unit = scope.get_unit(current_user, code)
    as_of = as_of_arg()
    view = request.args.get("view") if request.args.get("view") in VIEWS else "summary"
    role = request.args.get("role") or None
    q = request.args.get("q", "").strip()
    result = coverage.compute_coverage(unit, as_of)
    roles = {r.code: r for r in db.session.scalars(select(Role))}
    listing = None
    if view == "vacancies":
        listing = coverage_lists.vacancies(unit, as_of, role, request.args.get("page"), q=q or None)
    elif view != "summary":
        listing = coverage_lists.holders(unit, as_of, view, role, q or None, request.args.get("page"))
    children = paginate_list(ranked_children(result, q), request.args.get("cpage"),
                             CHILDREN_PER_PAGE)
    ancestors = [(a, scope.can(current_user, scope.READ_KINDS, a))
                 for a in unit_tree.unit_ancestors(unit)]
    page = render_template("reports/coverage.html", unit=unit, result=result, roles=roles,
                           role=role, view=view, q=q, as_of=as_of, listing=listing,
                           children=children, ancestors=ancestors,
                           ratios=ratio_rules(unit, as_of), today=date.today())
    db.session.commit()  # keep the snapshots a province's figures were just computed into
    return page


@bp.route("/coverage/<code>.xlsx")
@login_required
def coverage_xlsx(code: str):
    unit = scope.get_unit(current_user, code)
    as_of = as_of_arg()
    buffer = BytesIO()
    export_coverage(unit, buffer, as_of)
    buffer.seek(0)
    return send_file(buffer, as_attachment=True,
                     download_name=f"覆盖率-{unit.code}-{as_of.isoformat()}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
