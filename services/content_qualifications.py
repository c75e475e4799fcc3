"""Content handler for qualification_types.yaml: the catalogue of external
qualifications (S9) that people record and programs may require.

It runs before certifications.yaml so that a program's `requires.qualifications` can be
checked against the types this sync defines (`context.defined["qualification_types"]`).
"""
import yaml
from sqlalchemy import select

from extensions import db
from models import QualificationType
from services import yaml_lines
from services.content_roster import CODE
from services.content_roster import counted
from services.content_roster import load_list
from services.content_roster import upsert

NAME_MAX = 200


class QualificationTypesFile:
    pattern = "qualification_types.yaml"

    def parse(self, path, text, context):
        items, problems = load_list(path, text, "types")
        records, seen = [], set()
        for item in items:
            line = yaml_lines.line_of(item)
            if not isinstance(item, dict):
                problems.append(f"{path}:{line}: each qualification type must be a mapping")
                continue
            code = str(item.get("code") or "")
            if not CODE.match(code) or len(code) > 64:
                problems.append(f"{path}:{line}: code must be a-z, 0-9 or _ (got {code!r})")
            elif code in seen:
                problems.append(f"{path}:{line}: duplicate qualification type code {code}")
            seen.add(code)
            name = str(item.get("name") or "").strip()
            name_en = str(item.get("name_en") or "").strip()
            if not name:
                problems.append(f"{path}:{line}: name is required")
            for key, value in (("name", name), ("name_en", name_en)):
                if len(value) > NAME_MAX:
                    problems.append(f"{path}:{line}: {key} is longer than {NAME_MAX} characters")
            unknown = sorted(set(item) - {"code", "name", "name_en"})
            if unknown:
                problems.append(f"{path}:{line}: unknown key {', '.join(map(str, unknown))}")
            records.append({"code": code, "name": name, "name_en": name_en})
        context.defined.setdefault("qualification_types", set()).update(seen)
        return records, problems

    def check(self, path, records, context):
        return []

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        existing = {t.code: t for t in db.session.scalars(select(QualificationType))}
        for record in records:
            row = existing.get(record["code"])
            if row is None:
                db.session.add(QualificationType(**record))
                counted(None, result)
            else:
                counted(upsert(row, record), result)
        db.session.flush()
        return result

    def export(self, directory):
        types = db.session.scalars(select(QualificationType).order_by(QualificationType.id)).all()
        if not types:
            return []
        data = {"types": [{"code": t.code, "name": t.name, "name_en": t.name_en} for t in types]}
        path = directory / self.pattern
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return [path]
