"""`flask certs import FILE` (SPEC §3: past certificates, every row checked first, idempotent)
and `flask certs evaluate [--all | --person NUMBER] [--as-of DATE]`."""
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Certificate
from tests.certification_helpers import add_hours
from tests.certification_helpers import complete_module
from tests.certification_helpers import make_module
from tests.certification_helpers import make_program
from tests.certification_helpers import make_quiz
from tests.certification_helpers import pass_quiz
from tests.import_files import write_file

D = date


@pytest.fixture
def people(make_unit, make_person):
    university = make_unit("U1")
    dorm = make_unit("D1", "dorm", make_unit("K1", "class", make_unit("C1", "college", university)))
    program = make_program(valid_months=12)
    make_program(code="subject-awareness", roles=("subject_teacher",), modules=(), quizzes=(),
                 hours=2, valid_months=36)
    return {"a": make_person("S001", name="李同学", role="dorm_informant", unit=dorm,
                             start=D(2025, 9, 1)),
            "b": make_person("S002", name="张同学", role="dorm_informant", unit=dorm,
                             start=D(2025, 9, 1)),
            "program": program}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


@pytest.mark.parametrize("name, headers", [
    ("certs.csv", ["number", "program", "issued"]),
    ("certs.xlsx", ["工号/学号", "认证", "发证日期"]),
])
def test_import_then_reimport_changes_nothing(runner, people, tmp_path, name, headers):
    path = write_file(tmp_path, name, [headers, ["S001", "informant-basic", "2025-01-31"],
                                       ["S002", "认证subject-awareness", "2024年6月1日"]])
    result = runner.invoke(args=["certs", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created 2, unchanged 0" in result.output
    rows = db.session.execute(select(Certificate.issued, Certificate.expires, Certificate.source)
                              .order_by(Certificate.issued)).all()
    assert rows == [(D(2024, 6, 1), D(2027, 6, 1), "import"), (D(2025, 1, 31), D(2026, 1, 31), "import")]
    again = runner.invoke(args=["certs", "import", str(path)])
    assert again.exit_code == 0 and "created 0, unchanged 2" in again.output
    assert count() == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "certificate.import")) == 1


def test_bad_rows_are_all_reported_and_nothing_is_written(runner, people, tmp_path):
    path = write_file(tmp_path, "certs.csv", [
        ["工号/学号", "认证", "发证日期"],
        ["S001", "informant-basic", "2025-02-30"],
        ["S999", "informant-basic", "2025-01-01"],
        ["S002", "no-such-program", "2025-01-01"],
        ["S002", "informant-basic", "2999-01-01"],
        ["S001", "informant-basic", "2025-03-01"],
        ["S001", "Program informant-basic", "2025-03-01"],
        ["", "informant-basic", "2025-03-01"],
    ])
    result = runner.invoke(args=["certs", "import", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[:7] == [
        "row 2, column 发证日期: not a date (use YYYY-MM-DD)",
        "row 3, column 工号/学号: no person has the number S999",
        "row 4, column 认证: no program has the code or title 'no-such-program'",
        "row 5, column 发证日期: the date 2999-01-01 is in the future",
        "row 7, column 工号/学号: the same certificate as row 6",
        "row 8, column 工号/学号: the number is missing",
        "6 problem(s); nothing was written.",
    ]
    assert count() == 0


def test_dry_run_writes_nothing(runner, people, tmp_path):
    path = write_file(tmp_path, "certs.csv", [["number", "program", "issued"],
                                              ["S001", "informant-basic", "2025-01-31"]])
    result = runner.invoke(args=["certs", "import", str(path), "--dry-run"])
    assert result.exit_code == 0
    assert "would create 1, unchanged 0" in result.output and "dry run" in result.output
    assert count() == 0


def test_a_missing_column_fails_clearly(runner, people, tmp_path):
    path = write_file(tmp_path, "certs.csv", [["number", "program"], ["S001", "informant-basic"]])
    result = runner.invoke(args=["certs", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1, column issued: missing column" in result.stderr


def test_evaluate_issues_and_renews_and_prints_counts(runner, people):
    module, quiz = make_module(), make_quiz()
    for person in (people["a"], people["b"]):
        complete_module(person, module, D(2026, 1, 5))
        pass_quiz(person, quiz, D(2026, 1, 5))
        add_hours(person, 4, D(2026, 1, 5))
    people["program"].renewal = {"modules": [], "quizzes": ["informant-quiz"], "hours": 0,
                                 "qualifications": []}
    db.session.commit()
    result = runner.invoke(args=["certs", "evaluate", "--person", "S001", "--as-of", "2026-01-10"])
    assert result.exit_code == 0, result.output
    assert "issued 1 / renewed 0" in result.output
    result = runner.invoke(args=["certs", "evaluate", "--all", "--as-of", "2026-01-10"])
    assert "issued 1 / renewed 0" in result.output  # S002; S001 already holds one
    pass_quiz(people["a"], quiz, D(2026, 12, 1))
    result = runner.invoke(args=["certs", "evaluate", "--all", "--as-of", "2026-12-01"])
    assert "issued 0 / renewed 1" in result.output
    again = runner.invoke(args=["certs", "evaluate", "--all", "--as-of", "2026-12-01"])
    assert "issued 0 / renewed 0" in again.output
    assert count() == 3


@pytest.mark.parametrize("args, message", [
    ([], "Give exactly one of --all or --person NUMBER."),
    (["--all", "--person", "S001"], "Give exactly one of --all or --person NUMBER."),
    (["--person", "S404"], "No person has the number S404."),
    (["--all", "--as-of", "2026-13-01"], "Invalid value for '--as-of'"),
])
def test_evaluate_refuses_bad_arguments(runner, people, args, message):
    result = runner.invoke(args=["certs", "evaluate", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_demo_informant_is_clearly_on_the_way_to_certification(runner, app):
    from models import User
    from services.certification import program_progress

    assert runner.invoke(args=["content", "sync"]).exit_code == 0
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    informant = db.session.scalar(select(User).where(User.email == "informant@demo.edu.cn")).person
    [row] = program_progress(informant)
    assert (row.program.code, row.state) == ("informant-basic", "in_progress")
    hours = next(item for item in row.items if item["kind"] == "hours")
    assert hours["detail"] == "2/4 h"
