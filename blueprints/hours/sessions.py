"""In-person training sessions: the list, scheduling, a session's page and registering.

A session's page shows what a learner needs (when, where, register) and, to trainers,
admins and auditors in scope, the attendance list; anyone else gets 404. Attendance
forms and the QR screen live in session_roll.py, the check-in pages in checkin.py.
"""
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import format_datetime
from flask_babel import format_time
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.session_forms import AttendanceImportForm
from blueprints.hours.session_forms import NewSessionForm
from blueprints.hours.session_forms import SessionForm
from blueprints.hours.session_forms import WalkInForm
from blueprints.hours.views import bp
from extensions import db
from models import TrainingSession
from models.base import utcnow
from services import scope
from services import session_attendance
from services import session_listing
from services import session_registration
from services import training_sessions
from services.errors import DomainError
from services.errors import ValidationFailed
from services.roster import all_roles
from services.session_activities import activity_choices
from services.session_activities import activity_label
from services.session_eligibility import is_eligible
from services.session_times import local_date
from services.session_times import to_local
from services.session_window import window_state
from services.training_sessions import MANAGE_KINDS
from services.training_sessions import SessionFields


@bp.route("/sessions")
@login_required
def sessions():
    args = request.args
    q = args.get("q", "").strip()
    person = current_user.person
    show = args.get("show") if args.get("show") == session_listing.PAST else session_listing.UPCOMING
    managing = scope.has_any_grant(current_user)
    return render_template(
        "hours/sessions.html", q=q, show=show,
        upcoming=session_listing.upcoming_for(person, q, args.get("page")) if person else None,
        mine=session_listing.listed_for(person, args.get("mpage")) if person else None,
        managed=session_listing.managed_sessions(current_user, q, args.get("spage"), show=show)
        if managing else None,
        may_create=scope.has_any_grant(current_user, MANAGE_KINDS))


def when(session: TrainingSession) -> str:
    """"2026/12/10 14:00–15:30" in local time (the end's date only when it differs)."""
    same_day = to_local(session.starts_at).date() == to_local(session.ends_at).date()
    tail = (format_time if same_day else format_datetime)(session.ends_at, "short")
    return f"{format_datetime(session.starts_at, 'short')}–{tail}"


@bp.context_processor
def session_helpers() -> dict:
    """What the session templates call: the time span and the activity's words."""
    return {"session_when": when, "session_activity": activity_label}


def role_labels() -> dict[str, str]:
    locale = str(get_locale())
    return {role.code: role.label(locale) for role in all_roles()}


def fill_choices(form: SessionForm) -> SessionForm:
    form.activity.choices = activity_choices()
    form.roles.choices = list(role_labels().items())
    return form


def fields_of(form: SessionForm) -> SessionFields:
    return SessionFields(title=form.title.data, starts_at=form.starts_at.data,
                         ends_at=form.ends_at.data, hours=float(form.hours.data),
                         activity=form.activity.data, description=form.description.data or "",
                         place=form.place.data or "", roles=list(form.roles.data or []),
                         capacity=form.capacity.data)


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def new_session():
    roots = scope.root_units(current_user, MANAGE_KINDS)
    if not roots and not current_user.is_superadmin:
        abort(404)
    form = fill_choices(NewSessionForm())
    if request.method == "GET":
        form.unit.data = request.args.get("unit") or (roots[0].code if roots else "")
        form.activity.data = "workshop"
    if form.validate_on_submit():
        try:
            unit = scope.get_unit(current_user, form.unit.data.strip(), MANAGE_KINDS)
            session = training_sessions.create_session(unit, fields_of(form), by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            form.form_errors.extend(error.problems)
        except DomainError as error:
            db.session.rollback()
            form.unit.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Session scheduled."), "success")
            return redirect(url_for(".session", session_id=session.id))
    return render_template("hours/session_form.html", form=form, session=None), \
        422 if form.errors or form.form_errors else 200


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    training_sessions.check_may_manage(current_user, session)
    form = fill_choices(SessionForm(data=vars(SessionFields.of(session)))
                        if request.method == "GET" else SessionForm())
    if form.validate_on_submit():
        try:
            training_sessions.update_session(session, fields_of(form), by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            form.form_errors.extend(error.problems)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Session saved."), "success")
            return redirect(url_for(".session", session_id=session.id))
    return render_template("hours/session_form.html", form=form, session=session), \
        422 if form.errors or form.form_errors else 200


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    training_sessions.check_may_manage(current_user, session)
    return act(session, lambda: training_sessions.cancel_session(session, by=current_user),
               _("Session cancelled."))


@bp.route("/sessions/<int:session_id>")
@login_required
def session(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    return render_session(session)


def render_session(session: TrainingSession, import_form: AttendanceImportForm | None = None,
                   problems: list[str] | None = None, walk_in: WalkInForm | None = None,
                   status: int = 200):
    """The session page; the attendance part only for readers in scope."""
    person = current_user.person
    mine = session_attendance.find_attendance(session, person) if person else None
    readable = training_sessions.may_read_attendance(current_user, session)
    manageable = training_sessions.may_manage(current_user, session)
    registered, present = session_attendance.counts(session)
    q = request.args.get("q", "").strip()
    problems = problems or []
    return render_template(
        "hours/session.html", session=session, mine=mine,
        eligible=person is not None and is_eligible(session, person, local_date(utcnow())),
        registered=registered, present=present, window=window_state(session),
        registration_open=session.cancelled_at is None and utcnow() < session.starts_at,
        readable=readable, manageable=manageable, q=q,
        roll=session_attendance.attendance_page(session, request.args.get("apage"), q)
        if readable else None,
        import_form=import_form or (AttendanceImportForm(formdata=None) if manageable else None),
        walk_in=walk_in or (WalkInForm(formdata=None) if manageable else None),
        problems=problems[:1000], total_problems=len(problems),
        roles=role_labels()), status


def act(session: TrainingSession, action, done: str):
    """Run one service call for a session's button: commit and say so, or say why not."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(".session", session_id=session.id))


@bp.route("/sessions/<int:session_id>/register", methods=["POST"])
@login_required
def register(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    if current_user.person is None:
        abort(404)
    return act(session, lambda: session_registration.register(session, current_user.person),
               _("You are registered."))


@bp.route("/sessions/<int:session_id>/unregister", methods=["POST"])
@login_required
def unregister(session_id: int):
    session = training_sessions.get_session(current_user, session_id)
    if current_user.person is None:
        abort(404)
    return act(session, lambda: session_registration.unregister(session, current_user.person),
               _("Your registration is withdrawn."))


from blueprints.hours import checkin  # noqa: E402,F401  (routes on bp)
from blueprints.hours import session_roll  # noqa: E402,F401  (routes on bp)
