"""People: search by name or number within the scope, and one person's assignments."""
from datetime import date

from flask import render_template
from flask import request
from flask_babel import get_locale
from flask_login import current_user
from flask_login import login_required

from blueprints.roster.views import bp
from blueprints.roster.views import require_reader
from services import qualification_lists
from services import roster
from services import scope


@bp.route("/people")
@login_required
def people():
    require_reader()
    q = request.args.get("q", "").strip()
    found = roster.search_people(current_user, q, request.args.get("page"))
    return render_template("roster/people.html", q=q, found=found,
                           roles=roster.current_roles_of(found.items))


@bp.route("/people/<number>")
@login_required
def person(number: str):
    person = scope.get_person(current_user, number)
    today = date.today()
    assignments = roster.person_assignments(person, current_user)
    return render_template(
        "roster/person.html",
        person=person,
        current=[a for a in assignments if a.end is None or a.end >= today],
        past=[a for a in assignments if a.end is not None and a.end < today],
        editable={a.id for a in assignments if scope.can(current_user, scope.WRITE_KINDS, a.unit)},
        # units outside the reader's scope are named but not linked: their pages answer 404
        readable={a.id for a in assignments if scope.can(current_user, scope.READ_KINDS, a.unit)},
        today=today,
        qualifications=qualification_lists.verified_qualifications(person, str(get_locale())),
    )
