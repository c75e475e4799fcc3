"""The web layer: one package per area, each exposing `bp`."""
from flask import Flask
from werkzeug.routing import IntegerConverter

from models.base import MAX_ID


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` limited to what a database id can hold, so a larger number is a 404, not a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def register_blueprints(app: Flask) -> None:
    from blueprints.api.views import bp as api_bp
    from blueprints.auth.views import bp as auth_bp
    from blueprints.author.views import bp as author_bp
    from blueprints.certs.views import bp as certs_bp
    from blueprints.grants.views import bp as grants_bp
    from blueprints.hours.views import bp as hours_bp
    from blueprints.learn.views import bp as learn_bp
    from blueprints.reports.views import bp as reports_bp
    from blueprints.roster.views import bp as roster_bp

    app.url_map.converters["int"] = DatabaseIdConverter
    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(roster_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(grants_bp)
    app.register_blueprint(author_bp)
    app.register_blueprint(hours_bp)
    app.register_blueprint(certs_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
