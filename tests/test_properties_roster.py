"""Properties of the roster import: any rows of any cells, as .csv or .xlsx, by a
superadmin or a college admin — the file imports whole, or ValidationFailed/DomainError
is raised and not one row has been written."""
import io
from datetime import date
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from extensions import db
from models import Assignment
from models import AuditEvent
from models import Person
from models import Unit
from services.errors import DomainError
from services.roster_import import import_people
from services.roster_import import import_units
from tests.import_files import PEOPLE_HEADERS
from tests.import_files import PEOPLE_HEADERS_ZH
from tests.import_files import UNIT_HEADERS
from tests.import_files import UNIT_HEADERS_ZH
from tests.import_files import UNITS
from tests.import_files import csv_bytes
from tests.import_files import write_file
from tests.import_files import xlsx_bytes
from tests.property_inputs import FUZZ
from tests.property_inputs import mutated_bytes

#: cell values a roster holds, right and nearly right, and what people paste by mistake
WORDS = ["U1", "C1", "C2", "K1", "D1", "B1", "u1", " K1 ", "NEW1", "X" * 70, "dorm", "寝室", "class", "班级",
         "college", "university", "province", "building", "dorm_informant", "班级心理委员", "辅导员",
         "counselor", "superadmin", "S001", "T001", "2026-09-01", "2026/9/1", "2026年9月1日", "2026.13.40",
         "9999-12-31", "0001-01-01", "a@b.cn", "not-an-email", "13800138000", "-1", "1,200", "²", "1e9",
         "=HYPERLINK(\"x\")", "NULL", "'", '"', ",", "\n", "", " ", "张三"]
cell_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
cells = st.one_of(st.sampled_from(WORDS), cell_text, st.integers(-2**70, 2**70),
                  st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
                  st.dates(date(1900, 3, 1), date(9999, 12, 31)),
                  st.datetimes(datetime(1900, 3, 1), datetime(9999, 12, 31)))


PEOPLE = [["S001", "张三", "dorm_informant", "D1", "", "", "2026-09-01", ""],
          ["S002", "李四", "班级心理委员", "K1", "li@example.edu.cn", "", "", ""],
          ["T001", "李老师", "辅导员", "C1", "", 13800138000, date(2025, 9, 1), "2026/7/1"]]


def nearly(row: list, values: st.SearchStrategy = cells) -> st.SearchStrategy:
    """A good row with a few cells swapped for random ones."""
    return st.lists(st.tuples(st.integers(0, len(row) - 1), values), max_size=2).map(
        lambda swaps: [dict(swaps).get(index, value) for index, value in enumerate(row)])


def table(headers: list[str], good: list[list], values: st.SearchStrategy = cells) -> st.SearchStrategy:
    """A header row (the real one, or shuffled with names swapped for others) and rows that are
    random or nearly right."""
    header = st.just(list(headers)) | st.permutations(headers).flatmap(lambda names: st.lists(
        st.sampled_from(names) | st.sampled_from(WORDS), min_size=len(names) - 1, max_size=len(names) + 1))
    near = st.sampled_from(good).flatmap(lambda row: nearly(row, values))
    rows = st.lists(near, max_size=8) | st.lists(near | st.lists(values, max_size=len(headers) + 1),
                                                 max_size=8)
    return st.tuples(header, rows)


def upload(header: list, rows: list[list], as_xlsx: bool) -> FileStorage:
    """The rows as an uploaded file, the way the upload page passes it to the service."""
    if as_xlsx:
        return FileStorage(io.BytesIO(xlsx_bytes([header, *rows])), filename="roster.xlsx")
    text = [[("" if value is None else value) for value in row] for row in [header, *rows]]
    return FileStorage(io.BytesIO(csv_bytes(text)), filename="roster.csv")


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count(model.id)))
                 for model in (Unit, Person, Assignment, AuditEvent))


def import_or_refuse(run, source, **options) -> str:
    """'imported' or 'refused' (nothing written); any other exception fails the property."""
    before = counts()
    try:
        run(source, **options)
    except DomainError as refused:
        assert refused.message
        assert counts() == before, "a refused import wrote rows"
        return "refused"
    finally:
        db.session.rollback()
    return "imported"


@pytest.fixture
def campus(app, roles, make_user, tmp_path):
    """The units of tests.import_files, and an admin of college C1."""
    import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()
    return {"superadmin": None, "college admin": make_user("c1@example.edu.cn", grant=("admin", "C1"))}


@FUZZ
@given(data=st.one_of(table(UNIT_HEADERS, UNITS), table(UNIT_HEADERS_ZH, UNITS)), as_xlsx=st.booleans(),
       who=st.sampled_from(["superadmin", "college admin"]), dry_run=st.booleans())
def test_any_units_file_imports_whole_or_not_at_all(campus, data, as_xlsx, who, dry_run):
    outcome = import_or_refuse(import_units, upload(*data, as_xlsx), by=campus[who], dry_run=dry_run)
    assert outcome in ("imported", "refused")


@FUZZ
@given(data=st.one_of(table(PEOPLE_HEADERS, PEOPLE), table(PEOPLE_HEADERS_ZH, PEOPLE)), as_xlsx=st.booleans(),
       who=st.sampled_from(["superadmin", "college admin"]), dry_run=st.booleans())
def test_any_people_file_imports_whole_or_not_at_all(campus, data, as_xlsx, who, dry_run):
    outcome = import_or_refuse(import_people, upload(*data, as_xlsx), by=campus[who], dry_run=dry_run,
                               today=date(2026, 11, 28))
    assert outcome in ("imported", "refused")


GOOD_PEOPLE = xlsx_bytes([PEOPLE_HEADERS, *PEOPLE])


@FUZZ
@given(data=st.one_of(mutated_bytes(GOOD_PEOPLE), mutated_bytes(csv_bytes([PEOPLE_HEADERS, *PEOPLE[:2]]))),
       name=st.sampled_from(["people.xlsx", "people.csv"]))
def test_any_damaged_people_file_is_refused_or_imported_whole(campus, data, name):
    source = FileStorage(io.BytesIO(data), filename=name)
    assert import_or_refuse(import_people, source, today=date(2026, 11, 28)) in ("imported", "refused")


def test_the_good_file_imports(campus):
    source = FileStorage(io.BytesIO(GOOD_PEOPLE), filename="people.xlsx")
    assert import_or_refuse(import_people, source, today=date(2026, 11, 28)) == "imported"
