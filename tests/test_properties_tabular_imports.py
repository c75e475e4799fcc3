"""Properties of the other spreadsheet imports (historical hours, past certificates,
session attendance): any rows of any cells import whole, or DomainError is raised with
not one entry, certificate, attendance or audit event written."""
import io
from datetime import date
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from extensions import db
from models import Attendance
from models import AuditEvent
from models import Certificate
from models import HourEntry
from models.base import utcnow
from services.certificate_import import import_certificates
from services.errors import DomainError
from services.hours_import import import_hours
from services.session_import import import_attendance
from tests.certification_helpers import make_program
from tests.property_inputs import FUZZ
from tests.session_setup import build_campus
from tests.session_setup import schedule
from tests.test_properties_roster import cells
from tests.test_properties_roster import table
from tests.test_properties_roster import upload

TODAY = date(2026, 11, 28)
HOURS = (["number", "date", "hours", "activity", "note"],
         [["S001", "2025-10-01", 2, "workshop", "旧记录"], ["S002", date(2025, 3, 1), "1.5", "工作坊", ""]])
CERTIFICATES = (["工号/学号", "认证项目", "发证日期"],
                [["S001", "informant-basic", "2025-06-01"],
                 ["S002", "认证informant-basic", date(2025, 1, 1)]])
ATTENDANCE = (["工号/学号", "姓名"], [["S001", "李同学"], ["S002", "王同学"], ["S003", ""]])
WORDS = ["S001", "S002", "S003", "X9", "workshop", "工作坊", "self_study", "informant-basic", "0.5", "12",
         "13", "-1", "1e308", "nan", "inf", "2026-11-29", "2100-01-01", "1900-01-01"]
more_cells = st.sampled_from(WORDS) | cells


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count(model.id)))
                 for model in (HourEntry, Certificate, Attendance, AuditEvent))


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
def campus(app, make_unit, make_person, make_user):
    campus = build_campus(make_unit, make_person, make_user)
    make_program(valid_months=12)
    campus.session = schedule(campus.c1, campus.trainer, starts_at=utcnow() - timedelta(minutes=5))
    campus.admin = make_user("c1-admin@example.edu.cn", grant=("admin", "C1"))
    return campus


@FUZZ
@given(data=table(*HOURS, more_cells), as_xlsx=st.booleans(), admin=st.booleans(), dry_run=st.booleans())
def test_any_hours_file_imports_whole_or_not_at_all(campus, data, as_xlsx, admin, dry_run):
    source = upload(*data, as_xlsx)
    outcome = import_or_refuse(import_hours, source, by=campus.admin if admin else None, dry_run=dry_run,
                               today=TODAY)
    assert outcome in ("imported", "refused")


@FUZZ
@given(data=table(*CERTIFICATES, more_cells), as_xlsx=st.booleans(), admin=st.booleans(),
       dry_run=st.booleans())
def test_any_certificates_file_imports_whole_or_not_at_all(campus, data, as_xlsx, admin, dry_run):
    source = upload(*data, as_xlsx)
    outcome = import_or_refuse(import_certificates, source, by=campus.admin if admin else None,
                               dry_run=dry_run, today=TODAY)
    assert outcome in ("imported", "refused")


@FUZZ
@given(data=table(*ATTENDANCE, more_cells), as_xlsx=st.booleans(), dry_run=st.booleans())
def test_any_attendance_file_marks_everyone_or_nobody(campus, data, as_xlsx, dry_run):
    def run(source, **options):
        return import_attendance(campus.session, source, **options)

    outcome = import_or_refuse(run, upload(*data, as_xlsx), by=campus.trainer, dry_run=dry_run)
    assert outcome in ("imported", "refused")


def test_the_good_files_import(campus):
    assert import_or_refuse(import_hours, upload(*HOURS, False), today=TODAY) == "imported"
    empty = FileStorage(io.BytesIO(b""), "x.csv")
    assert import_or_refuse(import_certificates, empty, today=TODAY) == "refused"
    assert import_or_refuse(import_certificates, upload(*CERTIFICATES, True), today=TODAY) == "imported"
