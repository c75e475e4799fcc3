"""Trainers' authoring pages: the module list, the editor with live preview, saving versions.

Only trainers and admins (and superadmins) may author; to anyone else these pages do
not exist (404). The preview is rendered by the learner page's own macro
(templates/_module_body.html), so what a trainer sees is what a learner reads.
"""
from flask import Blueprint
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.author.forms import MAX_SOURCE
from blueprints.author.forms import ModuleForm
from blueprints.author.forms import NewModuleForm
from extensions import db
from services import authoring
from services.errors import ValidationFailed

bp = Blueprint("author", __name__, template_folder="templates", url_prefix="/author")


@bp.before_request
@login_required
def require_author():
    """Every page here is for authors; others get a 404, the anonymous the sign-in page."""
    authoring.require_author(current_user)


@bp.route("/modules")
def modules():
    q = request.args.get("q", "").strip()[:100]
    found = authoring.list_modules(q, request.args.get("page"))
    return render_template("author/modules.html", q=q, found=found)


@bp.route("/modules/new", methods=["GET", "POST"])
def new_module():
    form = NewModuleForm()
    if request.method == "GET":
        form.source.data = authoring.new_module_template()
    return edit_page(form, None, lambda: authoring.create_module(
        form.slug.data.strip(), form.source.data, by=current_user))


@bp.route("/modules/<slug>/edit", methods=["GET", "POST"])
def edit_module(slug: str):
    module = authoring.get_module(slug)
    form = ModuleForm()
    if request.method == "GET":
        form.source.data = module.current.source
    return edit_page(form, module, lambda: authoring.save_module(
        slug, form.source.data, requires_recompletion=form.requires_recompletion.data,
        by=current_user))


def edit_page(form: ModuleForm, module, save):
    """Save (then redirect), or show the editor with the preview and any problems in place."""
    problems, parsed = [], None
    if form.validate_on_submit():
        if form.preview.data:
            parsed, problems = authoring.preview_module(
                module.slug if module else (form.slug.data or "").strip(), form.source.data)
        else:
            try:
                version = save()
            except ValidationFailed as error:
                db.session.rollback()
                problems = error.problems
            else:
                db.session.commit()
                flash(_("Saved as version %(n)d.", n=version.version), "success")
                return redirect(url_for("author.edit_module", slug=version.module.slug))
    status = 422 if problems else 200
    return render_template("author/edit.html", form=form, module=module, parsed=parsed,
                           problems=problems), status


@bp.route("/preview", methods=["POST"])
def preview():
    """The editor's live preview: the learner page's HTML for the text, and its problems."""
    source = request.form.get("source", "")[:MAX_SOURCE]
    parsed, problems = authoring.preview_module(request.form.get("slug", "").strip(), source)
    html = render_template("author/_preview.html", parsed=parsed) if parsed else ""
    return jsonify(html=html, problems=problems)


from blueprints.author import question_import  # noqa: E402,F401  (its routes live on bp)
from blueprints.author import questions  # noqa: E402,F401  (its routes live on bp)
from blueprints.author import quiz_stats  # noqa: E402,F401  (its routes live on bp)
from blueprints.author import quizzes  # noqa: E402,F401  (its routes live on bp)
from blueprints.author import results  # noqa: E402,F401  (its routes live on bp)
from blueprints.author import stats  # noqa: E402,F401  (its routes live on bp)
