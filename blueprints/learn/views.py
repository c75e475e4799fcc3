"""The learner's side: the dashboard and the case-study modules.

A module page is read with GET (never a write); moving on to the next section and
answering a decision are POSTs. With JavaScript, a decision is posted by fetch with
`X-Requested-With: fetch` and answered with the page's live part only.
"""
from flask import Blueprint
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from flask_login import login_required

from extensions import db
from services import certification
from services import competency
from services import expiry_notices
from services import learner_modules
from services import learner_quizzes
from services import training
from services.module_page import build_page
from services.module_source import load_version
from services.roles_held import roles_held

bp = Blueprint("learn", __name__, template_folder="templates")


@bp.route("/")
@login_required
def dashboard():
    person = current_user.person
    roles = roles_held(person.id) if person else []
    codes = {assignment.role.code for assignment in roles}
    return render_template("learn/dashboard.html", roles=roles,
                           modules=learner_modules.learner_modules(person, codes=codes),
                           quizzes=learner_quizzes.learner_quizzes(person, codes=codes),
                           competencies=competency.person_profile(person),
                           hours=training.hours_total(person),
                           notices=expiry_notices.dashboard_notices(person),
                           certification=certification.program_progress(person, codes=codes))


@bp.route("/modules/<slug>")
@login_required
def module(slug):
    page = build_page(current_user.person, training.get_module(slug),
                      request.args.get("section", type=int))
    return render_template("learn/module.html", page=page)


@bp.post("/modules/<slug>/decisions/<decision_id>")
@login_required
def answer(slug, decision_id):
    person = training.learner_of(current_user.person)
    module = training.get_module(slug)
    training.answer_decision(person, module.current, decision_id,
                             request.form.get("choice", type=int))
    db.session.commit()
    section = training.decision_sections(load_version(module.current))[decision_id]
    if request.headers.get("X-Requested-With") == "fetch":
        return render_template("learn/_module_live.html", page=build_page(person, module, section))
    return redirect(url_for(".module", slug=slug, section=section, _anchor=f"decision-{decision_id}"))


@bp.post("/modules/<slug>/sections/<int:index>")
@login_required
def reach(slug, index):
    person = training.learner_of(current_user.person)
    module = training.get_module(slug)
    progress = training.open_module(person, module.current)
    training.reach_section(progress, index)
    db.session.commit()
    return redirect(url_for(".module", slug=slug, section=index))


from blueprints.learn import notices  # noqa: E402,F401  (its routes live on bp)
from blueprints.learn import quizzes  # noqa: E402,F401  (its routes live on bp)
