"""Content handler for modules/<slug>.md (SPEC §2.3): case-study modules as files."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db
from models import Module
from models import Role
from services.module_source import SLUG
from services.module_source import key_line
from services.module_source import parse_module
from services.module_source import split_front_matter
from services.module_store import normalized
from services.module_store import store_version


class ModulesFile:
    pattern = "modules/*.md"

    def parse(self, path, text, context):
        slug = path.stem
        if not SLUG.match(slug):
            return [], [f"{path}:1: " + _("a module's file name must be lowercase letters, "
                                          "digits and hyphens, then .md")]
        parsed, problems = parse_module(slug, text)
        if parsed is None:
            return [], [f"{path}:{line}: {message}" for line, message in problems]
        context.defined.setdefault("modules", set()).add(slug)
        return [{"slug": slug, "parsed": parsed, "source": normalized(text)}], []

    def check(self, path, records, context):
        known = set(context.defined.get("roles", set()))
        known.update(db.session.scalars(select(Role.code)))
        problems = []
        for record in records:
            parsed, source = record["parsed"], record["source"]
            front = split_front_matter(source)[0] or ""
            for role in parsed.roles:
                if role not in known:
                    line = key_line(front, "roles")
                    problems.append(f"{path}:{line}: " + _("unknown role %(role)r", role=role))
            problem = version_problem(parsed, source)
            if problem:
                problems.append(f"{path}:{key_line(front, 'version')}: {problem}")
        return problems

    def apply(self, records):
        from services.content import SyncResult

        result = SyncResult()
        for record in records:
            _version, status = store_version(record["slug"], record["parsed"], record["source"],
                                             replace_same_version=True)
            setattr(result, status, getattr(result, status) + 1)
        return result

    def export(self, directory):
        modules = db.session.scalars(
            select(Module).where(Module.current_version_id.is_not(None))
            .options(selectinload(Module.current)).order_by(Module.slug)).all()
        if not modules:
            return []
        folder = directory / "modules"
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for module in modules:
            path = folder / f"{module.slug}.md"
            path.write_text(module.current.source, encoding="utf-8")
            written.append(path)
        return written


def version_problem(parsed, source: str) -> str | None:
    """Why the file's version cannot be stored: an older version than the current one,
    with text that differs from what that version says."""
    module = db.session.scalar(select(Module).where(Module.slug == parsed.slug))
    if module is None or module.current is None:
        return None
    current = module.current.version
    if parsed.version >= current:
        return None
    same = next((v for v in module.versions if v.version == parsed.version), None)
    if same is not None and same.source == source:
        return None
    return _("version %(n)d is older than the current version %(m)d",
             n=parsed.version, m=current)
