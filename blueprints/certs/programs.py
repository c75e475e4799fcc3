"""The learner's certification page: each program covering their roles, its state, what is
done and what is left, and when it expires or falls due for renewal."""
from flask import render_template
from flask_login import current_user
from flask_login import login_required

from blueprints.certs.views import bp
from services import certification


@bp.get("/certification")
@login_required
def programs():
    person = current_user.person
    return render_template("certs/programs.html", rows=certification.program_progress(person),
                           linked=person is not None)
