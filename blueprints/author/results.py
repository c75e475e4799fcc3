"""Loading a paper sitting from the browser: a trainer uploads the scanner's answer sheets.

Routes live on the author blueprint (author.quiz_results, /author/quizzes/<slug>/results),
so only trainers and admins reach them; the people a file may name are those in the
uploader's scope (services/omr_import.py has the rules).
"""
import io
from datetime import date

from flask import flash
from flask import redirect
from flask import render_template
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import DateField
from wtforms.validators import InputRequired

from blueprints.author.views import bp
from extensions import db
from services import exports
from services import omr_import
from services.errors import DomainError
from services.errors import ValidationFailed

#: at most this many problems are listed on the page (the CLI prints them all)
SHOWN_PROBLEMS = 1000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ResultsForm(FlaskForm):
    sat_on = DateField(_l("Date of the sitting"), validators=[InputRequired()], default=date.today)
    file = FileField(_l("Answer sheets (.xlsx or .csv)"),
                     validators=[FileRequired(_l("Choose a file to import."))])
    dry_run = BooleanField(_l("Dry run (validate only)"))


@bp.route("/quizzes/<slug>/results", methods=["GET", "POST"])
def quiz_results(slug: str):
    quiz = omr_import.get_quiz(slug)
    form = ResultsForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            result = omr_import.import_results(slug, form.file.data, sat_on=form.sat_on.data,
                                               dry_run=form.dry_run.data, by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(error.message)
        else:
            if result.dry_run:
                db.session.rollback()
                flash(_("Dry run: the file is valid and nothing was written. It would create "
                        "%(created)d attempt(s); %(unchanged)d row(s) were already imported.",
                        created=result.created, unchanged=result.unchanged), "info")
            else:
                db.session.commit()
                flash(_("Imported %(created)d graded attempt(s), %(passed)d passed; %(unchanged)d "
                        "row(s) were already imported.", created=result.created,
                        passed=result.passed, unchanged=result.unchanged), "success")
            return redirect(url_for(".quiz_results", slug=slug))
    status = 422 if problems or form.errors else 200
    return render_template("author/results.html", quiz=quiz, form=form,
                           problems=problems[:SHOWN_PROBLEMS], total_problems=len(problems)), status


@bp.route("/quizzes/<slug>/results/template.xlsx")
def results_template(slug: str):
    """An empty answer-sheet file for the quiz: the number column and its fixed questions."""
    quiz = omr_import.get_quiz(slug)
    stream = io.BytesIO()
    exports.write_xlsx(stream, [(quiz.slug[:31], ["工号/学号", *quiz.questions], [])])
    stream.seek(0)
    return send_file(stream, as_attachment=True, download_name=f"{quiz.slug}-results.xlsx",
                     mimetype=XLSX)
