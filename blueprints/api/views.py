"""JSON API v1 (SPEC §7): bearer tokens, scoped reads, JSON errors."""
from datetime import date

from flask import Blueprint
from flask import jsonify
from flask import request
from flask_babel import gettext as _

from blueprints.api.auth import api_user
from blueprints.api.auth import authenticate
from blueprints.api.auth import count_guesses
from blueprints.api.auth import refuse_guessers
from blueprints.api.openapi import OPENAPI
from extensions import csrf
from services import directory
from services import item_stats
from services import scope
from services.errors import DomainError
from services.stats_filters import stats_filters

bp = Blueprint("api", __name__)
# Callers authenticate with a bearer token only, never the session cookie, so no request
# here can be forged from another site (tests/test_csrf_every_form.py holds to that).
csrf.exempt(bp)
# Guessing tokens: only answers of 401 count, so working clients are never slowed down.
bp.before_app_request(refuse_guessers)
bp.after_request(count_guesses)

#: endpoints anyone may read without a token
PUBLIC_ENDPOINTS = {"api.openapi", "api.certificate"}


@bp.before_request
def require_token():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return authenticate()


def as_of() -> date:
    """The `?as_of=YYYY-MM-DD` date the rules take, default today (SPEC: "Today")."""
    value = request.args.get("as_of")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("as_of must be a date written YYYY-MM-DD.")) from None


def include_history() -> bool:
    """Whether `?include=history` asks for past and future assignments too."""
    value = request.args.get("include")
    if value not in (None, "", "history"):
        raise DomainError(_("include may only be history."))
    return value == "history"


@bp.get("/units/<code>")
def unit(code: str):
    on, history = as_of(), include_history()
    found = scope.get_unit_row(api_user(), code)
    return jsonify(directory.describe_unit(found, on, history))


@bp.get("/people/<number>")
def person(number: str):
    found = scope.get_person(api_user(), number)
    return jsonify(directory.describe_person(found, api_user()))


@bp.get("/quizzes/<slug>/statistics")
def quiz_statistics(slug: str):
    quiz = item_stats.readable_quiz(api_user(), slug)
    filters = stats_filters(request.args, api_user())
    return jsonify(item_stats.quiz_statistics(quiz, user=api_user(), **filters))


@bp.get("/openapi.json")
def openapi():
    return jsonify(OPENAPI)


from blueprints.api import certificates  # noqa: E402,F401  (routes on bp)
from blueprints.api import coverage  # noqa: E402,F401  (routes on bp)
from blueprints.api import transcript  # noqa: E402,F401  (routes on bp)
