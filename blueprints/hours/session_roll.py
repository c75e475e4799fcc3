"""Taking a session's attendance: ticking the list, adding a walk-in by number, importing a
spreadsheet of numbers, and the QR screen people scan to check themselves in.

Only the session unit's trainers and admins use these; auditors in scope get 403,
everyone else 404.
"""
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.session_forms import AttendanceImportForm
from blueprints.hours.session_forms import WalkInForm
from blueprints.hours.sessions import render_session
from blueprints.hours.views import bp
from extensions import db
from models import TrainingSession
from models.base import MAX_ID
from services import session_attendance
from services import session_import
from services import training_sessions
from services.errors import DomainError
from services.errors import ValidationFailed
from services.qr import qr_svg
from services.session_checkin import current_token
from services.session_window import OPEN
from services.session_window import closes_at
from services.session_window import opens_at
from services.session_window import window_state

#: the QR screen reloads itself this often (the code changes every minute)
QR_REFRESH_SECONDS = 30


def managed(session_id: int) -> TrainingSession:
    """The session if the user manages it: 404 outside scope, 403 for auditors."""
    session = training_sessions.get_session(current_user, session_id)
    training_sessions.check_may_manage(current_user, session)
    return session


def ids(name: str) -> set[int]:
    """The whole numbers posted under `name` (anything else is ignored)."""
    return {int(v) for v in request.form.getlist(name)
            if v.strip().isdigit() and int(v) <= MAX_ID}  # larger cannot be a database id


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@login_required
def take_attendance(session_id: int):
    session = managed(session_id)
    try:
        marked, unmarked = session_attendance.take_attendance(
            session, ids("present"), ids("listed"), by=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("Attendance saved: %(marked)d marked present, %(unmarked)d removed.",
                marked=marked, unmarked=unmarked), "success")
    return redirect(url_for(".session", session_id=session.id, apage=request.args.get("apage"),
                            q=request.args.get("q") or None, _anchor="attendance"))


@bp.route("/sessions/<int:session_id>/walk-in", methods=["POST"])
@login_required
def walk_in(session_id: int):
    session = managed(session_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        return render_session(session, walk_in=form, status=422)
    try:
        person, new = session_attendance.add_walk_in(session, form.number.data, by=current_user)
    except DomainError as error:
        db.session.rollback()
        form.number.errors = [error.message]
        return render_session(session, walk_in=form, status=422)
    db.session.commit()
    flash(_("%(name)s is marked present.", name=person.name) if new
          else _("%(name)s was already marked present.", name=person.name), "success")
    return redirect(url_for(".session", session_id=session.id, _anchor="attendance"))


@bp.route("/sessions/<int:session_id>/import", methods=["POST"])
@login_required
def import_attendance(session_id: int):
    session = managed(session_id)
    form = AttendanceImportForm()
    if not form.validate_on_submit():
        return render_session(session, import_form=form, status=422)
    try:
        result = session_import.import_attendance(session, form.file.data, by=current_user,
                                                  dry_run=form.dry_run.data)
    except ValidationFailed as error:
        db.session.rollback()
        return render_session(session, import_form=form, problems=error.problems, status=422)
    except DomainError as error:
        db.session.rollback()
        form.file.errors.append(error.message)
        return render_session(session, import_form=form, status=422)
    if result.dry_run:
        db.session.rollback()
        flash(_("Dry run: the file is valid and nothing was written. It would mark %(new)d present; "
                "%(already)d already are.", new=result.new, already=result.already_present), "info")
    else:
        db.session.commit()
        flash(_("Imported: %(new)d marked present, %(already)d were already present.",
                new=result.new, already=result.already_present), "success")
    return redirect(url_for(".session", session_id=session.id, _anchor="attendance"))


@bp.route("/sessions/<int:session_id>/qr")
@login_required
def session_qr(session_id: int):
    """The screen shown in the room: a code that changes every minute, while check-in is open."""
    session = managed(session_id)
    state = window_state(session)
    url = None
    if state == OPEN:
        url = url_for(".checkin", session_id=session.id, token=current_token(session),
                      _external=True)
    registered, present = session_attendance.counts(session)
    code = qr_svg(url, scale=10, label=_("QR code for checking in")) if url else None
    response = render_template("hours/session_qr.html", session=session, state=state, url=url,
                               code=code, present=present,
                               registered=registered, opens=opens_at(session),
                               closes=closes_at(session), refresh=QR_REFRESH_SECONDS)
    return response, 200, {"Cache-Control": "no-store"}
