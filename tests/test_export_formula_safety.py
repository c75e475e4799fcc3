"""Every spreadsheet the platform hands out is formula-safe: text a person typed that
starts with = + - @, a tab or a carriage return reaches Excel as text, never a formula
(xlsx: a string cell with the quote prefix, no <f>; csv: a leading apostrophe).

The roster and answer-sheet templates are left out: they hold only our own headers
and question ids, which cannot start with those characters (QID in question_bank)."""
import csv
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from extensions import db
from models import CourseDelivery
from models import HourEntry
from models import Question
from models import QuestionBank
from models import Quiz
from services import audit
from services.exports import FORMULA_TRIGGERS

YEAR = date.today().year
PAYLOADS = ['=HYPERLINK("http://x.example/?leak","click")', "+1", "@SUM(1)", "\t=1", "-1+2", "\r=1"]


@pytest.fixture
def poisoned(request, app, auth, make_unit, make_person, make_user):
    """A campus where every name a person types is the payload; a superadmin signed in."""
    payload = request.param
    university = make_unit("U1")
    college = make_unit("C1", "college", university)
    klass = make_unit("K1", "class", college)
    dorm = make_unit("D1", "dorm", klass)
    for unit in (university, college, klass, dorm):
        unit.name = payload
    informant = make_person("P1", name=payload, role="dorm_informant", unit=dorm)
    teacher = make_person("T1", name=payload, role="counselor", unit=college)
    db.session.add(HourEntry(person=informant, date=date.today(), hours=2, activity="other", source="import",
                             status="approved", description=payload))
    db.session.add(CourseDelivery(class_unit=klass, date=date.today(), hours=2, topic=payload,
                                  teacher=teacher))
    bank = QuestionBank(slug="b1", title=payload)
    db.session.add(Question(qid="q1", bank=bank, position=0, type="single", competency="recognition",
                            stem=payload, options=[{"text": payload, "correct": True, "feedback": ""},
                                                   {"text": "b", "correct": False, "feedback": ""}]))
    db.session.add(Quiz(slug="quiz", title=payload, pass_mark=0.8, questions=["q1"]))
    audit.record("unit.renamed", target=("unit", payload), name=payload)
    db.session.commit()
    make_user("root@example.edu.cn", grant=("superadmin", None), locale="en")
    auth.login("root@example.edu.cn")
    return payload


def download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.data


def invitations(client, runner, tmp_path) -> bytes:
    path = tmp_path / "links.xlsx"
    result = runner.invoke(args=["users", "invite", "--unit", "U1", "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


EXPORTS = {
    "coverage": lambda client, runner, tmp: download(client, "/coverage/U1.xlsx"),
    "course report": lambda client, runner, tmp: download(client, "/course/U1.xlsx"),
    "hours totals": lambda client, runner, tmp: download(client, f"/hours/totals.xlsx?unit=U1&year={YEAR}"),
    "item statistics": lambda client, runner, tmp: download(client, "/author/quizzes/quiz/statistics.xlsx"),
    "audit xlsx": lambda client, runner, tmp: download(client, "/audit.xlsx"),
    "audit csv": lambda client, runner, tmp: download(client, "/audit.csv"),
    "invitations (CLI)": invitations,
}


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_xlsx_safe(data: bytes, payload: str) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), f"a formula in {name}"
    cells = xlsx_cells(data)
    # XML reads a carriage return back as a line feed
    texts = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS + ("\n",))]
    assert any(payload.replace("\r", "\n") in c.value for c in texts), "the payload never reached the file"
    for cell in texts:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)


def assert_csv_safe(data: bytes, payload: str) -> None:
    fields = [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for field in row]
    assert not [field for field in fields if field.startswith(FORMULA_TRIGGERS)]
    assert any(field.startswith("'") and payload in field for field in fields), "the payload never got in"


@pytest.mark.parametrize("poisoned", PAYLOADS, indirect=True, ids=repr)
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_every_export_neutralises_formula_text(client, runner, tmp_path, poisoned, export):
    data = EXPORTS[export](client, runner, tmp_path)
    if export.endswith("csv"):
        assert_csv_safe(data, poisoned)
    else:
        assert_xlsx_safe(data, poisoned)
