"""create_app(): config → extensions → blueprints → error handlers → CLI."""
import sys

from flask import Flask

import cli
from blueprints import register_blueprints
from blueprints.errors import register_error_handlers
from blueprints.i18n import register_i18n
from blueprints.navigation import register_navigation
from blueprints.security import register_security
from config import Config
from extensions import csrf
from extensions import db
from extensions import limiter
from extensions import login_manager


def create_app(config: type = Config) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security(app)
    register_navigation(app)
    cli.register(app)
    return app


def register_migrations(app: Flask) -> None:
    """`flask db …` for the command line and the tests. A gunicorn worker serves requests
    and never migrates, so it does not load Alembic (about 10 MB in every worker)."""
    if "gunicorn" in sys.modules:
        return
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True,
            compare_type=True)


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (every table known to Alembic)

    db.init_app(app)
    register_migrations(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_i18n(app)
