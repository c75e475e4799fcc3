"""API: a subtree's coverage (SPEC §5) and the vacancies behind it."""
from flask import jsonify
from flask import request

from blueprints.api.auth import api_user
from blueprints.api.views import as_of
from blueprints.api.views import bp
from extensions import db
from services import coverage
from services import coverage_lists
from services import scope


@bp.get("/units/<code>/coverage")
def unit_coverage(code: str):
    root = scope.get_unit(api_user(), code)
    payload = coverage.compute_coverage(root, as_of()).as_dict()
    db.session.commit()  # keep the snapshots a province's figures were just computed into
    return jsonify(payload)


@bp.get("/units/<code>/vacancies")
def unit_vacancies(code: str):
    root = scope.get_unit(api_user(), code)
    found = coverage_lists.vacancies(root, as_of(), request.args.get("role") or None,
                               request.args.get("page"), request.args.get("per_page", type=int),
                               q=request.args.get("q") or None)
    return jsonify({"items": [v.as_dict() for v in found.items], "page": found.number,
                    "per_page": found.per_page, "total": found.total})
