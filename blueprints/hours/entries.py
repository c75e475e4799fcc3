"""A learner's hours: log training done off the platform, see each entry's status, the
yearly totals and how far the approved hours go towards what their roles require.

Routes: `hours.my_hours` (/hours), `hours.edit_entry` and `hours.withdraw_entry` (a
pending entry the learner logged). An account without a person in the roster sees
the page without the form and gets 403 on POST.
"""
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.entry_forms import HoursForm
from blueprints.hours.views import bp
from extensions import db
from services import hours_entries
from services.errors import ValidationFailed
from services.hour_activities import activity_label
from services.hours_requirements import requirements_for

bp.add_app_template_global(activity_label, "activity_label")
bp.add_app_template_global(hours_entries.is_withdrawn, "hours_withdrawn")
bp.add_app_template_global(hours_entries.can_change, "hours_can_change")


def upload_of(storage):
    """The (stream, filename) the service takes, or None when no file was chosen."""
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.stream, storage.filename


def entry_values(form: HoursForm) -> dict:
    return dict(on=form.date.data, hours=form.hours.data, activity=form.activity.data,
                description=form.description.data or "", evidence=upload_of(form.evidence.data))


@bp.route("/hours", methods=["GET", "POST"])
@login_required
def my_hours():
    person = current_user.person
    if request.method == "POST" and person is None:
        abort(403)
    form = HoursForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            hours_entries.log_hours(person, **entry_values(form), by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(_("Your hours were recorded and wait for approval."), "success")
            return redirect(url_for(".my_hours"))
    status = 422 if problems or form.errors else 200
    entries = hours_entries.my_entries(person, request.args.get("page")) if person else None
    return render_template(
        "hours/entries.html", form=form, problems=problems, entries=entries,
        years=hours_entries.year_totals(person) if person else [],
        requirements=requirements_for(person)), status


@bp.route("/hours/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int):
    entry = hours_entries.own_entry(current_user.person, entry_id)
    hours_entries.ensure_changeable(entry)
    form = HoursForm(data=dict(date=entry.date, hours=entry.hours, activity=entry.activity,
                               description=entry.description))
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            hours_entries.edit_hours(entry, **entry_values(form), by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(_("The entry was changed."), "success")
            return redirect(url_for(".my_hours"))
    status = 422 if problems or form.errors else 200
    return render_template("hours/entries_edit.html", form=form, entry=entry,
                           problems=problems), status


@bp.post("/hours/<int:entry_id>/withdraw")
@login_required
def withdraw_entry(entry_id: int):
    entry = hours_entries.own_entry(current_user.person, entry_id)
    hours_entries.withdraw_hours(entry, by=current_user)
    db.session.commit()
    flash(_("The entry was withdrawn. It stays in your history."), "info")
    return redirect(url_for(".my_hours"))
