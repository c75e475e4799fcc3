"""Bringing a Moodle question bank over from the browser: upload GIFT or Moodle XML.

The route lives on the author blueprint (author.import_questions,
/author/questions/import), so only trainers and admins reach it. The page shows what
was created, updated and left unchanged, and every question skipped for a type with
no equivalent here, by name.
"""
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from blueprints.author.question_forms import COMPETENCY_LABELS
from blueprints.author.views import bp
from extensions import db
from services import question_import
from services import upload_limits as limits
from services.errors import DomainError
from services.errors import ValidationFailed
from services.upload_reading import read_at_most

#: at most this many problems are listed on the page (the CLI prints them all)
SHOWN_PROBLEMS = 1000


class QuestionImportForm(FlaskForm):
    bank = StringField(_l("Bank (short name)"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Lower-case letters, digits and hyphens, e.g. moodle-recognition. "
                                      "A bank that does not exist yet is made."))
    competency = SelectField(_l("Competency of the imported questions"),
                             choices=[SelectChoice("", _l("Not tagged yet"))]
                             + [SelectChoice(code, label) for code, label in COMPETENCY_LABELS.items()])
    file = FileField(_l("Moodle file (.gift, .txt or .xml)"),
                     validators=[FileRequired(_l("Choose a file to import."))])


@bp.route("/questions/import", methods=["GET", "POST"])
def import_questions():
    form = QuestionImportForm()
    if request.method == "GET" and request.args.get("bank"):
        form.bank.data = request.args["bank"][:100]
    problems, result = [], None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            fmt = question_import.format_for(upload.filename)
            result = question_import.import_questions(
                read_at_most(upload.stream, limits.MAX_QUESTION_FILE), fmt,
                form.bank.data.strip(), competency=form.competency.data or None, by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(error.message)
        else:
            db.session.commit()
    status = 422 if problems or form.errors else 200
    return render_template("author/question_import.html", form=form, result=result,
                           bank=form.bank.data, problems=problems[:SHOWN_PROBLEMS],
                           total_problems=len(problems)), status
