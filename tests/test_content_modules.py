"""`flask content sync|export` with modules/*.md (SPEC §2, §2.3): versions, problems, round trips."""
import re
import shutil

import pytest
from sqlalchemy import select

from extensions import db
from models import Module
from models import ModuleVersion
from models import Role
from tests.conftest import CONTENT
from tests.conftest import empty_tables
from tests.test_module_source import GOOD

SUMMARY = re.compile(r"^created (\d+), updated (\d+), unchanged (\d+)$", re.MULTILINE)

OTHER = """\
---
title: 深夜的电话
roles: [counselor]
competencies: [intervention]
hours: 1
version: 1
---
## 接到电话

```decision
id: stay
prompt: 学生说现在很危险，你会？
options:
  - text: 让他明天来办公室
    correct: false
    feedback: 危险时不能等待。
  - text: 保持通话，请人陪同，联系辅导员，必要时拨打110/120
    correct: true
    feedback: 不让学生独处并立即求助是对的。
```
"""


@pytest.fixture
def content_dir(tmp_path):
    """roles.yaml and two modules, to edit freely."""
    directory = tmp_path / "content"
    (directory / "modules").mkdir(parents=True)
    shutil.copy(CONTENT / "roles.yaml", directory / "roles.yaml")
    (directory / "modules" / "silent-dorm.md").write_text(GOOD, encoding="utf-8")
    (directory / "modules" / "night-call.md").write_text(OTHER, encoding="utf-8")
    return directory


def sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    match = SUMMARY.search(result.output)
    return result, tuple(int(n) for n in match.groups()) if match else None


def role_count() -> int:
    return len(db.session.scalars(select(Role)).all())


def versions(slug: str) -> list[tuple[int, bool]]:
    """(version, is current) of each stored version of `slug`."""
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    return [(v.version, v.id == module.current_version_id) for v in module.versions]


def test_sync_creates_modules_then_reports_them_unchanged(runner, content_dir):
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.stderr
    roles = role_count()
    assert figures == (roles + 2, 0, 0)
    current = db.session.scalar(select(Module).where(Module.slug == "silent-dorm")).current
    assert (current.version, current.title, current.hours) == (2, "寝室里的沉默", 1.5)
    assert current.roles == ["dorm_informant", "class_psych_member"]
    assert current.competencies == ["recognition", "intervention"]
    assert current.source == GOOD
    result, figures = sync(runner, content_dir)
    assert figures == (0, 0, roles + 2)


def test_a_typo_fix_in_the_same_version_updates_it_in_place(runner, content_dir):
    sync(runner, content_dir)
    path = content_dir / "modules" / "silent-dorm.md"
    path.write_text(GOOD.replace("之后的叙述", "之后的叙述（修正）"), encoding="utf-8")
    _result, figures = sync(runner, content_dir)
    assert figures == (0, 1, role_count() + 1)
    assert versions("silent-dorm") == [(2, True)]
    assert "（修正）" in db.session.scalar(select(ModuleVersion.source).join(ModuleVersion.module)
                                         .where(Module.slug == "silent-dorm"))


def test_a_higher_version_becomes_current_and_the_old_one_is_kept(runner, content_dir):
    sync(runner, content_dir)
    path = content_dir / "modules" / "silent-dorm.md"
    path.write_text(GOOD.replace("version: 2", "version: 3").replace("hours: 1.5", "hours: 2"),
                    encoding="utf-8")
    _result, figures = sync(runner, content_dir)
    assert figures == (0, 1, role_count() + 1)
    assert versions("silent-dorm") == [(2, False), (3, True)]
    module = db.session.scalar(select(Module).where(Module.slug == "silent-dorm"))
    assert module.current.hours == 2 and module.versions[0].hours == 1.5


def test_an_older_version_with_new_text_is_refused(runner, content_dir):
    path = content_dir / "modules" / "silent-dorm.md"
    sync(runner, content_dir)
    path.write_text(GOOD.replace("version: 2", "version: 3"), encoding="utf-8")
    sync(runner, content_dir)
    path.write_text(GOOD.replace("之后的叙述", "改写"), encoding="utf-8")
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 1 and figures is None
    line = GOOD[:GOOD.index("version: 2")].count("\n") + 1
    assert f"{path}:{line}: version 2 is older than the current version 3" in result.stderr
    path.write_text(GOOD, encoding="utf-8")  # exactly what version 2 says: nothing to do
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0 and figures[1] == 0
    assert versions("silent-dorm") == [(2, False), (3, True)]


@pytest.mark.parametrize("old, new, needle, message", [
    ("hours: 1.5", "hours: -1", "hours:", "hours must be a number"),
    ("dorm_informant,", "dorm_spy,", "roles:", "unknown role 'dorm_spy'"),
    ("id: next-step", "id: first-step", "id: first-step\nprompt: 辅导员", "duplicate id"),
])
def test_a_broken_module_writes_nothing_and_names_the_line(runner, content_dir, old, new,
                                                          needle, message):
    path = content_dir / "modules" / "silent-dorm.md"
    text = GOOD.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 1 and figures is None
    line = text[:text.index(needle)].count("\n") + 1
    assert f"{path}:{line}: " in result.stderr and message in result.stderr
    assert role_count() == 0
    assert db.session.scalars(select(Module)).all() == []


def test_a_role_defined_in_the_database_is_known(runner, content_dir, roles):
    (content_dir / "roles.yaml").unlink()
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.stderr
    assert figures == (2, 0, 0)


def test_a_badly_named_file_is_a_problem(runner, content_dir):
    (content_dir / "modules" / "Night Call.md").write_text(OTHER, encoding="utf-8")
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert "Night Call.md:1: " in result.stderr


def test_export_then_sync_into_an_empty_database_round_trips(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    path = content_dir / "modules" / "silent-dorm.md"
    path.write_text(GOOD.replace("version: 2", "version: 3"), encoding="utf-8")
    sync(runner, content_dir)
    out = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "modules" / "silent-dorm.md").read_text("utf-8") == path.read_text("utf-8")
    assert (out / "modules" / "night-call.md").read_text("utf-8") == OTHER
    before = {m.slug: m.current.source for m in db.session.scalars(select(Module))}
    empty_tables()
    result, figures = sync(runner, out)
    assert result.exit_code == 0, result.stderr
    assert figures == (role_count() + 2, 0, 0)
    after = {m.slug: m.current.source for m in db.session.scalars(select(Module))}
    assert after == before
    assert versions("silent-dorm") == [(3, True)]
