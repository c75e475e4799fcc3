"""Reviewers' side of the ledger: the queue of pending hours, one entry's page, bulk decisions.

Admins and trainers decide on entries of people in their scope; auditors see the queue
and the entries but get 403 on every POST. An entry outside the user's scope answers
404 on its page and its POST, as if it did not exist.
"""
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.entry_forms import QueueFilter
from blueprints.hours.entry_forms import ReviewForm
from blueprints.hours.views import bp
from extensions import db
from models.base import MAX_ID
from services import hours_review
from services import roster
from services import scope
from services.errors import NotFound
from services.errors import ValidationFailed
from services.hour_activities import ACTIVITIES
from services.hours_review import REVIEW_KINDS


def queue_kinds() -> tuple[str, ...]:
    """Reviewers see what they may decide on; auditors (read only) what they may read."""
    if not scope.has_any_grant(current_user):
        abort(403)
    return REVIEW_KINDS if scope.has_any_grant(current_user, REVIEW_KINDS) else scope.READ_KINDS


def back_to_queue(target: str | None) -> str:
    """Follow `next` only back into the review pages (never off the site)."""
    if target and target.startswith("/hours/review") and "\\" not in target:
        return target
    return url_for(".review_queue")


def decided_message(result: hours_review.ReviewResult, approve: bool) -> str:
    n = len(result.changed)
    text = (ngettext("%(num)d entry approved.", "%(num)d entries approved.", n) if approve
            else ngettext("%(num)d entry rejected.", "%(num)d entries rejected.", n))
    if result.unchanged:
        text += " " + ngettext("%(num)d had already been decided that way.",
                               "%(num)d had already been decided that way.", len(result.unchanged))
    return text


def decision_of(value: str | None) -> bool:
    """True to approve, False to reject; anything else is refused rather than guessed."""
    if value not in ("approve", "reject"):
        raise ValidationFailed([_("Choose whether to approve or reject.")])
    return value == "approve"


@bp.route("/hours/review", methods=["GET", "POST"])
@login_required
def review_queue():
    kinds = queue_kinds()
    if request.method == "POST" and kinds != REVIEW_KINDS:
        abort(403)
    filters = QueueFilter(request.args)
    form = ReviewForm()
    problems: list[str] = []
    ticked = {i for i in request.form.getlist("ids", type=int) if 0 < i <= MAX_ID}  # database ids
    if form.validate_on_submit():
        try:
            approve = decision_of(request.form.get("decision"))
            result = hours_review.review_entries(ticked, approve=approve, reason=form.reason.data,
                                                 by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(decided_message(result, approve), "success")
            return redirect(request.full_path)
    unit, found = None, None
    code = (filters.unit.data or "").strip()[:64]
    if code:
        try:
            unit = scope.get_unit(current_user, code, kinds)
        except NotFound as error:
            filters.unit.errors = [error.message]
    if not filters.unit.errors:
        activity = filters.activity.data if filters.activity.data in ACTIVITIES else None
        found = hours_review.review_queue(current_user, q=filters.q.data, unit=unit,
                                          activity=activity, page=request.args.get("page"),
                                          kinds=kinds)
    people = [e.person for e in found.items] if found else []
    status = 422 if problems or form.errors else 200
    return render_template("hours/review.html", filters=filters, form=form, found=found,
                           problems=problems, ticked=ticked, can_review=kinds == REVIEW_KINDS,
                           roles=roster.current_roles_of(people)), status


@bp.route("/hours/review/<int:entry_id>", methods=["GET", "POST"])
@login_required
def review_entry(entry_id: int):
    entry = hours_review.entry_in_scope(current_user, entry_id)  # 404 outside any scope
    try:
        hours_review.entry_in_scope(current_user, entry_id, REVIEW_KINDS)
        can_review = True
    except NotFound:
        can_review = False
    if request.method == "POST" and not can_review:
        abort(403)
    form = ReviewForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            approve = decision_of(request.form.get("decision"))
            result = hours_review.review_entries([entry.id], approve=approve,
                                                 reason=form.reason.data, by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        else:
            db.session.commit()
            flash(decided_message(result, approve), "success")
            return redirect(back_to_queue(request.form.get("next")))
    status = 422 if problems or form.errors else 200
    return render_template("hours/review_entry.html", entry=entry, form=form, problems=problems,
                           can_review=can_review, next=back_to_queue(request.args.get("next")),
                           roles=roster.current_roles_of([entry.person])[entry.person.id]), status
