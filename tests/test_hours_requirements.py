"""What a person's roles require in hours (programs first, else roles.yaml annual_hours),
counted over the window; and roles.yaml's annual_hours through sync and export."""
import shutil
from datetime import date

import pytest
import yaml
from sqlalchemy import select

from extensions import db
from models import HourEntry
from models import Program
from models import Role
from services.hours_requirements import requirements_for
from services.hours_requirements import window_start
from tests.conftest import CONTENT

AS_OF = date(2026, 11, 15)


@pytest.fixture
def college(make_unit):
    return make_unit("C1", "college", make_unit("U1"))


def approved(person, on, hours, ref):
    db.session.add(HourEntry(person_id=person.id, date=on, hours=hours, activity="module",
                             source="module", source_ref=ref, status="approved"))
    db.session.commit()


def program(code, roles, hours, months=12):
    db.session.add(Program(code=code, title=f"认证{code}", title_en=f"Programme {code}", roles=roles,
                           requires={"hours": hours, "modules": []}, hours_window_months=months,
                           valid_months=12))
    db.session.commit()


def summary(person, as_of=AS_OF):
    return [(r.role_code, r.hours, r.window_months, r.source, r.approved_in_window)
            for r in requirements_for(person, as_of)]


def test_a_role_without_a_program_needs_its_annual_hours_over_12_months(college, make_person):
    person = make_person("S1", role="dorm_informant", unit=college)
    approved(person, date(2025, 11, 15), 1, "edge@1")      # first day of the window: counted
    approved(person, date(2025, 11, 14), 5, "before@1")    # the day before: not counted
    approved(person, AS_OF, 2, "today@1")
    approved(person, date(2026, 11, 16), 7, "later@1")     # after as_of: not counted
    assert window_start(AS_OF, 12) == date(2025, 11, 15)
    assert summary(person) == [("dorm_informant", 4.0, 12, "role", 3.0)]
    requirement = requirements_for(person, AS_OF)[0]
    assert requirement.met is False and requirement.missing == 1.0
    assert requirement.progress == 0.75
    assert requirement.label("en") == "Dorm-room informant"


def test_a_program_with_hours_replaces_the_roles_and_counts_once(college, make_person):
    person = make_person("S1", role="dorm_informant", unit=college)
    make_person("S1", role="class_psych_member", unit=college)
    make_person("S1", role="counselor", unit=college)
    program("informant-basic", ["dorm_informant", "class_psych_member"], 6, months=6)
    program("quiz-only", ["counselor"], 0)  # no hours: the counselor's annual_hours apply
    approved(person, date(2026, 6, 1), 5, "inside@1")
    approved(person, date(2026, 5, 1), 1, "outside-6-months@1")
    assert summary(person) == [
        ("class_psych_member", 6.0, 6, "program:informant-basic", 5.0),
        ("counselor", 16.0, 12, "role", 6.0),
    ]
    assert requirements_for(person, AS_OF)[0].label("zh_CN") == "认证informant-basic"


def test_ended_roles_and_roles_without_hours_require_nothing(college, make_person, roles):
    person = make_person("S1", role="dorm_informant", unit=college, start=date(2024, 9, 1),
                         end=date(2025, 6, 30))
    assert summary(person) == []
    roles["counselor"].annual_hours = None
    db.session.commit()
    make_person("S1", role="counselor", unit=college)
    assert summary(person) == []
    assert requirements_for(None) == []


@pytest.fixture
def content_dir(tmp_path):
    directory = tmp_path / "content"
    directory.mkdir()
    shutil.copy(CONTENT / "roles.yaml", directory / "roles.yaml")
    return directory


def test_every_shipped_role_has_annual_hours(roles):
    assert all(role.annual_hours and role.annual_hours > 0 for role in roles.values())
    assert roles["dorm_informant"].annual_hours == 4


def test_annual_hours_sync_idempotently_and_round_trip_through_export(runner, content_dir, tmp_path):
    assert runner.invoke(args=["content", "sync", str(content_dir)]).exit_code == 0
    result = runner.invoke(args=["content", "sync", str(content_dir)])
    assert "created 0, updated 0, unchanged 9" in result.output
    path = content_dir / "roles.yaml"
    path.write_text(path.read_text("utf-8").replace("annual_hours: 4", "annual_hours: 5.5"), "utf-8")
    result = runner.invoke(args=["content", "sync", str(content_dir)])
    assert "created 0, updated 1, unchanged 8" in result.output
    assert db.session.scalar(select(Role.annual_hours).where(Role.code == "dorm_informant")) == 5.5
    out = tmp_path / "out"
    assert runner.invoke(args=["content", "export", str(out)]).exit_code == 0
    exported = {r["code"]: r.get("annual_hours") for r in
                yaml.safe_load((out / "roles.yaml").read_text("utf-8"))["roles"]}
    assert exported["dorm_informant"] == 5.5 and exported["counselor"] == 16
    assert "annual_hours: 16\n" in (out / "roles.yaml").read_text("utf-8")  # not 16.0
    result = runner.invoke(args=["content", "sync", str(out)])
    assert "created 0, updated 0, unchanged 9" in result.output


@pytest.mark.parametrize("value", ["lots", "-1", "true", "5000"])
def test_a_bad_annual_hours_names_the_line_and_writes_nothing(runner, content_dir, value):
    path = content_dir / "roles.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("annual_hours: 4", f"annual_hours: {value}"), "utf-8")
    line = text[:text.index("annual_hours: 4")].count("\n") + 1
    item_line = max(n for n, row in enumerate(text.split("\n")[:line], start=1)
                    if row.lstrip().startswith("- "))
    result = runner.invoke(args=["content", "sync", str(content_dir)])
    assert result.exit_code == 1
    assert f"{path}:{item_line}: annual_hours must be a number from 0 to 1000" in result.stderr
    assert db.session.scalar(select(Role.id)) is None
