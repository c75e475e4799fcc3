"""Approved hours of a year by unit (the chosen unit's children) and by role, with an xlsx.

For readers (admins, trainers, auditors) of the unit; another unit answers 404. The
unit defaults to the top of the user's scope, the year to this year.
"""
import io
from datetime import date

from flask import abort
from flask import render_template
from flask import request
from flask import send_file
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.views import bp
from services import exports
from services import hours_totals
from services import scope
from services.hours_totals_export import totals_sheets
from services.pagination import paginate_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: years a person can ask for; anything else falls back to this year
YEARS = range(2000, 2101)


def chosen():
    """(unit or None, year, the user's top units) from the query string; 404 for a unit
    outside the scope."""
    if not scope.has_any_grant(current_user):
        abort(403)
    year = request.args.get("year", type=int)
    year = year if year in YEARS else date.today().year
    roots = scope.root_units(current_user)
    code = request.args.get("unit", "").strip()
    if code:
        return scope.get_unit(current_user, code), year, roots
    return (roots[0] if roots else None), year, roots


@bp.route("/hours/totals")
@login_required
def totals():
    unit, year, roots = chosen()
    context = dict(unit=unit, year=year, roots=paginate_list(roots, 1, 20))
    if unit is not None:
        parent = unit.parent
        context.update(
            total=hours_totals.unit_total(unit, year),
            children=hours_totals.by_child(unit, year, request.args.get("page")),
            roles=hours_totals.by_role(unit, year),
            parent=parent if parent is not None and scope.can(current_user, scope.READ_KINDS, parent)
            else None)
    return render_template("hours/totals.html", **context)


@bp.route("/hours/totals.xlsx")
@login_required
def totals_xlsx():
    unit, year, _roots = chosen()
    if unit is None:
        abort(404)
    stream = io.BytesIO()
    exports.write_xlsx(stream, totals_sheets(unit, year))
    stream.seek(0)
    return send_file(stream, as_attachment=True, mimetype=XLSX,
                     download_name=f"hours-{unit.code}-{year}.xlsx")
