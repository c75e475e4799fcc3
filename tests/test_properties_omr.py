"""Properties of the answer-sheet import (OMR): any header, any letters, any bytes — the
sitting imports whole, or ValidationFailed/DomainError is raised with not one attempt,
response or audit event written."""
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from extensions import db
from models import Attempt
from models import AuditEvent
from models import Question
from models import QuestionBank
from models import Quiz
from models import Response
from services.errors import DomainError
from services.omr_import import import_results
from tests.import_files import csv_bytes
from tests.import_files import xlsx_bytes
from tests.property_inputs import FUZZ
from tests.property_inputs import mutated_bytes
from tests.test_properties_roster import cells

SAT_ON = date(2026, 10, 15)
HEADER = ["工号/学号", "姓名", "s1", "m1", "t1", "o1"]
GOOD = [["P1", "甲", "B", "CA", "a", "ABCD"], ["P2", "乙", "C", "A", "", "ABDC"]]
#: what scanners write in a cell, and what they get wrong
MARKS = ["A", "B", "C", "D", "E", "a", "AB", "BA", "A,B", "A B", "A、B", "AA", "ABCD", "ABDC", "DCBA",
         "ABC", "Ａ", "*", "?", "1", "", " ", "P1", "P2", "P3", "X9", "p1", "s1", "m1", "t1", "o1", "zz",
         "工号/学号"]
marks = st.sampled_from(MARKS) | cells


def options(*correct: bool) -> list[dict]:
    return [{"text": f"选项{i}", "correct": c, "feedback": ""} for i, c in enumerate(correct)]


@pytest.fixture
def sitting(app, make_unit, make_person, make_user):
    """A quiz of one question of each type; P1–P3 in a trainer's college, X9 outside it."""
    university = make_unit("U1")
    c1, c2 = make_unit("C1", "college", university), make_unit("C2", "college", university)
    for number in ("P1", "P2", "P3"):
        make_person(number, role="class_psych_member", unit=c1)
    make_person("X9", role="class_psych_member", unit=c2)
    bank = QuestionBank(slug="b1", title="b1")
    for position, (qid, kind, opts) in enumerate([
            ("s1", "single", options(False, True, False)),
            ("m1", "multiple", options(True, False, True, False)),
            ("t1", "truefalse", options(True, False)), ("o1", "ordering", options(True, True, True, True)),
            ("x1", "single", options(True, False))]):
        db.session.add(Question(qid=qid, bank=bank, position=position, type=kind, competency="recognition",
                                stem=qid, options=opts))
    db.session.add(Quiz(slug="paper", title="纸笔测验", pass_mark=0.8, max_attempts=1, shuffle=True,
                        questions=["s1", "m1", "t1", "o1"]))
    db.session.commit()
    return {"superadmin": None, "trainer": make_user("trainer@example.edu.cn", grant=("trainer", "C1"))}


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count(model.id))) for model in (Attempt, Response, AuditEvent))


def import_or_refuse(source: FileStorage, by, sat_on: date = SAT_ON) -> str:
    """'imported' or 'refused' (nothing written); any other exception fails the property."""
    before = counts()
    try:
        import_results("paper", source, sat_on=sat_on, by=by)
    except DomainError as refused:
        assert refused.message
        assert counts() == before, "a refused import wrote rows"
        return "refused"
    finally:
        db.session.rollback()
    return "imported"


def upload(rows: list[list], as_xlsx: bool) -> FileStorage:
    if as_xlsx:
        return FileStorage(io.BytesIO(xlsx_bytes(rows)), filename="sheet.xlsx")
    text = [[("" if value is None else value) for value in row] for row in rows]
    return FileStorage(io.BytesIO(csv_bytes(text)), filename="sheet.csv")


header = st.just(HEADER) | st.lists(st.sampled_from(HEADER + ["x1", "nope", "number", "name"]) | marks,
                                    max_size=7)
swaps = st.lists(st.tuples(st.integers(0, 5), marks), max_size=2)
near = st.tuples(st.sampled_from(GOOD), swaps).map(
    lambda pair: [dict(pair[1]).get(index, value) for index, value in enumerate(pair[0])])
rows = st.lists(near | st.lists(marks, max_size=7), max_size=6)


@FUZZ
@given(header=header, rows=rows, as_xlsx=st.booleans(), who=st.sampled_from(["superadmin", "trainer"]),
       sat_on=st.sampled_from([SAT_ON, date(1900, 1, 1), date(9999, 12, 31)]))
def test_any_answer_sheet_imports_whole_or_not_at_all(sitting, header, rows, as_xlsx, who, sat_on):
    assert import_or_refuse(upload([header, *rows], as_xlsx), sitting[who], sat_on) in ("imported", "refused")


@FUZZ
@given(data=st.one_of(mutated_bytes(xlsx_bytes([HEADER, *GOOD])), mutated_bytes(csv_bytes([HEADER, *GOOD])),
                      st.binary(max_size=300)), name=st.sampled_from(["sheet.xlsx", "sheet.csv"]))
def test_any_damaged_answer_sheet_is_refused_or_imported_whole(sitting, data, name):
    assert import_or_refuse(FileStorage(io.BytesIO(data), filename=name), None) in ("imported", "refused")


def test_the_good_sheet_imports(sitting):
    assert import_or_refuse(upload([HEADER, *GOOD], True), sitting["trainer"]) == "imported"
