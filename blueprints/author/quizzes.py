"""Trainers' quizzes in the browser: list, define and edit (SPEC §2.5 as a form).

Routes live on the author blueprint, so only trainers and admins reach them (others 404).
"""
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from blueprints.author.question_forms import LAYOUT_LABELS
from blueprints.author.question_forms import QuizForm
from blueprints.author.question_forms import add_spare_rows
from blueprints.author.question_forms import choices
from blueprints.author.question_forms import form_problems
from blueprints.author.question_forms import quiz_initial
from blueprints.author.views import bp
from extensions import db
from models import Role
from services import question_authoring
from services.errors import DomainError

#: pages other areas add for a quiz, linked when they exist: (endpoint, label)
QUIZ_PAGES = (("author.quiz_statistics", _l("Statistics")),
              ("author.quiz_results", _l("Paper results")))


@bp.route("/quizzes")
def quizzes():
    q = request.args.get("q", "").strip()[:100]
    found = question_authoring.list_quizzes(q, request.args.get("page"))
    return render_template("author/quizzes.html", q=q, found=found, links=quiz_links(),
                           layouts=LAYOUT_LABELS)


@bp.route("/quizzes/new", methods=["GET", "POST"])
def new_quiz():
    form = QuizForm()
    return quiz_page(form, None, lambda: question_authoring.create_quiz(
        form.slug.data, form.record(), by=current_user))


@bp.route("/quizzes/<slug>/edit", methods=["GET", "POST"])
def edit_quiz(slug: str):
    quiz = question_authoring.get_quiz(slug)
    form = QuizForm(data=quiz_initial(quiz) if request.method == "GET" else None)
    return quiz_page(form, quiz, lambda: question_authoring.update_quiz(
        quiz, form.record(), by=current_user))


def quiz_page(form: QuizForm, quiz, save):
    """Save (then redirect to the edit page), or show the form with its problems in place."""
    form.roles.choices = choices((role.code, role.name) for role in
                                 db.session.scalars(select(Role).order_by(Role.kind, Role.code)))
    banks = choices([("", "—")] + [(row.QuestionBank.slug,
                                    f"{row.QuestionBank.slug} ({row.questions})")
                                   for row in question_authoring.bank_summaries()])
    problems = []
    if request.method == "POST" and not form.validate_on_submit():
        problems = form_problems(form)
    elif request.method == "POST":
        try:
            saved = save()
        except DomainError as error:
            db.session.rollback()
            problems = getattr(error, "problems", None) or [error.message]
        else:
            db.session.commit()
            flash(_("Quiz %(title)s saved.", title=saved.title), "success")
            return redirect(url_for("author.edit_quiz", slug=saved.slug))
    add_spare_rows(form.draws, 2)
    for row in form.draws:
        row.form.bank.choices = banks
    return render_template("author/quiz_edit.html", form=form, quiz=quiz, problems=problems,
                           links=quiz_links()), 422 if problems else 200


def quiz_links() -> list:
    """The per-quiz pages that exist in this build, so the list can link to them."""
    return [(endpoint, label) for endpoint, label in QUIZ_PAGES
            if endpoint in current_app.view_functions]
