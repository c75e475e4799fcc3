"""Reports for admins: the audit log (coverage joins it when it lands)."""
from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask_login import current_user
from flask_login import login_required

from services import audit

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.route("/audit")
@login_required
def audit_log():
    if not current_user.is_superadmin:
        abort(404)
    page = audit.search_events(action=request.args.get("action") or None,
                               q=request.args.get("q") or None, page=request.args.get("page", 1))
    return render_template("reports/audit.html", page=page, actions=audit.action_names())


from blueprints.reports import coverage  # noqa: E402,F401  (routes on bp)
