"""`flask content sync|export` (SPEC §2): all or nothing, `path:line:` problems, round trips."""
import re
import shutil

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Role
from models import StaffingRule
from tests.conftest import CONTENT
from tests.conftest import empty_tables

SUMMARY = re.compile(r"^created (\d+), updated (\d+), unchanged (\d+)$", re.MULTILINE)


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the shipped roles.yaml and staffing.yaml to edit freely."""
    directory = tmp_path / "content"
    directory.mkdir()
    for name in ("roles.yaml", "staffing.yaml"):
        shutil.copy(CONTENT / name, directory / name)
    return directory


def edit(path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return the line of the YAML item it sits in."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    lines = text[:text.index(old)].split("\n")
    for back, line in enumerate(reversed(lines)):
        if line.lstrip().startswith("- "):
            return len(lines) - back
    return len(lines)


def sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    match = SUMMARY.search(result.output)
    return result, tuple(int(n) for n in match.groups()) if match else None


def counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Role)),
            db.session.scalar(select(func.count()).select_from(StaffingRule)))


def table_rows() -> tuple[set, set]:
    roles = {(r.code, r.name, r.name_en, r.kind) for r in db.session.scalars(select(Role))}
    rules = {(r.unit_kind, r.role.code, r.min, r.per_students)
             for r in db.session.scalars(select(StaffingRule))}
    return roles, rules


def test_sync_creates_then_reports_unchanged(runner, content_dir):
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.output
    roles, rules = counts()
    assert roles == 9 and rules == 7
    assert figures == (roles + rules, 0, 0)
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0
    assert figures == (0, 0, roles + rules)


def test_sync_updates_only_what_changed(runner, content_dir):
    sync(runner, content_dir)
    edit(content_dir / "roles.yaml", "name: 辅导员", "name: 专职辅导员")
    edit(content_dir / "staffing.yaml", "per_students: 200", "per_students: 180")
    result, figures = sync(runner, content_dir)
    assert figures == (0, 2, 14)
    assert db.session.scalar(select(Role.name).where(Role.code == "counselor")) == "专职辅导员"
    assert db.session.scalar(select(StaffingRule.per_students).join(Role)
                             .where(Role.code == "counselor")) == 180


@pytest.mark.parametrize("filename, old, new, message", [
    ("staffing.yaml", "    role: dorm_informant\n", "    role: dorm_informant\n\tmin: 1\n",
     "found character"),
    ("staffing.yaml", "role: dorm_informant", "role: dorm_spy", "unknown role 'dorm_spy'"),
    ("staffing.yaml", "unit_kind: building", "unit_kind: tower", "unit_kind must be one of"),
    ("staffing.yaml", "unit_kind: building", "unit_kind: [building]", "unit_kind must be one of"),
    ("roles.yaml", "    kind: student", "    kind: pupil", "kind must be student or staff"),
    ("roles.yaml", "code: counselor", "code: Counselor!", "code must be a-z, 0-9 or _"),
])
def test_broken_file_writes_nothing_and_names_the_line(runner, content_dir, filename, old, new,
                                                        message):
    line = edit(content_dir / filename, old, new)
    if new.endswith("min: 1\n"):
        line += 2  # the tab is on the line after the edited one
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert figures is None
    path = content_dir / filename
    assert f"{path}:{line}: " in result.stderr
    assert message in result.stderr
    assert counts() == (0, 0)


def test_a_valid_file_is_not_applied_when_its_neighbour_is_broken(runner, content_dir):
    sync(runner, content_dir)
    edit(content_dir / "roles.yaml", "name: 辅导员", "name: 专职辅导员")
    edit(content_dir / "staffing.yaml", "min: 2", "min: -2")
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert "staffing.yaml:" in result.stderr and "min must be" in result.stderr
    assert db.session.scalar(select(Role.name).where(Role.code == "counselor")) == "辅导员"


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(runner, content_dir):
    path = content_dir / "roles.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr and "not UTF-8" in result.stderr
    assert counts() == (0, 0)


def test_missing_directory_is_an_error(runner, tmp_path):
    result, _figures = sync(runner, tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "not a directory" in result.stderr


def test_export_then_sync_into_an_empty_database_round_trips(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    before = table_rows()
    out = tmp_path / "exported"
    result = runner.invoke(args=["content", "export", str(out)])
    assert result.exit_code == 0
    assert "wrote 2 file(s)" in result.output
    empty_tables()
    result, figures = sync(runner, out)
    assert result.exit_code == 0, result.stderr
    assert figures == (16, 0, 0)
    assert table_rows() == before
    again = tmp_path / "again"
    runner.invoke(args=["content", "export", str(again)])
    for name in ("roles.yaml", "staffing.yaml"):
        assert (again / name).read_text("utf-8") == (out / name).read_text("utf-8")
