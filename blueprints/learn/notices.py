"""Certificate expiry notices on the dashboard: the holder closes one with a POST."""
from flask import flash
from flask import redirect
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.learn.views import bp
from extensions import db
from services import expiry_notices


@bp.post("/notices/<int:notice_id>/dismiss")
@login_required
def dismiss_notice(notice_id):
    expiry_notices.dismiss_notice(current_user.person, notice_id)
    db.session.commit()
    flash(_("Notice closed."), "success")
    return redirect(url_for(".dashboard"))
