"""The signed-in user's profile: who they are, and their API tokens."""
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.auth.forms import TokenForm
from blueprints.auth.views import bp
from extensions import db
from services import accounts
from services.pagination import paginate


def render_profile(form: TokenForm, new_token: str | None = None):
    """The profile page; a token just created is shown once and never cached."""
    page = paginate(accounts.active_tokens(current_user), request.args.get("page"))
    response = make_response(render_template("auth/profile.html", form=form, page=page,
                                             new_token=new_token))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/profile")
@login_required
def profile():
    return render_profile(TokenForm())


@bp.post("/profile/tokens")
@login_required
def create_token():
    """Create a token and show it on this response only.

    No redirect here: the token would have to travel in the session cookie, which is
    signed but readable; it is shown once, on a page the browser may not cache.
    """
    form = TokenForm()
    if not form.validate_on_submit():
        return render_profile(form)
    token = accounts.create_token(current_user._get_current_object(), form.name.data.strip())
    db.session.commit()
    return render_profile(TokenForm(formdata=None), new_token=token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    user = current_user._get_current_object()
    row = accounts.get_own_token(user, token_id)
    accounts.revoke_token(row, by=user)
    db.session.commit()
    flash(_("Token %(prefix)s… has been revoked and no longer works.", prefix=row.prefix), "success")
    return redirect(url_for("auth.profile"))
