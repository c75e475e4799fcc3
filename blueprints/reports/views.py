"""Reports for admins: the audit log of their units, searchable and exportable."""
import io
from datetime import date

from flask import Blueprint
from flask import Response
from flask import abort
from flask import render_template
from flask import request
from flask import send_file
from flask_login import current_user
from flask_login import login_required

from services import audit_search
from services import exports
from services.audit_search import AuditFilters

bp = Blueprint("reports", __name__, template_folder="templates")


def audit_reader():
    """The signed-in user if they may read the audit log; others get the usual 404."""
    if not audit_search.may_search(current_user):
        abort(404)
    return current_user._get_current_object()


@bp.get("/audit")
@login_required
def audit_log():
    user = audit_reader()
    filters = AuditFilters.from_args(request.args)
    page = audit_search.search(user, filters, request.args.get("page", 1))
    return render_template("reports/audit.html", page=page, filters=filters,
                           actions=audit_search.action_names(user))


@bp.get("/audit.xlsx")
@login_required
def audit_xlsx():
    user = audit_reader()
    rows = audit_search.export_rows(user, AuditFilters.from_args(request.args))
    stream = io.BytesIO()
    exports.write_xlsx(stream, [("audit", audit_search.EXPORT_HEADERS, rows)])
    stream.seek(0)
    return send_file(stream, as_attachment=True, download_name=f"audit-{date.today()}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/audit.csv")
@login_required
def audit_csv():
    user = audit_reader()
    rows = audit_search.export_rows(user, AuditFilters.from_args(request.args))
    stream = io.StringIO()
    exports.write_csv(stream, audit_search.EXPORT_HEADERS, rows)
    return Response(stream.getvalue().encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f"attachment; filename=audit-{date.today()}.csv"})


from blueprints.reports import coverage  # noqa: E402,F401  (routes on bp)
