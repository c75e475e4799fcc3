"""content/qualification_types.yaml: the catalogue of external qualifications (S9) syncs
all or nothing with `path:line:` problems, upserts by code and round-trips through export."""
import shutil

import pytest
from sqlalchemy import select

from extensions import db
from models import QualificationType
from services.content import sync_directory
from services.errors import ValidationFailed
from tests.conftest import CONTENT
from tests.conftest import empty_tables
from tests.test_content_cli import SUMMARY
from tests.test_content_cli import edit

NAME = "qualification_types.yaml"


@pytest.fixture
def content_dir(tmp_path):
    directory = tmp_path / "content"
    directory.mkdir()
    shutil.copy(CONTENT / NAME, directory / NAME)
    return directory


def catalogue() -> dict[str, tuple[str, str]]:
    return {t.code: (t.name, t.name_en) for t in db.session.scalars(select(QualificationType))}


def sync(runner, directory):
    result = runner.invoke(args=["content", "sync", str(directory)])
    match = SUMMARY.search(result.output)
    return result, tuple(int(n) for n in match.groups()) if match else None


def test_the_shipped_catalogue_names_the_qualifications_the_notice_encourages(app, content_dir):
    sync_directory(content_dir)
    types = catalogue()
    assert types["psych_counselor"][0] == "心理咨询师"
    assert types["social_worker"][0] == "社会工作者"
    assert {"psych_therapist", "psychiatrist", "school_counselor_cert"} <= set(types)
    assert all(name and name_en for name, name_en in types.values())


def test_sync_creates_then_is_unchanged_then_updates_by_code(runner, content_dir):
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 0, result.output
    total = len(catalogue())
    assert figures == (total, 0, 0)
    assert sync(runner, content_dir)[1] == (0, 0, total)
    edit(content_dir / NAME, "name: 社会工作者", "name: 社会工作者（中级）")
    assert sync(runner, content_dir)[1] == (0, 1, total - 1)
    assert catalogue()["social_worker"][0] == "社会工作者（中级）"
    assert len(catalogue()) == total


@pytest.mark.parametrize("old, new, message", [
    ("code: social_worker", "code: Social-Worker", "code must be a-z, 0-9 or _ (got 'Social-Worker')"),
    ("code: social_worker", "code: psych_counselor", "duplicate qualification type code psych_counselor"),
    ("    name: 社会工作者\n", "", "name is required"),
    ("    name: 社会工作者\n", "    name: 社会工作者\n    level: 3\n", "unknown key level"),
    ("    name: 社会工作者\n", f"    name: {'长' * 201}\n", "name is longer than 200 characters"),
])
def test_a_broken_type_writes_nothing_and_names_its_line(runner, content_dir, old, new, message):
    line = edit(content_dir / NAME, old, new)
    result, figures = sync(runner, content_dir)
    assert result.exit_code == 1 and figures is None
    assert f"{content_dir / NAME}:{line}: {message}" in result.stderr
    assert catalogue() == {}


@pytest.mark.parametrize("text, message", [
    ("types: {code: x}\n", ":1: expected a top-level list 'types:'"),
    ("types:\n  - just a string\n", "each qualification type must be a mapping"),
    ("types:\n  - code: a\n    name: [unclosed\n", ":4: expected ',' or ']'"),
])
def test_a_file_of_the_wrong_shape_is_reported(app, tmp_path, text, message):
    (tmp_path / NAME).write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        sync_directory(tmp_path)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_sync_defines_the_codes_for_files_applied_later(app, content_dir):
    from services.content import SyncContext
    from services.content_qualifications import QualificationTypesFile

    context = SyncContext()
    path = content_dir / NAME
    QualificationTypesFile().parse(path, path.read_text("utf-8"), context)
    assert "psych_counselor" in context.defined["qualification_types"]


def test_export_then_sync_into_an_empty_database_round_trips(runner, content_dir, tmp_path):
    sync(runner, content_dir)
    before = catalogue()
    out = tmp_path / "exported"
    assert runner.invoke(args=["content", "export", str(out)]).exit_code == 0
    assert (out / NAME).is_file()
    empty_tables()
    result, figures = sync(runner, out)
    assert result.exit_code == 0, result.stderr
    assert figures == (len(before), 0, 0)
    assert catalogue() == before
    again = tmp_path / "again"
    runner.invoke(args=["content", "export", str(again)])
    assert (again / NAME).read_text("utf-8") == (out / NAME).read_text("utf-8")
