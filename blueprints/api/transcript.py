"""API: a person's transcript (SPEC §7) — for readers in scope, and for the person themselves."""
from flask import jsonify

from blueprints.api.auth import api_user
from blueprints.api.views import as_of
from blueprints.api.views import bp
from services import transcript


@bp.get("/people/<number>/transcript")
def person_transcript(number: str):
    on = as_of()
    person = transcript.readable_person(api_user(), number)
    return jsonify(transcript.build_transcript(person, on))
