"""The mental-health course (S10): the report per class and academic year, its xlsx, and
each class's log where teachers record what they taught.

Readers (admin, trainer, auditor) in scope see reports; a class's log is open to them and
to the staff of the class, its college and its university (services.course_delivery);
outside that, 404. Auditors see no form and get 403 on POST.
"""
import io

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.course_forms import DeliveryForm
from blueprints.hours.views import bp
from extensions import db
from models import Unit
from services import course_delivery as course
from services import exports
from services import scope
from services.academic_year import parse_year
from services.academic_year import recent_years
from services.course_report import TARGET_MAX
from services.course_report import TARGET_MIN
from services.course_report import course_report
from services.course_report import report_sheets
from services.errors import Forbidden
from services.errors import ValidationFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_args() -> dict:
    """The filters the report page and its download share."""
    return {"year": parse_year(request.args.get("year")),
            "only_under": request.args.get("under") == "1",
            "q": request.args.get("q", "").strip()[:100]}


@bp.route("/course")
@login_required
def course_index():
    """Where to start: the reader's units, and the classes the signed-in teacher may log for."""
    q = request.args.get("q", "").strip()[:100]
    return render_template("hours/course_index.html", roots=scope.root_units(current_user),
                           classes=course.my_classes(current_user, q, request.args.get("page")),
                           q=q)


@bp.route("/course/<code>")
@login_required
def course_unit(code: str):
    unit = scope.get_unit(current_user, code)
    args = report_args()
    report = course_report(unit, args["year"], only_under=args["only_under"], q=args["q"],
                           page=request.args.get("page"))
    return render_template("hours/course_report.html", unit=unit, report=report, args=args,
                           years=recent_years(), target_min=TARGET_MIN, target_max=TARGET_MAX)


@bp.route("/course/<code>.xlsx")
@login_required
def course_xlsx(code: str):
    """The report as a spreadsheet (Chinese headers), with a sheet of the deliveries."""
    unit = scope.get_unit(current_user, code)
    args = report_args()
    stream = io.BytesIO()
    exports.write_xlsx(stream, report_sheets(unit, args["year"], only_under=args["only_under"],
                                             q=args["q"]))
    stream.seek(0)
    return send_file(stream, as_attachment=True, mimetype=XLSX,
                     download_name=f"course-{unit.code}-{args['year']}.xlsx")


@bp.route("/course/<code>/log", methods=["GET", "POST"])
@login_required
def course_log(code: str):
    klass = course.class_for(current_user, code)
    may_log = course.may_log(current_user, klass)
    form = DeliveryForm() if may_log else None
    if request.method == "POST":
        if not may_log:
            raise Forbidden(_("You may not log course hours for this class."))
        if form.validate_on_submit():
            try:
                teacher = course.find_teacher(klass, form.teacher.data, form.on.data)
                course.log_delivery(klass, on=form.on.data, hours=form.hours.data,
                                    topic=form.topic.data, teacher=teacher, by=current_user)
            except ValidationFailed as error:
                db.session.rollback()
                form.form_errors.extend(error.problems)
            else:
                db.session.commit()
                hours = format(form.hours.data, "g")
                flash(_("%(hours)s class hours logged for %(name)s.", hours=hours, name=klass.name),
                      "success")
                return redirect(url_for(".course_log", code=klass.code))
    elif form is not None and current_user.person is not None:
        form.teacher.data = current_user.person.number
    return render_log(klass, form)


def render_log(klass: Unit, form: DeliveryForm | None):
    year = parse_year(request.args.get("year"))
    deliveries = course.class_deliveries(klass, year, request.args.get("page"))
    return render_template(
        "hours/course_log.html", klass=klass, form=form, year=year, years=recent_years(),
        deliveries=deliveries, hours=course.delivered_hours(klass, year),
        deletable={d.id for d, _name in deliveries.items if course.may_delete(current_user, d)},
        may_report=scope.can(current_user, scope.READ_KINDS, klass),
        target_min=TARGET_MIN, target_max=TARGET_MAX)


@bp.route("/course/<code>/log/<int:delivery_id>/delete", methods=["POST"])
@login_required
def course_delete(code: str, delivery_id: int):
    klass = course.class_for(current_user, code)
    course.delete_delivery(course.get_delivery(klass, delivery_id), by=current_user)
    db.session.commit()
    flash(_("The entry was removed."), "success")
    return redirect(url_for(".course_log", code=klass.code))
