"""Storing a parsed module as a ModuleVersion: the rule shared by the content sync and
the browser editor, so both number versions and choose the current one alike."""
import re
from dataclasses import replace

from sqlalchemy import select

from extensions import db
from models import Module
from models import ModuleVersion
from models import User
from services.module_source import ParsedModule

VERSION_LINE = re.compile(r"^version\s*:.*$", re.MULTILINE)


def normalized(source: str) -> str:
    """The source as stored: Unix line ends, no byte-order mark."""
    return source.replace("\r\n", "\n").lstrip("\ufeff")


def with_version(source: str, number: int) -> str:
    """`source` with its front matter saying `version: number`."""
    end = source.find("\n---", 3)
    front, rest = source[:end], source[end:]
    if VERSION_LINE.search(front):
        front = VERSION_LINE.sub(f"version: {number}", front, count=1)
    else:
        front = f"{front}\nversion: {number}"
    return front + rest


def find_module(slug: str) -> Module | None:
    """The module called `slug`, if there is one."""
    return db.session.scalar(select(Module).where(Module.slug == slug))


def store_version(slug: str, parsed: ParsedModule, source: str, *,
                  requires_recompletion: bool = False, by: User | None = None,
                  replace_same_version: bool = False) -> tuple[ModuleVersion, str]:
    """Save `parsed` as a version of module `slug`; return it and
    "created" (new module), "updated" or "unchanged".

    A source identical to the current (or same-numbered) version changes nothing. With
    `replace_same_version` (the content sync) an existing version of the same number is
    corrected in place; otherwise (the editor) the version is the front matter's if it
    is higher than the current one, else current + 1, and the source is rewritten to say so.
    """
    source = normalized(source)
    module = find_module(slug)
    if module is None:
        module = Module(slug=slug)
        db.session.add(module)
        version = _new_version(module, parsed, source, requires_recompletion, by)
        return version, "created"
    versions = {v.version: v for v in module.versions}
    same = versions.get(parsed.version)
    current = module.current
    if same is not None and same.source == source and (replace_same_version or same is current):
        return same, "unchanged"
    if current is not None and current.source == source:
        return current, "unchanged"
    if same is not None and replace_same_version:
        _fill(same, parsed, source)
        same.requires_recompletion = same.requires_recompletion or requires_recompletion
        db.session.flush()
        return same, "updated"
    highest = max(versions, default=0)
    if parsed.version <= highest:
        parsed = replace(parsed, version=highest + 1)
        source = with_version(source, highest + 1)
        if current is not None and current.source == source:
            return current, "unchanged"
    return _new_version(module, parsed, source, requires_recompletion, by), "updated"


def _new_version(module, parsed, source, requires_recompletion, by) -> ModuleVersion:
    version = ModuleVersion(module=module, version=parsed.version,
                            requires_recompletion=requires_recompletion,
                            created_by_id=by.id if by is not None else None)
    _fill(version, parsed, source)
    db.session.add(version)
    db.session.flush()
    module.current = version
    db.session.flush()
    return version


def _fill(version: ModuleVersion, parsed: ParsedModule, source: str) -> None:
    version.title = parsed.title
    version.summary = parsed.summary
    version.roles = list(parsed.roles)
    version.competencies = list(parsed.competencies)
    version.hours = parsed.hours
    version.language = parsed.language
    version.source = source
