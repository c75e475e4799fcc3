"""The learner's side: the dashboard (modules and quizzes join it as they land)."""
from flask import Blueprint
from flask import render_template
from flask_login import current_user
from flask_login import login_required

from services import roster

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.route("/")
@login_required
def dashboard():
    roles = roster.current_roles(current_user.person) if current_user.person else []
    return render_template("learn/dashboard.html", roles=roles)
