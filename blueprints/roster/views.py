"""Admins' roster: the unit tree, a unit's roles and holders, people, imports."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("roster", __name__, template_folder="templates")


@bp.route("/units")
@login_required
def units():
    return "TODO"


@bp.route("/people")
@login_required
def people():
    return "TODO"


@bp.route("/import")
@login_required
def import_roster():
    return "TODO"
