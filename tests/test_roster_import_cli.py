"""`flask roster units|people FILE [--dry-run]` (SPEC §3, §4), through the CLI runner."""
import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from models import Unit
from tests.import_files import PEOPLE_HEADERS_ZH
from tests.import_files import UNIT_HEADERS
from tests.import_files import UNIT_HEADERS_ZH
from tests.import_files import UNITS
from tests.import_files import write_file

PEOPLE = [
    ["S001", "张三", "寝室信息员", "D1", "", "", "2026-09-01", ""],
    ["S001", "张三", "class_psych_member", "K1", "", "", "2026-09-01", ""],
    ["T001", "李老师", "辅导员", "C1", "li@example.edu.cn", "13800138000", "2025-09-01", ""],
]


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def roster(runner, *args):
    return runner.invoke(args=["roster", *map(str, args)])


@pytest.mark.parametrize("name, encoding", [("units.xlsx", "utf-8"), ("units.csv", "gb18030"),
                                            ("units.csv", "utf-8-sig")])
def test_units_import_prints_counts_and_reimport_changes_nothing(runner, tmp_path, name, encoding):
    path = write_file(tmp_path, name, [UNIT_HEADERS_ZH, *UNITS], encoding=encoding)
    first = roster(runner, "units", path)
    assert (first.exit_code, first.stdout) == (0, "created 8, updated 0, unchanged 0\n")
    again = roster(runner, "units", path)
    assert (again.exit_code, again.stdout) == (0, "created 0, updated 0, unchanged 8\n")
    assert count(Unit) == 8


def test_people_import_with_several_roles(runner, roles, tmp_path):
    roster(runner, "units", write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    path = write_file(tmp_path, "people.csv", [PEOPLE_HEADERS_ZH, *PEOPLE], encoding="gb18030")
    result = roster(runner, "people", path)
    assert (result.exit_code, result.stdout) == (0, "created 3, updated 0, unchanged 0\n")
    assert (count(Person), count(Assignment)) == (2, 3)
    again = roster(runner, "people", path)
    assert again.stdout == "created 0, updated 0, unchanged 3\n"


def test_dry_run_validates_and_writes_nothing(runner, tmp_path):
    result = roster(runner, "units", write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == "created 8, updated 0, unchanged 0\ndry run: nothing written\n"
    assert count(Unit) == 0


def test_bad_rows_are_printed_on_stderr_and_nothing_is_written(runner, tmp_path):
    rows = [UNIT_HEADERS, *UNITS, ["K9", "班", "class", "NOPE", ""], ["D1", "重复", "dorm", "K1", "-1"]]
    result = roster(runner, "units", write_file(tmp_path, "units.xlsx", rows))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "row 10, column parent: no such unit NOPE\n"
        "row 11, column code: duplicate code D1 (also on row 2)\n"
        "row 11, column students: must be a whole number of 0 or more\n"
        "3 problem(s); nothing was written.\n"
    )
    assert count(Unit) == 0


def test_bad_people_rows_are_printed_and_nothing_is_written(runner, roles, tmp_path):
    roster(runner, "units", write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    rows = [*PEOPLE, ["S002", "李四", "巫师", "D9", "", "", "2026-09-31", "2026-01-01"]]
    result = roster(runner, "people", write_file(tmp_path, "people.csv", [PEOPLE_HEADERS_ZH, *rows]))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "row 5, column 角色: unknown role 巫师",
        "row 5, column 开始日期: 2026-09-31 is not a date (use YYYY-MM-DD)",
        "row 5, column 单位编码: no such unit D9",
        "3 problem(s); nothing was written.",
    ]
    assert count(Person) == 0


def test_people_before_their_units_are_refused(runner, roles, tmp_path):
    result = roster(runner, "people", write_file(tmp_path, "people.csv", [PEOPLE_HEADERS_ZH, *PEOPLE]))
    assert result.exit_code == 1
    assert "row 2, column 单位编码: no such unit D1\n" in result.stderr


def test_missing_column_and_unsupported_files_fail_clearly(runner, tmp_path):
    result = roster(runner, "units", write_file(tmp_path, "units.csv", [["code", "name", "parent"]]))
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, "row 1, column kind: missing column")
    macro = write_file(tmp_path, "units.xlsm", [UNIT_HEADERS, *UNITS])
    result = roster(runner, "units", macro)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Unsupported file type .xlsm")
    assert roster(runner, "units", tmp_path / "missing.csv").exit_code == 2
