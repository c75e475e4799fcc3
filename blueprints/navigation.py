"""The navbar's links and the static files' URLs, made once per process instead of on every
page: a page would otherwise build a dozen URLs and translate a dozen labels that are the
same for everyone who sees the same variant of the menu."""
from flask import Flask
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from markupsafe import Markup

from blueprints.reader_language import current_language
from services.scope import has_any_grant


def nav_links() -> Markup:
    """The menu for this reader: one of a few variants (signed in, linked to a person, and
    the kinds of grant held), per language, rendered the first time it is asked for."""
    user = current_user._get_current_object()  # once: each use of the proxy looks it up again
    signed_in = user.is_authenticated
    flags = {  # has_roster_access(kinds) of blueprints/security.py, for the user in hand
        "signed_in": signed_in,
        "has_person": signed_in and user.person_id is not None,
        "reader": signed_in and has_any_grant(user),
        "admin": signed_in and has_any_grant(user, ("admin",)),
        "author": signed_in and has_any_grant(user, ("trainer", "admin")),
    }
    key = (current_language().code, request.script_root, *flags.values())
    cache = current_app.extensions.setdefault("nav_links", {})
    found = cache.get(key)
    if found is None:
        found = cache[key] = Markup(render_template("_nav_links.html", **flags))
    return found


def static_url(filename: str) -> str:
    """url_for('static', filename=…), remembered per mount point."""
    key = (request.script_root, filename)
    cache = current_app.extensions.setdefault("static_urls", {})
    found = cache.get(key)
    if found is None:
        found = cache[key] = url_for("static", filename=filename)
    return found


def register_navigation(app: Flask) -> None:
    app.jinja_env.globals["nav_links"] = nav_links
    app.jinja_env.globals["static_url"] = static_url
