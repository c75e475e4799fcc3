"""Taking a quiz: its introduction, the attempt (all on one page or one question per
screen), the last check before submitting, and the review.

Every page change is a POST that saves the answers shown first, so nothing is lost without
JavaScript; static/js/quiz.js also saves on every change (X-Requested-With: fetch, answered
with JSON) and submits when the timer reaches zero. The server keeps the deadline itself.
"""
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.learn.views import bp
from extensions import db
from models.base import utcnow
from services import attempts
from services.attempt_pages import answered_count
from services.attempt_pages import answers_from_form
from services.attempt_pages import shown_questions
from services.errors import Conflict
from services.learner_quizzes import past_attempts
from services.learner_quizzes import quiz_row
from services.learner_quizzes import quiz_size


def load(slug: str, attempt_id: int):
    """The quiz and the signed-in person's attempt at it, settled if its time ran out."""
    quiz = attempts.get_quiz(slug)
    attempt = attempts.get_attempt(current_user.person, quiz, attempt_id)
    if attempt.submitted_at is None and attempts.is_overdue(attempt):
        attempts.settle(attempt)
        db.session.commit()
        flash(_("Time is up: your attempt has been submitted."), "warning")
    return quiz, attempt


def to_review(quiz, attempt):
    return redirect(url_for(".quiz_review", slug=quiz.slug, attempt_id=attempt.id))


def to_page(quiz, attempt, number=None):
    return redirect(url_for(".quiz_attempt", slug=quiz.slug, attempt_id=attempt.id, q=number))


def seconds_left(attempt) -> int | None:
    """Whole seconds until the deadline, for the timer; None when untimed."""
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - utcnow()).total_seconds()))


@bp.route("/quizzes/<slug>")
@login_required
def quiz(slug):
    quiz = attempts.get_quiz(slug)
    person = current_user.person
    current = attempts.open_attempt(person, quiz) if person else None
    if current is not None and attempts.is_overdue(current):
        attempts.settle(current)
        db.session.commit()
        current = None
    return render_template("learn/quiz.html", quiz=quiz, person=person, current=current,
                           row=quiz_row(person, quiz), size=quiz_size(quiz),
                           past=past_attempts(person, quiz))


@bp.post("/quizzes/<slug>/start")
@login_required
def quiz_start(slug):
    quiz = attempts.get_quiz(slug)
    attempt = attempts.start_attempt(current_user.person, quiz)
    db.session.commit()
    if attempt.submitted_at is not None:
        flash(_("Time is up: your attempt has been submitted."), "warning")
        return to_review(quiz, attempt)
    return to_page(quiz, attempt)


@bp.route("/quizzes/<slug>/attempts/<int:attempt_id>")
@login_required
def quiz_attempt(slug, attempt_id):
    quiz, attempt = load(slug, attempt_id)
    if attempt.submitted_at is not None:
        return to_review(quiz, attempt)
    questions = shown_questions(attempt)
    number = None
    if quiz.layout == "paged" and questions:
        number = min(max(request.args.get("q", 1, type=int), 1), len(questions))
    shown = questions if number is None else [questions[number - 1]]
    return render_template("learn/quiz_attempt.html", quiz=quiz, attempt=attempt,
                           questions=questions, shown=shown, number=number,
                           seconds_left=seconds_left(attempt))


@bp.post("/quizzes/<slug>/attempts/<int:attempt_id>")
@login_required
def quiz_save(slug, attempt_id):
    quiz, attempt = load(slug, attempt_id)
    fetch = request.headers.get("X-Requested-With") == "fetch"
    review = url_for(".quiz_review", slug=quiz.slug, attempt_id=attempt.id)
    if attempt.submitted_at is not None:
        return jsonify(status="submitted", review=review) if fetch else to_review(quiz, attempt)
    answers, problems = answers_from_form(shown_questions(attempt),
                                          request.form.to_dict(flat=False))
    go = request.form.get("go", "")
    try:
        status = attempts.save_answers(attempt, answers)
        if status == attempts.SAVED and go == "submit":
            attempts.submit_attempt(attempt)
        db.session.commit()
    except Conflict:
        db.session.rollback()
        status = "submitted"
    if fetch:
        return jsonify(status="invalid" if problems and status == attempts.SAVED else status,
                       problems=problems, review=review)
    if status == attempts.LATE:
        flash(_("Time was up: answers sent after the deadline were not saved. "
                "Your attempt has been submitted."), "warning")
        return to_review(quiz, attempt)
    if status == "submitted" or go == "submit":
        return to_review(quiz, attempt)
    for problem in problems:
        flash(problem, "warning")
    here = request.form.get("q", type=int)
    if problems:
        return to_page(quiz, attempt, here)
    if go == "finish":
        return redirect(url_for(".quiz_finish", slug=quiz.slug, attempt_id=attempt.id))
    if go.isdigit():
        return to_page(quiz, attempt, int(go))
    flash(_("Your answers are saved."), "success")
    return to_page(quiz, attempt, here)


@bp.route("/quizzes/<slug>/attempts/<int:attempt_id>/finish")
@login_required
def quiz_finish(slug, attempt_id):
    quiz, attempt = load(slug, attempt_id)
    if attempt.submitted_at is not None:
        return to_review(quiz, attempt)
    questions = shown_questions(attempt)
    return render_template("learn/quiz_finish.html", quiz=quiz, attempt=attempt,
                           questions=questions, answered=answered_count(questions),
                           seconds_left=seconds_left(attempt))


@bp.post("/quizzes/<slug>/attempts/<int:attempt_id>/submit")
@login_required
def quiz_submit(slug, attempt_id):
    _quiz, attempt = load(slug, attempt_id)
    attempts.submit_attempt(attempt)
    db.session.commit()
    # the address just checked, not the rows again: the commit expired them
    return redirect(url_for(".quiz_review", slug=slug, attempt_id=attempt_id))


@bp.route("/quizzes/<slug>/attempts/<int:attempt_id>/review")
@login_required
def quiz_review(slug, attempt_id):
    quiz, attempt = load(slug, attempt_id)
    if attempt.submitted_at is None:
        return to_page(quiz, attempt)
    return render_template("learn/quiz_review.html", quiz=quiz, attempt=attempt,
                           questions=shown_questions(attempt))
