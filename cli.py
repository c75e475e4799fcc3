"""The `flask …` commands of SPEC §4: parse arguments, call one service, print.

Each command is one transaction: it commits when the service returns and rolls
back, prints the problem on stderr and exits non-zero when it raises.
"""
import sys
from contextlib import contextmanager

import click
from flask import Flask
from flask.cli import AppGroup
from flask.cli import with_appcontext
from flask_babel import gettext as _

from extensions import db
from services import accounts
from services.errors import DomainError
from services.errors import ValidationFailed

users = AppGroup("users", help="Logins and their grants.")
tokens = AppGroup("tokens", help="API tokens.")
content = AppGroup("content", help="Training content and rules as files (SPEC §2).")
demo = AppGroup("demo", help="The demo university and synthetic provinces.")
roster = AppGroup("roster", help="Import units and people from Excel or CSV (SPEC §3).")
questions = AppGroup("questions", help="Question banks: Moodle GIFT / XML import and export (SPEC §2.4).")
quiz = AppGroup("quiz", help="Quizzes: paper sittings and item statistics.")
hours = AppGroup("hours", help="The hour ledger: historical records.")
certs = AppGroup("certs", help="Certificates: import, evaluate, expiry reminders.")


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
                   _("%(n)d problem(s); nothing was written.", n=len(error.problems)), err=True)
        sys.exit(1)
    except DomainError as error:
        db.session.rollback()
        click.echo(_("Error: %(message)s", message=error.message), err=True)
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


@users.command("password")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The new password (asked for when not given).")
def set_user_password(email, password):
    """Set a login's password (the same rules as on the site) and end its sessions."""
    with transaction():
        user = accounts.find_login(email)
        if user is None:
            raise DomainError(_("No user with email %(email)s.", email=email))
        accounts.set_password(user, password)
    click.echo(f"Password set for {user.email}; its sessions have ended.")


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="", help="A label for the token.")
def create_token(email, name):
    """Print a new API token for the user with EMAIL (shown only once)."""
    with transaction():
        user = accounts.find_login(email)
        if user is None:
            raise DomainError(_("No user with email %(email)s.", email=email))
        token = accounts.create_token(user, name)
    click.echo(token)


@users.command("invite")
@click.option("--unit", "unit_code", required=True, metavar="CODE",
              help="Invite everyone active in this unit's subtree who has no login.")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False),
              help="Write the links to this spreadsheet instead of printing them.")
@click.option("--base-url", help="Start of the links (default: BASE_URL).")
@click.option("--reissue", is_flag=True,
              help="Also replace links that still work (the old ones stop working).")
def invite_users(unit_code, xlsx_path, base_url, reissue):
    """Make one-time activation links; print them, or write them to an xlsx."""
    from flask import current_app

    from services import invitations

    base_url = base_url or current_app.config["BASE_URL"]
    with transaction():
        result = invitations.invite_unit(unit_code, reissue=reissue,
                                         valid_days=current_app.config["INVITE_VALID_DAYS"])
        if xlsx_path:
            invitations.write_sheet(xlsx_path, result, base_url)
    if not xlsx_path:
        for item in result.invitations:
            click.echo(f"{item.number}\t{item.name}\t{invitations.activation_link(base_url, item.token)}")
    click.echo(f"Invited {len(result.invitations)} ({result.reissued} with a new link); skipped "
               f"{result.with_login} with a login and {result.still_invited} whose link still works.",
               err=True)
    if result.invitations:
        expires = invitations.local_time(result.invitations[0].expires)
        click.echo(f"Links work until {expires:%Y-%m-%d %H:%M}"
                   f"{' and are in ' + xlsx_path if xlsx_path else ''}.", err=True)


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


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has any unit.")
def load_demo(if_empty):
    """Load the demo university 示范大学 and its four logins, then print the logins."""
    from flask import current_app
    from sqlalchemy import select

    from models import Unit
    from services.demo_load import DEMO_LOGINS
    from services.demo_load import DEMO_PASSWORD
    from services.demo_load import load_demo as load

    if if_empty and db.session.scalar(select(Unit.id).limit(1)) is not None:
        click.echo("The database already has units; the demo was not loaded.")
    else:
        with transaction():
            made = load(current_app.config["CONTENT_DIR"])
        click.echo(f"Loaded the demo university: {made['units']} units, {made['people']} people, "
                   f"{made['assignments']} assignments.")
    click.echo(f"Demo logins (password {DEMO_PASSWORD}):")
    for email, _kind, _unit, what in DEMO_LOGINS:
        click.echo(f"  {email:<28} {what}")


@demo.command("generate")
@click.option("--students", type=click.IntRange(min=1), required=True)
@click.option("--seed", type=int, default=1, show_default=True)
def generate_demo(students, seed):
    """Bulk-insert a synthetic province of N students (codes start with G<seed>-)."""
    import time

    from flask import current_app

    from services.demo_generate import generate_province
    from services.demo_generate import refresh_statistics

    started = time.perf_counter()
    with transaction():
        made = generate_province(students, seed, current_app.config["CONTENT_DIR"])
    with transaction():
        refresh_statistics()  # the planner must know the tables grew a millionfold
    seconds = time.perf_counter() - started
    click.echo(", ".join(f"{value} {key}" for key, value in made.items() if key != "seed")
               + f" (seed {seed}) in {seconds:.1f} s")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_db(path, force):
    """Copy the database to PATH while the app runs (SQLite file, or pg_dump custom format)."""
    from services.backup import backup_database

    with transaction():
        written = backup_database(db.engine.url, path, overwrite=force)
    click.echo(f"Backed up the database to {written} ({written.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already has tables.")
@with_appcontext
def restore_db(path, force):
    """Put back a copy made by `db backup` (stop the app servers first)."""
    from services.restore import restore_database

    db.session.remove()
    with transaction():
        tables = restore_database(db.engine, path, force=force)
    click.echo(f"Restored the database from {path} ({tables} tables).")


@roster.command("units")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_units(path, dry_run):
    """Create or update units from FILE (.xlsx or .csv); any bad row means nothing is written."""
    from services.roster_import import import_units as run

    with transaction():
        result = run(path, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(str(result) + ("\ndry run: nothing written" if dry_run else ""))


@roster.command("people")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_people(path, dry_run):
    """Create or update people and their roles from FILE (.xlsx or .csv); all or nothing."""
    from services.roster_import import import_people as run

    with transaction():
        result = run(path, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(str(result) + ("\ndry run: nothing written" if dry_run else ""))


@quiz.command("import-results")
@click.argument("slug")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--date", "sat_on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day of the sitting, YYYY-MM-DD.")
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_results(slug, path, sat_on, dry_run):
    """Load a scanner's answer sheets (FILE, .xlsx or .csv) as graded paper attempts of quiz SLUG."""
    from services.omr_import import import_results as run

    with transaction():
        result = run(slug, path, sat_on=sat_on.date(), dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(str(result) + ("\ndry run: nothing written" if dry_run else ""))


@quiz.command("stats")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print SPEC §6's JSON object.")
@click.option("--unit", "unit_code", metavar="CODE", help="Only people in this unit's subtree.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only attempts sat on or after this day.")
@click.option("--until", metavar="YYYY-MM-DD", help="Only attempts sat on or before this day.")
@click.option("--all-attempts", is_flag=True, help="Count every attempt, not each person's first.")
def quiz_stats(slug, as_json, unit_code, since, until, all_attempts):
    """Item statistics of quiz SLUG over everyone's attempts (as Moodle's report)."""
    import json

    from services.item_report import text_table
    from services.item_stats import find_quiz
    from services.item_stats import quiz_statistics
    from services.stats_filters import stats_filters

    with transaction():
        filters = stats_filters({"unit": unit_code, "since": since, "until": until,
                                 "attempts": "all" if all_attempts else ""}, None)
        result = quiz_statistics(find_quiz(slug), **filters)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else text_table(result))


@questions.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--bank", "bank_slug", required=True, help="The bank to import into (made if missing).")
@click.option("--competency", help="recognition, discernment or intervention (default: none).")
def import_questions(path, bank_slug, competency):
    """Import Moodle GIFT (.gift, .txt) or Moodle XML (.xml) into a bank; all or nothing."""
    from services.question_import import format_for
    from services.question_import import import_questions as run
    from services.upload_limits import MAX_QUESTION_FILE
    from services.upload_reading import read_at_most

    with transaction(), open(path, "rb") as stream:
        data = read_at_most(stream, MAX_QUESTION_FILE)
        result = run(data, format_for(path), bank_slug, competency=competency)
    click.echo(str(result))
    for name, kind in result.skipped:
        click.echo(f"skipped: {name} ({kind})")
    for note in result.notes:
        click.echo(f"note: {note}", err=True)


@questions.command("export")
@click.option("--bank", "bank_slug", required=True)
@click.option("--format", "fmt", required=True, type=click.Choice(["gift", "moodle-xml", "yaml"]))
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
def export_questions(bank_slug, fmt, out):
    """Write a bank as GIFT, Moodle XML or the YAML bank file, to FILE or standard output."""
    from pathlib import Path

    from services.question_import import export_questions as run

    with transaction():
        result = run(bank_slug, fmt)
    if out:
        Path(out).write_text(result.text, encoding="utf-8")
    else:
        click.echo(result.text, nl=False)
    for qid, kind in result.skipped:
        click.echo(f"skipped: {qid} ({kind})", err=True)


@click.command("coverage")
@click.argument("code", metavar="UNIT_CODE")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON of SPEC §5.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date the rule takes (default today).")
@with_appcontext
def coverage_command(code, as_of, as_json):
    """Required, assigned and certified holders of every required role in a unit's subtree."""
    import json

    from services.coverage import compute_coverage
    from services.units import unit_by_code

    with transaction():
        result = compute_coverage(unit_by_code(code), as_of.date() if as_of else None)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    for line in coverage_lines(result):
        click.echo(line)


def coverage_lines(result) -> list[str]:
    """The coverage as a plain table for a terminal."""
    unit = result.root.unit
    lines = [f"{unit.code} {unit.name} ({unit.kind}) — {result.as_of.isoformat()}"
             + (f", students {result.students}" if result.students is not None else "")]
    header = ("role", "required", "assigned", "certified", "expiring", "vacancies", "uncertified",
              "coverage")
    lines.append("  ".join(f"{h:>11}" if i else f"{h:<24}" for i, h in enumerate(header)))
    for role in result.root.sorted_roles():
        values = [getattr(role, name) for name in header[1:-1]] + [f"{role.coverage:.1%}"]
        lines.append(f"{role.role:<24}" + "".join(f"  {v:>11}" for v in values))
    lines.append(f"units: {result.root.units_total} with rules, {result.root.units_compliant} compliant")
    for child in result.children:
        lines.append(f"  {child.unit.code:<16} {child.coverage:>7.1%}  "
                     f"{child.units_compliant}/{child.units_total} compliant  {child.unit.name}")
    return lines


@hours.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_hours(path, dry_run):
    """Load historical hour records from FILE (.xlsx or .csv) as approved entries; all or nothing."""
    from services.hours_import import import_hours as run

    with transaction():
        result = run(path, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(str(result) + ("\ndry run: nothing written" if dry_run else ""))


@certs.command("remind")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Act as if today were this day, YYYY-MM-DD.")
@click.option("--dry-run", is_flag=True, help="Count what is due; write and send nothing.")
def remind_certificates(as_of, dry_run):
    """Mail holders 90, 30 and 7 days before expiry and on it, and each admin a digest.

    Commits after each phase and each message, so a crash or a failing mail server
    loses nothing and a rerun sends nothing twice. Exits 1 when any mail failed (the
    rest is still done; the failed ones are retried on the next run).
    """
    from services.reminders import remind

    with transaction():
        report = remind(as_of.date() if as_of else None, send=not dry_run,
                        checkpoint=(lambda: None) if dry_run else db.session.commit)
        if dry_run:
            db.session.rollback()
    click.echo(_("notices created %(notices)d, mails sent %(sent)d, failed %(failed)d, "
                 "no address %(none)d, digests sent %(digests)d, digests failed %(dfailed)d",
                 notices=report.notices, sent=report.sent, failed=report.failed,
                 none=report.no_address, digests=report.digests_sent,
                 dfailed=report.digests_failed))
    if report.gave_up:
        click.echo(_("%(n)d reminder(s) failed too often and will not be retried.",
                     n=report.gave_up), err=True)
    if dry_run:
        click.echo(_("dry run: nothing written, nothing sent"))
    if not report.ok:
        click.echo(_("Some mail could not be sent; it is retried on the next run."), err=True)
        sys.exit(1)


@certs.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_certificates(path, dry_run):
    """Load certificates earned before the platform from FILE (.xlsx or .csv); all or nothing."""
    from services.certificate_import import import_certificates as run

    with transaction():
        result = run(path, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(str(result) + ("\ndry run: nothing written" if dry_run else ""))


@certs.command("evaluate")
@click.option("--all", "everyone", is_flag=True, help="Everyone with a role or an unexpired certificate.")
@click.option("--person", "number", metavar="NUMBER", help="Only this staff/student number.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Evaluate as if today were this day, YYYY-MM-DD.")
def evaluate_certificates(everyone, number, as_of):
    """Re-evaluate programs and issue or renew the certificates now earned (after rule changes)."""
    from services.certification_batch import evaluate_everyone
    from services.certification_batch import evaluate_person

    if bool(everyone) == bool(number):
        raise click.UsageError("Give exactly one of --all or --person NUMBER.")
    day = as_of.date() if as_of else None
    with transaction():
        result = evaluate_everyone(day) if everyone else evaluate_person(number, day)
    click.echo(str(result))


@hours.command("attendance")
@click.argument("session_id", metavar="SESSION_ID", type=int)
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
def import_session_attendance(session_id, path, dry_run):
    """Mark everyone FILE lists (column number|工号/学号) present at a session; all or nothing."""
    from services.session_import import import_attendance
    from services.training_sessions import require_session

    with transaction():
        result = import_attendance(require_session(session_id), path, by=None, dry_run=dry_run)
        if dry_run:
            db.session.rollback()
    click.echo(f"marked present {result.new}, already present {result.already_present}"
               + ("\ndry run: nothing written" if dry_run else ""))


def register(app: Flask) -> None:
    for group in (users, tokens, content, demo, roster, quiz, questions, hours, certs):
        app.cli.add_command(group)
    if "db" in app.cli.commands:  # Flask-Migrate's group; not in a gunicorn worker
        app.cli.commands["db"].add_command(backup_db)
        app.cli.commands["db"].add_command(restore_db)
    app.cli.add_command(coverage_command)
