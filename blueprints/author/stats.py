"""A module's statistics page and the download of its current source."""
from flask import Response
from flask import render_template
from flask import request
from flask_login import current_user

from blueprints.author.views import bp
from services import authoring
from services.module_stats import module_stats


@bp.route("/modules/<slug>/stats")
def module_statistics(slug: str):
    stats = module_stats(slug, current_user, request.args.get("version"))
    return render_template("author/stats.html", stats=stats)


@bp.route("/modules/<slug>/export")
def export_module(slug: str):
    """The current version as the file `flask content sync` reads (content/modules/<slug>.md)."""
    version = authoring.get_module(slug).current
    return Response(version.source, content_type="text/markdown; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}.md"'})
