"""create_app(): config → extensions → blueprints → error handlers → CLI."""
from flask import Flask

import cli
from blueprints import register_blueprints
from blueprints.errors import register_error_handlers
from blueprints.i18n import register_i18n
from blueprints.security import register_security
from config import Config
from extensions import csrf
from extensions import db
from extensions import limiter
from extensions import login_manager
from extensions import migrate


def create_app(config: type = Config) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security(app)
    cli.register(app)
    return app


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (every table known to Alembic)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    register_i18n(app)
