"""`flask hours import FILE [--dry-run]`: historical hours as approved entries, every row
checked first, idempotent, read from Excel or CSV with Chinese or English headers."""
from datetime import date
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import HourEntry
from services import certification
from services.hour_activities import ACTIVITY_LABELS
from services.hours_ledger import approved_hours
from tests.import_files import write_file

HEADERS = ["number", "date", "hours", "activity", "note"]
HEADERS_ZH = ["工号/学号", "日期", "学时", "活动类型", "备注"]
ROWS = [
    ["T001", "2025-10-12", 3, "workshop", "危机干预工作坊"],
    ["T001", "2025/11/3", "1.5", "Supervision", ""],
    ["S001", "2026年3月1日", 2, "self_study", "读书"],
]


@pytest.fixture
def people(make_unit, make_person):
    uni = make_unit("U1")
    make_person("T001", name="李老师", role="counselor", unit=uni)
    make_person("S001", name="张三", role="dorm_informant", unit=uni)


@pytest.fixture
def evaluated(monkeypatch):
    """The numbers of the people certification re-evaluates, in order."""
    seen: list[str] = []
    monkeypatch.setattr(certification, "reevaluate",
                        lambda person, as_of=None: seen.append(person.number) or [])
    return seen


def hours_import(runner, *args):
    return runner.invoke(args=["hours", "import", *map(str, args)])


def entries() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(HourEntry.date, HourEntry.hours, HourEntry.activity, HourEntry.source,
               HourEntry.status, HourEntry.description).order_by(HourEntry.date))]


@pytest.mark.parametrize("name, headers, encoding", [
    ("hours.xlsx", HEADERS, "utf-8"),
    ("hours.csv", HEADERS_ZH, "gb18030"),
    ("hours.csv", HEADERS_ZH, "utf-8-sig"),
])
def test_hours_are_imported_approved_and_reimport_changes_nothing(runner, people, evaluated,
                                                                 tmp_path, name, headers, encoding):
    path = write_file(tmp_path, name, [headers, *ROWS], encoding=encoding)
    first = hours_import(runner, path)
    assert (first.exit_code, first.stdout) == (0, "created 3, unchanged 0\n"), first.output
    assert entries() == [
        (date(2025, 10, 12), 3.0, "workshop", "import", "approved", "危机干预工作坊"),
        (date(2025, 11, 3), 1.5, "supervision", "import", "approved", ""),
        (date(2026, 3, 1), 2.0, "self_study", "import", "approved", "读书"),
    ]
    assert sorted(evaluated) == ["S001", "T001"]
    again = hours_import(runner, path)
    assert (again.exit_code, again.stdout) == (0, "created 0, unchanged 3\n")
    assert db.session.scalar(select(func.count(HourEntry.id))) == 3
    assert sorted(evaluated) == ["S001", "T001"]  # nothing new, nobody re-evaluated
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "hours.import")) \
        == {"created": 3, "unchanged": 0}


def test_a_changed_row_is_a_new_record(runner, people, evaluated, tmp_path):
    hours_import(runner, write_file(tmp_path, "a.csv", [HEADERS, *ROWS]))
    changed = [*ROWS[:2], ["S001", "2026-03-01", 2, "self_study", "读书笔记"]]
    result = hours_import(runner, write_file(tmp_path, "b.csv", [HEADERS, *changed]))
    assert result.stdout == "created 1, unchanged 2\n"
    from models import Person

    student = db.session.scalar(select(Person).where(Person.number == "S001"))
    assert approved_hours(student) == 4.0


def test_activities_by_label_in_either_language(runner, people, evaluated, tmp_path):
    with force_locale("zh_CN"):
        chinese = str(ACTIVITY_LABELS["case_seminar"])
    rows = [["T001", "2025-10-12", 1, chinese, ""], ["T001", "2025-10-13", 1, "Conference", ""],
            ["T001", "2025-10-14", 1, "ＷＯＲＫＳＨＯＰ", ""]]
    result = hours_import(runner, write_file(tmp_path, "h.csv", [HEADERS_ZH, *rows]))
    assert result.exit_code == 0, result.output
    assert [e[2] for e in entries()] == ["case_seminar", "conference", "workshop"]


def test_every_bad_row_is_printed_and_nothing_is_written(runner, people, evaluated, tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    rows = [
        ["T001", "2025-10-12", 3, "workshop", ""],     # fine
        ["X999", "2025-10-12", 3, "workshop", ""],     # unknown number
        ["T001", "12/10/2025", 3, "workshop", ""],     # not a date
        ["T001", "2025-10-12", "1.2", "workshop", ""],  # not a 0.5 step
        ["T001", "2025-10-12", 0, "workshop", ""],     # not positive
        ["T001", "2025-10-12", 13, "workshop", ""],    # more than 12
        ["T001", "2025-10-12", 1, "dancing", ""],      # unknown activity
        ["T001", tomorrow, 1, "workshop", ""],          # in the future
        ["T001", "2025-10-12", 3, "workshop", ""],     # the same as row 2
    ]
    result = hours_import(runner, write_file(tmp_path, "bad.csv", [HEADERS_ZH, *rows]))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "row 3, column 工号/学号: unknown number X999",
        "row 4, column 日期: 12/10/2025 is not a date (use YYYY-MM-DD)",
        "row 5, column 学时: 1.2 is not a positive number of hours in steps of 0.5",
        "row 6, column 学时: 0 is not a positive number of hours in steps of 0.5",
        "row 7, column 学时: at most 12 hours",
        "row 8, column 活动类型: unknown activity dancing",
        f"row 9, column 日期: {tomorrow} is in the future",
        "row 10, column 工号/学号: the same record as row 2",
    ]
    assert "nothing was written" in lines[-1]
    assert db.session.scalar(select(func.count(HourEntry.id))) == 0
    assert evaluated == []


def test_dry_run_validates_and_writes_nothing(runner, people, evaluated, tmp_path):
    result = hours_import(runner, "--dry-run", write_file(tmp_path, "h.xlsx", [HEADERS, *ROWS]))
    assert (result.exit_code, result.stdout) == (0, "created 3, unchanged 0\ndry run: nothing written\n")
    assert db.session.scalar(select(func.count(HourEntry.id))) == 0


def test_a_missing_column_fails_clearly(runner, people, tmp_path):
    result = hours_import(runner, write_file(tmp_path, "h.csv", [["工号/学号", "日期", "学时"],
                                                                 ["T001", "2025-10-12", 3]]))
    assert result.exit_code == 1
    assert "row 1, column 活动类型: missing column" in result.stderr
