"""The database as configured: WAL on SQLite, and migrations that match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy import inspect
from sqlalchemy import text

from app import create_app
from config import TestConfig
from extensions import db
from tests.conftest import ROOT

MIGRATIONS = str(ROOT / "migrations")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    """The default database (SQLite) is checked whichever database this run targets."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'wal.db'}"

    app = create_app(Config)
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        db.engine.dispose()


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_upgrade_downgrade_upgrade(app):
    downgrade(directory=MIGRATIONS, revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(directory=MIGRATIONS)
    assert {"unit", "person", "assignment", "user"} <= set(inspect(db.engine).get_table_names())


def test_migrations_rebuild_tables_that_hold_rows(app, runner):
    """Batch mode rebuilds `unit` (which every table references) on SQLite: with a province,
    people and certificates in it, going back before provinces and forward again keeps
    everything else and leaves no broken reference."""
    from models import Assignment
    from models import Unit
    from services.content import sync_directory
    from tests.conftest import CONTENT

    sync_directory(CONTENT)
    db.session.commit()
    assert runner.invoke(args=["demo", "generate", "--students", "1500"]).exit_code == 0
    assignments = db.session.scalar(db.select(db.func.count(Assignment.id)))
    db.session.remove()
    downgrade(directory=MIGRATIONS, revision="05f87c8385e6")  # before hours, provinces, caches
    upgrade(directory=MIGRATIONS)
    assert db.session.scalar(db.select(db.func.count(Assignment.id))) == assignments
    kinds = set(db.session.scalars(db.select(Unit.kind).distinct()))
    assert "province" not in kinds and "university" in kinds
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
