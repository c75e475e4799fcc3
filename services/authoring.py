"""Authoring modules in the browser: who may, the starter text, saving a new version.

Saving follows the same rule as `flask content sync` (services.module_store): the
text is validated whole, nothing is written on any problem, and each save becomes a
new version that learners are given from then on.
"""
from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from extensions import db
from models import Module
from models import ModuleVersion
from models import Role
from models import User
from services import audit
from services import scope
from services.errors import NotFound
from services.errors import ValidationFailed
from services.module_source import SLUG
from services.module_source import parse_module
from services.module_store import find_module
from services.module_store import store_version
from services.pagination import Page
from services.pagination import paginate

#: grant kinds that may write and read modules' statistics
AUTHOR_KINDS = ("trainer", "admin")

STARTER = """---
title: 新的案例
summary: 用一两句话说明这个案例讲什么。
roles: []
competencies: [recognition]
hours: 0.5
version: 1
language: zh
---
在这里写案例的背景：谁、在哪里、发生了什么。只写看得见、听得到的言行，不写任何方式或手段的细节。

## 你注意到了什么

继续叙述。每个以“## ”开头的标题开始新的一节。

```decision
id: first-step
prompt: 这时你首先会怎么做？
options:
  - text: 先不管，过几天再说
    correct: false
    feedback: 出现预警信号时，等待可能错过帮助的时机。请及时关心并报告。
  - text: 关切地询问，陪伴对方，并及时报告辅导员
    correct: true
    feedback: 正确。表达关心、不让对方独处，并按报告链及时报告。
```

## 小结

遇到困难时寻求帮助是正确的选择。有人身处危险时，不让他独处，立即报告并拨打 110 或 120。
"""


def may_author(user: User | None) -> bool:
    """Trainers and admins of any unit (and superadmins) write case studies."""
    return scope.has_any_grant(user, AUTHOR_KINDS)


def require_author(user: User | None) -> None:
    """Everyone else sees authoring pages as if they did not exist."""
    if not may_author(user):
        raise NotFound(_("Not found."))


def known_roles() -> set[str]:
    """The role codes a module may target."""
    return set(db.session.scalars(select(Role.code)))


def new_module_template(slug: str = "") -> str:
    """A starter text that already parses, so a trainer learns the format by editing it."""
    return STARTER


def get_module(slug: str) -> Module:
    """The module with `slug`, or NotFound."""
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    if module is None or module.current is None:
        raise NotFound(_("No such module."))
    return module


def list_modules(q: str = "", page=1) -> Page:
    """A page of every module's current version, by title; `q` matches title or slug."""
    stmt = (
        select(ModuleVersion)
        .join(Module, Module.current_version_id == ModuleVersion.id)
        .options(contains_eager(ModuleVersion.module))
        .order_by(ModuleVersion.title, Module.slug)
    )
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(ModuleVersion.title.contains(q, autoescape=True),
                              Module.slug.contains(q.lower(), autoescape=True)))
    return paginate(stmt, page)


def check_slug(slug: str) -> None:
    """Slugs become file names and URLs: lower-case letters, digits and hyphens."""
    if not SLUG.match(slug or "") or len(slug) > 100:
        raise ValidationFailed([_("The short name (slug) may hold only lower-case letters, "
                                  "digits and hyphens, 1–100 characters, e.g. silent-dorm.")])


def line_problems(problems: list[tuple[int, str]]) -> list[str]:
    """Problems as the editor lists them, "line N: message", in file order."""
    return [f"line {n}: {message}" for n, message in sorted(problems, key=lambda p: p[0])]


def create_module(slug: str, source: str, *, by: User | None = None) -> ModuleVersion:
    """Save the first version of a new module; a taken slug is refused, not overwritten."""
    check_slug(slug)
    if find_module(slug) is not None:
        raise ValidationFailed([_("A module with the short name %(slug)s already exists.",
                                  slug=slug)])
    return save_module(slug, source, by=by)


def preview_module(slug: str, source: str):
    """Parse without saving: the module as learners would see it (None if unreadable), and
    its problems as "line N: message"."""
    parsed, problems = parse_module(slug or "preview", source.replace("\r\n", "\n"),
                                    known_roles())
    return parsed, line_problems(problems)


def save_module(slug: str, source: str, *, requires_recompletion: bool = False,
                by: User | None = None) -> ModuleVersion:
    """Validate `source` and store it as the module's next version, made current.

    Saving text identical to the current version changes nothing and returns it."""
    check_slug(slug)
    parsed, problems = parse_module(slug, source, known_roles())
    if problems:
        raise ValidationFailed(line_problems(problems))
    version, outcome = store_version(slug, parsed, source,
                                     requires_recompletion=requires_recompletion, by=by)
    if outcome != "unchanged":
        audit.record("module.saved", by=by, target=("module", slug), version=version.version,
                     requires_recompletion=requires_recompletion or None)
    return version
