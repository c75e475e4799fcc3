"""The roster upload page: an admin imports units or people from Excel or CSV (SPEC §3).

Routes live on the roster blueprint (`roster.import_roster`, /import). The page is
for admins only; anyone else gets 404, as if it did not exist.
"""
import io

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from blueprints.roster.views import bp
from extensions import db
from services import exports
from services import roster_import
from services import scope
from services.errors import DomainError
from services.errors import ValidationFailed

#: what the form's "kind" offers → the service that imports it
IMPORTERS = {"units": roster_import.import_units, "people": roster_import.import_people}
#: at most this many problems are listed on the page (the CLI prints them all)
SHOWN_PROBLEMS = 1000


class ImportForm(FlaskForm):
    kind = RadioField(_l("What the file holds"), default="people",
                      choices=[SelectChoice("units", _l("Units")),
                               SelectChoice("people", _l("People and their roles"))])
    file = FileField(_l("File (.xlsx or .csv)"),
                     validators=[FileRequired(_l("Choose a file to import."))])
    dry_run = BooleanField(_l("Dry run (validate only)"))


def require_admin() -> None:
    """The import page exists only for admins and superadmins."""
    if not scope.has_any_grant(current_user, scope.WRITE_KINDS):
        abort(404)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_roster():
    require_admin()
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            result = IMPORTERS[form.kind.data](form.file.data, dry_run=form.dry_run.data,
                                               by=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            problems = error.problems
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(error.message)
        else:
            if result.dry_run:
                db.session.rollback()
                flash(_("Dry run: the file is valid and nothing was written. It would create "
                        "%(created)d, update %(updated)d and leave %(unchanged)d unchanged.",
                        created=result.created, updated=result.updated,
                        unchanged=result.unchanged), "info")
            else:
                db.session.commit()
                flash(_("Imported: created %(created)d, updated %(updated)d, unchanged %(unchanged)d.",
                        created=result.created, updated=result.updated,
                        unchanged=result.unchanged), "success")
            return redirect(url_for(".import_roster"))
    status = 422 if problems or form.errors else 200
    return render_template("roster/import.html", form=form, problems=problems[:SHOWN_PROBLEMS],
                           total_problems=len(problems)), status


#: the columns of each roster file, Chinese headers first, with one example row
TEMPLATES = {
    "units": (["单位编码", "单位名称", "类型", "上级编码", "学生人数"],
              [["U001", "示例大学", "学校", "", ""],
               ["U001-C01", "心理学院", "学院", "U001", ""],
               ["U001-C01-K01", "2026级心理学1班", "班级", "U001-C01", "30"],
               ["U001-C01-K01-D01", "东区1栋-101", "寝室", "U001-C01-K01", "5"]]),
    "people": (["工号/学号", "姓名", "角色", "单位编码", "邮箱", "手机", "开始日期", "结束日期"],
               [["2026010101", "张三", "寝室信息员", "U001-C01-K01-D01", "", "", "2026-09-01", ""],
                ["T2026001", "李四", "counselor", "U001-C01", "li@example.edu.cn", "", "2026-09-01", ""]]),
}


@bp.route("/import/template/<kind>.xlsx")
@login_required
def import_template(kind: str):
    """An empty roster file with the expected headers and an example row."""
    require_admin()
    if kind not in TEMPLATES:
        abort(404)
    headers, rows = TEMPLATES[kind]
    stream = io.BytesIO()
    exports.write_xlsx(stream, [(kind, headers, rows)])
    stream.seek(0)
    return send_file(stream, as_attachment=True, download_name=f"roster-{kind}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.errorhandler(413)
def upload_too_large(error):
    """Say how large a file may be, on the upload page itself."""
    if not (current_user.is_authenticated and scope.has_any_grant(current_user, scope.WRITE_KINDS)):
        return render_template("error.html", status=413, message=_("The file is too large.")), 413
    form = ImportForm(formdata=None)
    form.file.errors = [_("The file is too large: at most %(size)s may be uploaded. Split it into "
                          "smaller files and import them one after another.",
                          size=megabytes(current_app.config.get("MAX_CONTENT_LENGTH") or 0))]
    return render_template("roster/import.html", form=form, problems=[], total_problems=0), 413


def megabytes(size: int) -> str:
    """A byte count as people say it: 32 MB, or 512 KB below a megabyte."""
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{max(1, size // 1024)} KB"
