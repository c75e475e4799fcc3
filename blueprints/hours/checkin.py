"""QR check-in from a phone: the scanned link opens a page with one big button.

Signing in first returns here (Flask-Login passes `next`). The GET page never marks
anyone (link previews and prefetching must not check people in); with JavaScript,
static/js/checkin.js presses the button at once when nothing stands in the way. The
POST (CSRF-protected) marks the person present and redirects to a page saying their
hours were credited, so reloading it changes nothing.
"""
from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.views import bp
from extensions import db
from models import TrainingSession
from services import session_attendance
from services import session_checkin
from services import training_sessions
from services.errors import DomainError
from services.errors import NotFound


def reachable(session_id: int, token: str) -> TrainingSession:
    """The session if the user may see it, or holds a code that is valid now (a walk-in)."""
    session = training_sessions.find_session(session_id)
    if session is None:
        abort(404)
    try:
        return training_sessions.get_session(current_user, session_id)
    except NotFound:
        if not session_checkin.token_is_valid(session, token):
            raise
        return session


def already_present(session: TrainingSession) -> bool:
    person = current_user.person
    row = session_attendance.find_attendance(session, person) if person else None
    return row is not None and row.present_at is not None


@bp.route("/checkin/<int:session_id>/<token>", methods=["GET", "POST"])
@login_required
def checkin(session_id: int, token: str):
    session = reachable(session_id, token)
    if already_present(session):
        return redirect(url_for(".checked_in", session_id=session.id))
    try:
        if request.method == "POST":
            session_checkin.check_in(session, current_user.person, token)
            db.session.commit()
            return redirect(url_for(".checked_in", session_id=session.id))
        session_checkin.check_token(session, token)
        session_checkin.check_person(session, current_user.person)
    except DomainError as error:
        db.session.rollback()
        return render_template("hours/session_checkin.html", session=session, token=token,
                               problem=error.message), error.status
    return render_template("hours/session_checkin.html", session=session, token=token, problem=None)


@bp.route("/sessions/<int:session_id>/checked-in")
@login_required
def checked_in(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    person = current_user.person
    row = session_attendance.find_attendance(session, person) if person else None
    if row is None or row.present_at is None:
        abort(404)
    entry = session_attendance.find_entry(person, training_sessions.session_ref(session))
    return render_template("hours/session_checked_in.html", session=session, attendance=row, entry=entry)
