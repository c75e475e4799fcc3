"""Sign in and out, change or set a password, choose the language."""
from urllib.parse import urlsplit

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required
from flask_login import login_user
from flask_login import logout_user

from blueprints.auth.forms import ChangePasswordForm
from blueprints.auth.forms import LoginForm
from blueprints.auth.forms import NewPasswordForm
from extensions import db
from extensions import limiter
from services import accounts
from services.errors import DomainError

bp = Blueprint("auth", __name__, template_folder="templates")

#: pages a user who must change their password may still open
OPEN_DURING_FORCED_CHANGE = {"auth.change_password", "auth.logout", "auth.set_language", "static"}


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("learn.dashboard")


@bp.before_app_request
def force_password_change():
    # The request is looked at before the user: an API call or an open page never loads
    # the signed-in user here (the API authenticates by token, not by the cookie).
    if request.endpoint in OPEN_DURING_FORCED_CHANGE or request.path.startswith("/api/"):
        return None
    user = current_user._get_current_object()
    if user.is_authenticated and accounts.must_change_password(user, current_app.config["DEMO_MODE"]):
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data, ip=request.remote_addr)
        db.session.commit()
        if user is None:
            form.password.errors.append(_("Wrong username or password."))
        else:
            chosen = session.get("locale")  # switched on the sign-in page: it wins and is kept
            session.clear()
            login_user(user)
            session.permanent = True
            if chosen and chosen != user.locale:
                user.locale = chosen
                db.session.commit()
            if user.locale:
                session["locale"] = user.locale
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    forced = accounts.must_change_password(current_user, current_app.config["DEMO_MODE"])
    form = NewPasswordForm() if forced and not current_user.password_hash else ChangePasswordForm()
    if form.validate_on_submit():
        try:
            if isinstance(form, ChangePasswordForm):
                accounts.change_password(current_user, form.current.data, form.password.data)
            else:
                accounts.set_password(current_user, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("learn.dashboard"))
    return render_template("auth/password.html", form=form, forced=forced)


@bp.route("/activate/<token>", methods=["GET", "POST"])
def activate(token: str):
    user = accounts.user_for_activation(token)
    if user is None:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.activate(token, form.password.data)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("learn.dashboard"))
    return render_template("auth/activate.html", form=form, user=user)


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["locale"] = code
    if current_user.is_authenticated:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))


from blueprints.auth import profile  # noqa: E402,F401  (registers the profile pages on bp)
