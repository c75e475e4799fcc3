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
from jinja2 import pass_eval_context
from markupsafe import Markup

from blueprints.labels import labels_for
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


def _as_template_text(eval_ctx, text: str, variables: dict) -> str:
    """What Jinja's own newstyle gettext returns: safe markup where the template escapes (so
    the variables are escaped), %-formatted even without variables (so '%%' reads as '%')."""
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def template_gettext(eval_ctx, string: str, /, **variables) -> str:
    """_() in a template. Jinja's version goes through three context calls per string, and a
    page asks for dozens; this one looks the string up directly, with the same result."""
    return _as_template_text(eval_ctx, request_translations().ugettext(string), variables)


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
    """ngettext() in a template, the direct way (see template_gettext)."""
    variables.setdefault("num", num)
    return _as_template_text(eval_ctx, request_translations().ungettext(singular, plural, num), variables)


def register_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True)
    # the two every page uses many times, without Jinja's three context calls a string
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["unit_kind_label"] = kind_label
    app.jinja_env.globals["grant_label"] = grant_label
    app.jinja_env.globals["labels_for"] = labels_for
