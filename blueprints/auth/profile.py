"""The signed-in user's profile: who they are, their API tokens, signing out everywhere."""
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_login import logout_user

from blueprints.auth.forms import TokenForm
from blueprints.auth.views import bp
from extensions import db
from extensions import limiter
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
@limiter.limit(lambda: current_app.config["TOKEN_RATE_LIMIT"],
               key_func=lambda: f"user-{current_user.get_id()}")
@login_required
def create_token():
    """Create a token and show it on this response only.

    No redirect here: the token would have to travel in the session cookie, which is
    signed but readable; it is shown once, on a page the browser may not cache.
    """
    form = TokenForm()
    if not form.validate_on_submit():
        return render_profile(form)
    token = accounts.create_token(current_user._get_current_object(), (form.name.data or "").strip())
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


@bp.post("/profile/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End this and every other session of the user, e.g. after using a shared computer."""
    user = current_user._get_current_object()
    accounts.sign_out_everywhere(user, by=user, ip=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been signed out on every device."), "success")
    return redirect(url_for("auth.login"))
