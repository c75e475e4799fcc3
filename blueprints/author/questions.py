"""Trainers' question banks in the browser: browse and search, create, edit, preview.

Routes live on the author blueprint, so only trainers and admins reach them (others 404).
"""
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.author.question_forms import COMPETENCY_LABELS
from blueprints.author.question_forms import TYPE_LABELS
from blueprints.author.question_forms import QuestionForm
from blueprints.author.question_forms import add_spare_rows
from blueprints.author.question_forms import form_problems
from blueprints.author.question_forms import question_initial
from blueprints.author.views import bp
from extensions import db
from services import question_authoring
from services.errors import DomainError


@bp.route("/questions")
def questions():
    args = {name: request.args.get(name, "").strip()[:100] for name in ("bank", "q", "competency")}
    found = question_authoring.list_questions(page=request.args.get("page"), **args)
    return render_template("author/questions.html", found=found, banks=question_authoring
                           .bank_summaries(), competencies=COMPETENCY_LABELS,
                           types=TYPE_LABELS, untagged=question_authoring.UNTAGGED, **args)


@bp.route("/questions/new", methods=["GET", "POST"])
def new_question():
    form = QuestionForm()
    if request.method == "GET":
        form.bank.data = request.args.get("bank", "")[:100]
    return question_page(form, None, lambda: question_authoring.create_question(
        form.bank.data, form.record(), by=current_user))


@bp.route("/questions/<qid>/edit", methods=["GET", "POST"])
def edit_question(qid: str):
    question = question_authoring.get_question(qid)
    form = QuestionForm(data=question_initial(question) if request.method == "GET" else None)
    return question_page(form, question, lambda: question_authoring.update_question(
        question, form.record(), by=current_user))


def question_page(form: QuestionForm, question, save):
    """Save (then redirect to the edit page), or show the form, its preview and problems."""
    problems, shown = [], None
    if request.method == "POST" and not form.validate_on_submit():
        problems = form_problems(form)
    elif request.method == "POST" and form.preview.data:
        shown, problems = question_authoring.preview_question(form.record())
    elif request.method == "POST":
        try:
            saved = save()
        except DomainError as error:
            db.session.rollback()
            problems = getattr(error, "problems", None) or [error.message]
        else:
            db.session.commit()
            flash(_("Question %(qid)s saved.", qid=saved.qid), "success")
            return redirect(url_for("author.edit_question", qid=saved.qid))
    add_spare_rows(form.options, 4)
    return render_template("author/question_edit.html", form=form, question=question,
                           shown=shown, problems=problems), 422 if problems else 200
