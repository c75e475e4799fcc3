"""Locale choice (Chinese first) and the date/number filters templates use."""
import os
from datetime import date
from datetime import datetime

from flask import Flask
from flask import g
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import format_date
from flask_babel import format_datetime
from flask_babel import get_locale
from flask_babel import get_translations

from extensions import babel
from services.labels import grant_label
from services.labels import kind_label


def select_locale() -> str:
    """The user's saved choice, else this browser's, else Chinese.

    Outside a request (the CLI) follow LANG, as every gettext program does.
    """
    if not has_request_context():
        return "zh_CN" if os.environ.get("LANG", "").startswith("zh") else "en"
    if request.args.get("lang") in ("zh_CN", "en"):
        return request.args["lang"]
    user = g.get("_login_user")  # loaded by Flask-Login; don't trigger a load from here
    if user is not None and user.is_authenticated and user.locale:
        return user.locale
    return session.get("locale") or "zh_CN"


def localdate(value: date | datetime | None, format: str = "medium") -> str:
    """A date as the reader's language writes it (2026年9月1日); datetimes in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, format)
    return format_date(value, format)


def request_translations():
    """The current locale's catalogue, found once per request and locale: a page asks for
    dozens of strings, and Flask-Babel's own lookup walks its contexts for each.

    It is kept beside Flask-Babel's own state for the request (g._flask_babel), keyed by
    the locale object, so force_locale() — which swaps that object — still switches it.
    """
    state = g.get("_flask_babel")
    if state is not None:
        cached = getattr(state, "shouwang_translations", None)
        if cached is not None and cached[0] is getattr(state, "babel_locale", None):
            return cached[1]
    translations = get_translations()
    state = g.get("_flask_babel")
    if state is not None:
        state.shouwang_translations = (get_locale(), translations)
    return translations


def register_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["unit_kind_label"] = kind_label
    app.jinja_env.globals["grant_label"] = grant_label
