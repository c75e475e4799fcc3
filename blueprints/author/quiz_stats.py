"""A quiz's item statistics for trainers (SPEC §6), filtered, and their xlsx download.

Counts only people in the trainer's scope. A filter a person mistyped (a date, a unit
outside their scope) is shown on the page, not answered with an error page.
"""
import io

from flask import render_template
from flask import request
from flask import send_file
from flask_login import current_user

from blueprints.author.views import bp
from services import exports
from services.errors import DomainError
from services.item_report import WEAK
from services.item_report import is_weak
from services.item_report import xlsx_sheets
from services.item_stats import find_quiz
from services.item_stats import quiz_statistics as compute
from services.stats_filters import stats_filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the query arguments the filter form keeps
FILTER_ARGS = ("unit", "since", "until", "attempts")


def typed_filters() -> dict:
    """What the person typed into the filter form, to show it back (and link the download)."""
    return {key: request.args.get(key, "").strip()[:100] for key in FILTER_ARGS
            if request.args.get(key, "").strip()}


@bp.route("/quizzes/<slug>/statistics")
def quiz_statistics(slug: str):
    quiz = find_quiz(slug)
    typed, problem, result = typed_filters(), None, None
    try:
        result = compute(quiz, user=current_user, **stats_filters(typed, current_user))
    except DomainError as error:
        problem = error.message
    return render_template("author/quiz_stats.html", quiz=quiz, typed=typed, problem=problem,
                           result=result, is_weak=is_weak, weak=WEAK)


@bp.route("/quizzes/<slug>/statistics.xlsx")
def quiz_statistics_xlsx(slug: str):
    """The same figures as the page, as a spreadsheet with Chinese headers."""
    quiz = find_quiz(slug)
    result = compute(quiz, user=current_user, **stats_filters(typed_filters(), current_user))
    stream = io.BytesIO()
    exports.write_xlsx(stream, xlsx_sheets(quiz.title, result))
    stream.seek(0)
    return send_file(stream, as_attachment=True, download_name=f"{quiz.slug}-statistics.xlsx",
                     mimetype=XLSX)
