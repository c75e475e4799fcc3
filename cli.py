"""The `flask …` commands of SPEC §4: parse arguments, call one service, print.

Each command is one transaction: it commits when the service returns and rolls
back, prints the problem on stderr and exits non-zero when it raises.
"""
import sys
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import AppGroup

from extensions import db
from services import accounts
from services.errors import DomainError
from services.errors import ValidationFailed

users = AppGroup("users", help="Logins and their grants.")
tokens = AppGroup("tokens", help="API tokens.")
content = AppGroup("content", help="Training content and rules as files (SPEC §2).")


@contextmanager
def transaction():
    """Commit on success; on a DomainError roll back, explain on stderr, exit 1."""
    try:
        yield
        db.session.commit()
    except ValidationFailed as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(error.message if not error.problems else
                   f"{len(error.problems)} problem(s); nothing was written.", err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--person", "person_number", help="Link the login to this staff/student number.")
@click.option("--superadmin", is_flag=True)
@click.option("--admin-of", metavar="CODE")
@click.option("--trainer-of", metavar="CODE")
@click.option("--auditor-of", metavar="CODE")
def create_user(email, name, password, person_number, superadmin, admin_of, trainer_of, auditor_of):
    """Create a login, optionally with one grant."""
    chosen = [(k, v) for k, v in (("superadmin", superadmin), ("admin", admin_of),
                                  ("trainer", trainer_of), ("auditor", auditor_of)) if v]
    if len(chosen) > 1:
        raise click.UsageError("Give at most one of --superadmin, --admin-of, --trainer-of, --auditor-of.")
    grant = None
    if chosen:
        kind, value = chosen[0]
        grant = (kind, None if kind == "superadmin" else value)
    with transaction():
        user = accounts.create_user(email, name, password, person_number=person_number, grant=grant)
    scope = f" ({grant[0]}{' of ' + grant[1] if grant[1] else ''})" if grant else ""
    click.echo(f"Created user {user.email}{scope}")


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="", help="A label for the token.")
def create_token(email, name):
    """Print a new API token for the user with EMAIL (shown only once)."""
    with transaction():
        user = accounts.find_login(email)
        if user is None:
            raise DomainError(f"No user with email {email}.")
        token = accounts.create_token(user, name)
    click.echo(token)


@content.command("sync")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def sync_content(directory):
    """Load DIRECTORY (default content/) into the database; all or nothing."""
    from flask import current_app

    from services.content import sync_directory

    with transaction():
        result = sync_directory(directory or current_app.config["CONTENT_DIR"])
    click.echo(str(result))


@content.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
def export_content(directory):
    """Write the database's content to DIRECTORY in the same formats."""
    from services.content import export_directory

    with transaction():
        written = export_directory(directory)
    click.echo(f"wrote {len(written)} file(s) to {directory}")


def register(app: Flask) -> None:
    for group in (users, tokens, content):
        app.cli.add_command(group)
