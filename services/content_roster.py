"""Content handlers for roles.yaml and staffing.yaml (SPEC §2.1, §2.2)."""
import re
from pathlib import Path

import yaml
from sqlalchemy import select

from extensions import db
from models import Role
from models import StaffingRule
from models.org import ROLE_KINDS
from models.org import UNIT_KINDS
from services import yaml_lines

CODE = re.compile(r"^[a-z0-9_]+$")
#: roles.yaml `annual_hours` above this is surely a typo (a year has 8760 hours)
MAX_ANNUAL_HOURS = 1000


def load_list(path: Path, text: str, key: str) -> tuple[list, list[str]]:
    """The list under `key` in a YAML file, or problems saying why not."""
    try:
        data = yaml_lines.load(text)
    except yaml_lines.YamlError as error:
        return [], [f"{path}:{error.line}: {error.message}"]
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return [], [f"{path}:1: expected a top-level list '{key}:'"]
    return data[key], []


def counted(changed: bool | None, result) -> None:
    """Add one record to `result`: None = created, True = updated, False = unchanged."""
    if changed is None:
        result.created += 1
    elif changed:
        result.updated += 1
    else:
        result.unchanged += 1


def plain_number(value: float) -> int | float:
    """8.0 as 8, so an exported file reads as a person wrote it."""
    return int(value) if float(value).is_integer() else value


def upsert(row, values: dict) -> bool:
    """Set `values` on `row`; return whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


class RolesFile:
    pattern = "roles.yaml"

    def parse(self, path, text, context):
        items, problems = load_list(path, text, "roles")
        records, seen = [], set()
        for item in items:
            line = yaml_lines.line_of(item)
            if not isinstance(item, dict):
                problems.append(f"{path}:{line}: each role must be a mapping")
                continue
            code = str(item.get("code") or "")
            if not CODE.match(code):
                problems.append(f"{path}:{line}: code must be a-z, 0-9 or _ (got {code!r})")
            elif code in seen:
                problems.append(f"{path}:{line}: duplicate role code {code}")
            seen.add(code)
            if not item.get("name"):
                problems.append(f"{path}:{line}: name is required")
            if item.get("kind") not in ROLE_KINDS:
                problems.append(f"{path}:{line}: kind must be student or staff")
            annual = item.get("annual_hours")
            if annual is not None and (not isinstance(annual, int | float) or isinstance(annual, bool)
                                       or not 0 <= annual <= MAX_ANNUAL_HOURS):
                problems.append(f"{path}:{line}: annual_hours must be a number from 0 to "
                                f"{MAX_ANNUAL_HOURS}")
                annual = None
            records.append({"code": code, "name": str(item.get("name") or ""),
                            "name_en": str(item.get("name_en") or ""),
                            "kind": item.get("kind"),
                            "annual_hours": None if annual is None else float(annual)})
        context.defined.setdefault("roles", set()).update(seen)
        return records, problems

    def check(self, path, records, context):
        return []

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        existing = {r.code: r for r in db.session.scalars(select(Role))}
        for record in records:
            role = existing.get(record["code"])
            if role is None:
                db.session.add(Role(**record))
                counted(None, result)
            else:
                counted(upsert(role, record), result)
        db.session.flush()
        return result

    def export(self, directory):
        roles = db.session.scalars(select(Role).order_by(Role.id)).all()
        if not roles:
            return []
        data = {"roles": [{"code": r.code, "name": r.name, "name_en": r.name_en, "kind": r.kind,
                           **({"annual_hours": plain_number(r.annual_hours)}
                              if r.annual_hours is not None else {})} for r in roles]}
        path = directory / self.pattern
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return [path]


class StaffingFile:
    pattern = "staffing.yaml"

    def parse(self, path, text, context):
        items, problems = load_list(path, text, "rules")
        records, seen = [], set()
        for item in items:
            line = yaml_lines.line_of(item)
            if not isinstance(item, dict):
                problems.append(f"{path}:{line}: each rule must be a mapping")
                continue
            kind, role = item.get("unit_kind"), str(item.get("role") or "")
            if not isinstance(kind, str) or kind not in UNIT_KINDS:
                problems.append(f"{path}:{line}: unit_kind must be one of {', '.join(UNIT_KINDS)}")
                kind = str(kind)
            if (kind, role) in seen:
                problems.append(f"{path}:{line}: duplicate rule for {kind} / {role}")
            seen.add((kind, role))
            minimum, per = item.get("min", 1), item.get("per_students")
            if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 0:
                problems.append(f"{path}:{line}: min must be a whole number ≥ 0")
            if per is not None and (not isinstance(per, int) or isinstance(per, bool) or per <= 0):
                problems.append(f"{path}:{line}: per_students must be a whole number > 0")
            records.append({"unit_kind": kind, "role": role, "min": minimum,
                            "per_students": per, "line": line})
        return records, problems

    def check(self, path, records, context):
        known = set(context.defined.get("roles", set()))
        known.update(db.session.scalars(select(Role.code)))
        return [f"{path}:{r['line']}: unknown role {r['role']!r}"
                for r in records if r["role"] not in known]

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        roles = {r.code: r for r in db.session.scalars(select(Role))}
        existing = {(r.unit_kind, r.role_id): r for r in db.session.scalars(select(StaffingRule))}
        for record in records:
            role = roles[record["role"]]
            values = {"min": record["min"], "per_students": record["per_students"]}
            rule = existing.get((record["unit_kind"], role.id))
            if rule is None:
                db.session.add(StaffingRule(unit_kind=record["unit_kind"], role=role, **values))
                counted(None, result)
            else:
                counted(upsert(rule, values), result)
        db.session.flush()
        return result

    def export(self, directory):
        rules = db.session.scalars(select(StaffingRule).order_by(StaffingRule.id)).all()
        if not rules:
            return []
        data = {"rules": [{"unit_kind": r.unit_kind, "role": r.role.code, "min": r.min,
                           **({"per_students": r.per_students} if r.per_students else {})}
                          for r in rules]}
        path = directory / self.pattern
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return [path]
