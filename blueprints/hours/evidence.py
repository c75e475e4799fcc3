"""Serving an evidence file: to its owner and to readers whose scope holds the owner."""
from flask import send_file
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.views import bp
from extensions import db
from models import EvidenceFile
from services import scope
from services.errors import NotFound
from services.evidence import download_name
from services.evidence import evidence_path


@bp.route("/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    item = db.session.get(EvidenceFile, evidence_id)
    if item is None:
        raise NotFound()
    if current_user.person_id != item.person_id:
        scope.get_person(current_user, item.person.number)  # NotFound outside the scope
    path = evidence_path(item)
    if not path.is_file():
        raise NotFound()
    return send_file(path, mimetype=item.content_type, as_attachment=False,
                     download_name=download_name(item), max_age=0)
