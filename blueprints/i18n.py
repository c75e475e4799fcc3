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
from jinja2 import pass_context
from jinja2 import pass_eval_context
from markupsafe import Markup

from blueprints.gettext_literals import FILTER as LITERAL_GETTEXT
from blueprints.gettext_literals import GettextLiterals
from blueprints.labels import labels_for
from blueprints.reader_language import current_language
from extensions import babel
from services.labels import grant_label
from services.labels import kind_label

#: the template context's name for the language render_template() began in
PAGE_LANGUAGE = "_language"


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
    return _as_template_text(eval_ctx, current_language().translations.ugettext(string), variables)


@pass_context  # not pass_eval_context: Jinja would call that at compile time, in one language
def literal_gettext(context, msgid: str, /, **variables) -> str:
    """_('a literal') in a template (blueprints/gettext_literals.py). The language is the one
    the page began in (PAGE_LANGUAGE), found once, not once per string; without variables the
    finished text is kept per language, as the page's next readers want it too."""
    # a macro imported without context has no PAGE_LANGUAGE
    language = context.parent.get(PAGE_LANGUAGE) or current_language()
    if variables:
        return _as_template_text(context.eval_ctx, language.translations.ugettext(msgid), variables)
    key = ("_", msgid, context.eval_ctx.autoescape)
    text = language.kept.get(key)
    if text is None:
        text = language.kept[key] = _as_template_text(
            context.eval_ctx, language.translations.ugettext(msgid), variables)
    return text


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
    """ngettext() in a template, the direct way (see template_gettext)."""
    variables.setdefault("num", num)
    text = current_language().translations.ungettext(singular, plural, num)
    return _as_template_text(eval_ctx, text, variables)


def register_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension(GettextLiterals)  # _('a literal') → ('a literal'|literal_gettext)
    app.jinja_env.filters[LITERAL_GETTEXT] = literal_gettext
    app.context_processor(lambda: {PAGE_LANGUAGE: current_language()})
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_language().translations.ugettext(s),
        ngettext=lambda s, p, n: current_language().translations.ungettext(s, p, n),
        pgettext=lambda c, s: current_language().translations.upgettext(c, s),
        npgettext=lambda c, s, p, n: current_language().translations.unpgettext(c, s, p, n),
        newstyle=True)
    # the two every page uses many times, without Jinja's three context calls a string
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    app.jinja_env.filters["localdate"] = localdate
    app.jinja_env.globals["current_locale"] = lambda: current_language().code
    app.jinja_env.globals["unit_kind_label"] = kind_label
    app.jinja_env.globals["grant_label"] = grant_label
    app.jinja_env.globals["labels_for"] = labels_for
