"""Content handler for certifications.yaml (SPEC §2.6): programs upserted by code.

Roles, modules, quizzes and qualification types a program names are checked against
what the files being synced define first and the database second, so a program may
name a module added in the same sync. Programs missing from the file are kept: their
certificates still point at them.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Module
from models import Program
from models import QualificationType
from models import Quiz
from models import Role
from services import yaml_lines
from services.content_roster import counted
from services.content_roster import upsert
from services.program_defs import REFERENCE_KINDS
from services.program_defs import dump_programs
from services.program_defs import parse_program
from services.quiz_defs import token_line

#: the catalogues a program may name, and the column that holds their codes
CATALOGUES = {"roles": Role.code, "modules": Module.slug, "quizzes": Quiz.slug,
              "qualification_types": QualificationType.code}
VALUE_KEYS = ("title", "title_en", "issuer", "roles", "requires", "renewal",
              "hours_window_months", "valid_months", "renew_window_days")


class CertificationsFile:
    pattern = "certifications.yaml"

    def parse(self, path, text, context):
        try:
            data = yaml_lines.load(text)
        except yaml_lines.YamlError as error:
            return [], [f"{path}:{error.line}: {error.message}"]
        if not isinstance(data, dict) or not isinstance(data.get("programs"), list):
            return [], [f"{path}:1: " + _("expected a top-level list 'programs:'")]
        records, problems, seen = [], [], set()
        for item in data["programs"]:
            record, found = parse_program(item, text)
            problems += [f"{path}:{line}: {message}" for line, message in found]
            if record is None:
                continue
            if record["code"] in seen:
                problems.append(f"{path}:{record['line']}: " + _(
                    "duplicate program code %(code)s", code=record["code"]))
            seen.add(record["code"])
            records.append(record)
        return records, problems

    def check(self, path, records, context):
        known = {}
        for name, column in CATALOGUES.items():
            known[name] = set(context.defined.get(name, set()))
            known[name].update(db.session.scalars(select(column)))
        problems = []
        for record in records:
            problems += [f"{path}:{token_line(text_of(path), role, record['lines']['roles'])}: "
                         + _("unknown role %(role)r", role=role)
                         for role in record["roles"] if role not in known["roles"]]
            for key in ("requires", "renewal"):
                requirements = record[key]
                if requirements is None:
                    continue
                for kind, catalogue in REFERENCE_KINDS.items():
                    for ref in requirements[kind]:
                        if ref not in known[catalogue]:
                            line = token_line(text_of(path), ref, record["lines"][key])
                            problems.append(f"{path}:{line}: " + unknown(kind, ref))
        return problems

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        existing = {p.code: p for p in db.session.scalars(select(Program))}
        for record in records:
            values = {key: record[key] for key in VALUE_KEYS}
            values["source"] = dict(values, code=record["code"])
            program = existing.get(record["code"])
            if program is None:
                db.session.add(Program(code=record["code"], **values))
                counted(None, result)
            else:
                counted(upsert(program, values), result)
        db.session.flush()
        return result

    def export(self, directory):
        programs = db.session.scalars(select(Program).order_by(Program.id)).all()
        if not programs:
            return []
        path = directory / self.pattern
        path.write_text(dump_programs(programs), encoding="utf-8")
        return [path]


def text_of(path) -> str:
    """The file's text again, to find the line a bad reference is written on."""
    return path.read_text(encoding="utf-8-sig")


def unknown(kind: str, ref: str) -> str:
    if kind == "modules":
        return _("unknown module %(slug)r", slug=ref)
    if kind == "quizzes":
        return _("unknown quiz %(slug)r", slug=ref)
    return _("unknown qualification type %(code)r", code=ref)
