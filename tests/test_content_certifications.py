"""certifications.yaml through `flask content sync|export` (SPEC §2.6): checked references,
`path:line:` problems, upsert by code, export round trip."""
import re
import shutil

import pytest
from sqlalchemy import select

from extensions import db
from models import Program
from tests.conftest import CONTENT
from tests.conftest import empty_tables

SUMMARY = re.compile(r"^created (\d+), updated (\d+), unchanged (\d+)$", re.MULTILINE)


@pytest.fixture
def content_dir(tmp_path):
    """A copy of the shipped content to edit freely."""
    directory = tmp_path / "content"
    shutil.copytree(CONTENT, directory)
    return directory


def sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    match = SUMMARY.search(result.output)
    return result, tuple(int(n) for n in match.groups()) if match else None


def edit(path, old: str, new: str) -> int:
    """Replace the first `old`; return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def programs() -> dict[str, Program]:
    return {p.code: p for p in db.session.scalars(select(Program).order_by(Program.code))}


def test_shipped_programs_cover_every_role_and_load(runner, content_dir):
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.stderr
    found = programs()
    assert set(found) == {"informant-basic", "gatekeeper-staff", "gatekeeper-class-dorm",
                          "subject-teacher-awareness", "mh-teacher-professional"}
    from models import Role
    covered = {role for p in found.values() for role in p.roles}
    assert covered == set(db.session.scalars(select(Role.code)))
    informant = found["informant-basic"]
    assert informant.requires == {"modules": ["informant-basics", "roommate-joke"],
                                  "quizzes": ["informant-recognition"], "hours": 4,
                                  "qualifications": []}
    assert informant.renewal["quizzes"] == ["informant-recognition"]
    assert (informant.valid_months, informant.renew_window_days, informant.hours_window_months) \
        == (12, 60, 12)
    assert found["mh-teacher-professional"].requires["qualifications"] == ["psych_counselor"]


def test_second_sync_is_unchanged_and_an_edit_updates_one(runner, content_dir):
    sync(runner, content_dir)
    result, figures = sync(runner, content_dir)
    assert figures[0] == 0 and figures[1] == 0
    path = content_dir / "certifications.yaml"
    edit(path, "valid_months: 36", "valid_months: 48")
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.stderr
    assert figures[:2] == (0, 1)
    assert programs()["subject-teacher-awareness"].valid_months == 48


@pytest.mark.parametrize("old, new, message", [
    ("roles: [dorm_informant, class_psych_member]", "roles: [dorm_informant, dorm_spy]",
     "unknown role 'dorm_spy'"),
    ("modules: [informant-basics, roommate-joke]", "modules: [informant-basics, silent-dorm]",
     "unknown module 'silent-dorm'"),
    ("quizzes: [counselor-crisis-procedure]\n      hours: 16",
     "quizzes: [no-such-quiz]\n      hours: 16", "unknown quiz 'no-such-quiz'"),
    ("qualifications: [psych_counselor]\n    hours_window_months",
     "qualifications: [astrologer]\n    hours_window_months",
     "unknown qualification type 'astrologer'"),
    ("valid_months: 12", "valid_months: 0", "valid_months must be a whole number from 1"),
    ("renew_window_days: 60", "renew_window_days: 400",
     "renew_window_days must be shorter than the certificate is valid"),
    ("hours: 4", "hours: -4", "requires.hours is a number of hours, 0 or more"),
    ("hours: 4", "hourz: 4", "unknown key 'hourz' in requires"),
    ("code: gatekeeper-staff", "code: informant-basic", "duplicate program code informant-basic"),
    ("code: gatekeeper-staff", "code: Gatekeeper_Staff", "code must be lowercase letters"),
    ("    renewal:\n      quizzes: [informant-recognition]\n",
     "    renewal: {}\n", "renewal asks for nothing"),
    ("    title: 学生信息员基础认证\n", "    title: 学生信息员基础认证\n    colour: blue\n",
     "unknown key 'colour'"),
])
def test_a_broken_program_writes_nothing_and_names_the_line(runner, content_dir, old, new,
                                                             message):
    path = content_dir / "certifications.yaml"
    line = edit(path, old, new)
    if "colour" in new:
        line += 1
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert figures is None
    assert f"{path}:{line}: " in result.stderr, result.stderr
    assert message in result.stderr
    assert programs() == {}


def test_a_program_may_name_a_module_added_in_the_same_sync(runner, content_dir):
    source = (content_dir / "modules" / "empty-seat.md").read_text("utf-8")
    (content_dir / "modules" / "empty-seat-2.md").write_text(source, "utf-8")
    edit(content_dir / "certifications.yaml", "modules: [empty-seat]", "modules: [empty-seat-2]")
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.stderr
    assert programs()["subject-teacher-awareness"].requires["modules"] == ["empty-seat-2"]


def test_not_a_list_of_programs_is_a_problem(runner, content_dir):
    path = content_dir / "certifications.yaml"
    path.write_text("programs: informant-basic\n", "utf-8")
    result, _figures = sync(runner, content_dir)
    assert result.exit_code == 1
    assert f"{path}:1: expected a top-level list 'programs:'" in result.stderr


def test_export_then_sync_into_an_empty_database_round_trips(runner, content_dir, tmp_path):
    path = content_dir / "certifications.yaml"
    edit(path, "    title_en: Student informant — basic certification\n",
         "    title_en: Student informant — basic certification\n    issuer: 示范大学学生工作部\n")
    edit(path, "hours: 2\n      qualifications: []", "hours: 2.5\n      qualifications: []")
    sync(runner, content_dir)

    def rows():
        return {code: (p.title, p.title_en, p.issuer, p.roles, p.requires, p.renewal,
                       p.hours_window_months, p.valid_months, p.renew_window_days)
                for code, p in programs().items()}

    before = rows()
    assert before["informant-basic"][2] == "示范大学学生工作部"
    assert before["subject-teacher-awareness"][4]["hours"] == 2.5
    out = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(out)]).exit_code == 0
    empty_tables()
    result, _figures = sync(runner, out)
    assert result.exit_code == 0, result.stderr
    assert rows() == before
    again = tmp_path / "again"
    runner.invoke(args=["content", "export", str(again)])
    exported = (out / "certifications.yaml").read_text("utf-8")
    assert (again / "certifications.yaml").read_text("utf-8") == exported
    assert "roles: [dorm_informant, class_psych_member]" in exported
    assert "renewal:\n    quizzes: [informant-recognition]\n" in exported
