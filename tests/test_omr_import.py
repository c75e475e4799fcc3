"""Paper sittings (SPEC §3): `flask quiz import-results` and the upload page turn an
answer-sheet scanner's file into graded attempts — all rows checked first, all or nothing."""
import io
from datetime import date
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import Attempt
from models import AuditEvent
from models import Question
from models import QuestionBank
from models import Quiz
from models import Response
from services.errors import ValidationFailed
from services.omr_import import import_results
from tests.import_files import csv_bytes
from tests.import_files import write_file
from tests.import_files import xlsx_bytes

SAT_ON = date(2026, 10, 15)
HEADER = ["工号/学号", "姓名", "s1", "m1", "t1", "o1", "d1"]
#: P1 gets everything right; P2: wrong, ½ (one of two correct), blank, ½ (two of four placed)
GOOD = [HEADER, ["P1", "甲", "B", "CA", "a", "ABCD", "A"], ["P2", "乙", "C", "A", "", "ABDC", ""]]


def options(*correct: bool) -> list[dict]:
    return [{"text": f"选项{i}", "correct": c, "feedback": ""} for i, c in enumerate(correct)]


@pytest.fixture
def sitting(app, make_unit, make_person, make_user):
    """A quiz with a fixed question of each type and a draw pool; people in and out of a
    trainer's scope."""
    university = make_unit("U1")
    c1, c2 = make_unit("C1", "college", university), make_unit("C2", "college", university)
    for number in ("P1", "P2", "P3"):
        make_person(number, role="class_psych_member", unit=c1)
    make_person("X9", role="class_psych_member", unit=c2)
    banks = {slug: QuestionBank(slug=slug, title=slug) for slug in ("b1", "b2", "b3")}
    for position, (qid, bank, kind, opts, competency) in enumerate([
            ("s1", "b1", "single", options(False, True, False), "recognition"),
            ("m1", "b1", "multiple", options(True, False, True, False), "recognition"),
            ("t1", "b1", "truefalse", options(True, False), "discernment"),
            ("o1", "b1", "ordering", options(True, True, True, True), "intervention"),
            ("d1", "b2", "single", options(True, False), "recognition"),
            ("d2", "b2", "single", options(True, False), "intervention"),
            ("x1", "b3", "single", options(True, False), "recognition")]):
        db.session.add(Question(qid=qid, bank=banks[bank], position=position, type=kind,
                                competency=competency, stem=qid, options=opts))
    db.session.add(Quiz(slug="paper", title="纸笔测验", pass_mark=0.8, max_attempts=1, shuffle=True,
                        questions=["s1", "m1", "t1", "o1"],
                        draw=[{"bank": "b2", "competency": "recognition", "count": 1}]))
    db.session.commit()
    return make_user("trainer@example.edu.cn", grant=("trainer", "C1"), locale="en")


def scores() -> dict[str, tuple]:
    rows = db.session.execute(select(Attempt).order_by(Attempt.id)).scalars()
    return {a.person.number: (a.raw_score, a.score, a.passed) for a in rows}


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("name", ["sheet.xlsx", "sheet.csv"])
def test_a_good_file_becomes_graded_paper_attempts(sitting, tmp_path, name):
    result = import_results("paper", write_file(tmp_path, name, GOOD), sat_on=SAT_ON)
    db.session.commit()
    assert (result.created, result.unchanged, result.passed) == (2, 0, 1)
    assert scores() == {"P1": (5.0, 1.0, True), "P2": (1.0, 0.2, False)}
    attempt = db.session.scalar(select(Attempt).join(Attempt.person).where(Attempt.person.has(number="P2")))
    noon = datetime(2026, 10, 15, 12)
    assert (attempt.source, attempt.sat_on, attempt.submitted_at, attempt.started_at) == (
        "paper", SAT_ON, noon, noon)
    qids = {q.id: q.qid for q in db.session.scalars(select(Question))}
    assert [(qids[item["question_id"]], item["options"]) for item in attempt.layout] == [
        ("s1", [0, 1, 2]), ("m1", [0, 1, 2, 3]), ("t1", [0, 1]), ("o1", [0, 1, 2, 3]), ("d1", [0, 1])]
    assert [(qids[r.question_id], r.answer, r.score) for r in attempt.responses] == [
        ("s1", [2], 0.0), ("m1", [0], 0.5), ("t1", None, 0.0), ("o1", [0, 1, 3, 2], 0.5),
        ("d1", None, 0.0)]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.import_results"))
    assert (event.target_id, event.detail["created"], event.detail["sat_on"]) == ("paper", 2, "2026-10-15")


def test_a_wrong_choice_in_a_multiple_question_costs_credit(sitting, tmp_path):
    rows = [["number", "m1"], ["P1", "ABC"], ["P2", "ABD"], ["P3", "B, D"]]
    import_results("paper", write_file(tmp_path, "m.csv", rows), sat_on=SAT_ON)
    assert {n: s[0] for n, s in scores().items()} == {"P1": 0.5, "P2": 0.0, "P3": 0.0}


@pytest.mark.parametrize("header, cell, column, message", [
    ("s1", "D", "s1", "'D' is not one of the options A–C"),
    ("s1", "AB", "s1", "AB: this question takes one letter"),
    ("t1", "AB", "t1", "AB: this question takes one letter"),
    ("m1", "AA", "m1", "AA names an option more than once"),
    ("o1", "ABC", "o1", "ABC: put all 4 letters in order, each once"),
    ("o1", "ABCC", "o1", "names an option"),
    ("m1", "A1", "m1", "'1' is not one of the options A–D"),
])
def test_bad_letters_are_reported_by_row_and_column(sitting, tmp_path, header, cell, column, message):
    rows = [["number", header], ["P1", "A" if header != "o1" else "ABCD"], ["P2", cell]]
    with pytest.raises(ValidationFailed) as caught:
        import_results("paper", write_file(tmp_path, "bad.xlsx", rows), sat_on=SAT_ON)
    [problem] = caught.value.problems
    assert problem.startswith(f"row 3, column {column}: ") and message in problem
    assert count(Attempt) == 0


def test_every_bad_row_and_column_is_reported_and_nothing_is_written(sitting, tmp_path):
    rows = [["number", "s1", "x1", "nope", "d2"], ["P1", "B", "", "", ""], ["ZZ", "A", "", "", ""],
            ["X9", "A", "", "", ""], ["P1", "A", "", "", ""], ["", "A", "", "", ""]]
    with pytest.raises(ValidationFailed) as caught:
        import_results("paper", write_file(tmp_path, "bad.csv", rows), sat_on=SAT_ON, by=sitting)
    assert caught.value.problems == [
        "row 1, column x1: question x1 is not in this quiz",
        "row 1, column nope: no question has the id nope",
        "row 1, column d2: question d2 is not in this quiz",
        "row 3, column number: unknown number ZZ",
        "row 4, column number: unknown number X9",
        "row 5, column number: P1 already answered on row 2",
        "row 6, column number: a value is required",
    ]
    assert count(Attempt) == 0 and count(Response) == 0


def test_outside_the_trainers_scope_reads_as_unknown(sitting, tmp_path):
    path = write_file(tmp_path, "s.csv", [["number", "s1"], ["P1", "B"], ["X9", "B"]])
    with pytest.raises(ValidationFailed) as caught:
        import_results("paper", path, sat_on=SAT_ON, by=sitting)
    assert caught.value.problems == ["row 3, column number: unknown number X9"]
    assert import_results("paper", path, sat_on=SAT_ON).created == 2  # the CLI sees everyone


def test_dry_run_checks_and_writes_nothing(sitting, tmp_path):
    result = import_results("paper", write_file(tmp_path, "s.xlsx", GOOD), sat_on=SAT_ON, dry_run=True)
    assert (result.created, result.dry_run) == (2, True)
    assert count(Attempt) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.import_results")) is None


def test_reimporting_adds_nothing_and_other_answers_are_refused(sitting, tmp_path):
    path = write_file(tmp_path, "s.xlsx", GOOD)
    import_results("paper", path, sat_on=SAT_ON)
    again = import_results("paper", path, sat_on=SAT_ON)
    assert (again.created, again.unchanged) == (0, 2) and count(Attempt) == 2
    changed = [HEADER, GOOD[1], ["P2", "乙", "B", "A", "", "ABDC", ""], ["P3", "丙", "B", "", "", "", ""]]
    with pytest.raises(ValidationFailed) as caught:
        import_results("paper", write_file(tmp_path, "t.xlsx", changed), sat_on=SAT_ON)
    assert caught.value.problems == [
        "row 3, column 工号/学号: P2 already has a paper attempt on 2026-10-15 with other answers"]
    assert import_results("paper", path, sat_on=date(2026, 10, 16)).created == 2  # another sitting
    assert count(Attempt) == 4


def quiz(runner, *args):
    return runner.invoke(args=["quiz", "import-results", *map(str, args)])


def test_cli_imports_and_reports(sitting, runner, tmp_path):
    path = write_file(tmp_path, "s.csv", GOOD, encoding="gb18030")
    dry = quiz(runner, "paper", path, "--date", "2026-10-15", "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout == "would create 2, already imported 0\ndry run: nothing written\n"
    assert count(Attempt) == 0
    done = quiz(runner, "paper", path, "--date", "2026-10-15")
    assert (done.exit_code, done.stdout) == (0, "created 2 (1 passed), already imported 0\n")
    assert scores()["P1"] == (5.0, 1.0, True)


def test_cli_failures_exit_non_zero_with_a_message(sitting, runner, tmp_path):
    bad = quiz(runner, "paper", write_file(tmp_path, "b.csv", [["number", "s1"], ["ZZ", "E"]]),
               "--date", "2026-10-15")
    assert bad.exit_code == 1
    assert bad.stderr == ("row 2, column s1: 'E' is not one of the options A–C\n"
                          "row 2, column number: unknown number ZZ\n"
                          "2 problem(s); nothing was written.\n")
    missing = quiz(runner, "nope", write_file(tmp_path, "g.csv", GOOD), "--date", "2026-10-15")
    assert (missing.exit_code, missing.stderr) == (1, "Error: No such quiz nope.\n")
    future = quiz(runner, "paper", tmp_path / "g.csv", "--date", "2099-01-01")
    assert future.exit_code == 1 and "in the future" in future.stderr
    assert quiz(runner, "paper", tmp_path / "g.csv", "--date", "15/10/2026").exit_code == 2
    assert count(Attempt) == 0


def upload(auth, content: bytes, name: str, dry_run=False):
    data = {"sat_on": "2026-10-15", "file": (io.BytesIO(content), name)}
    if dry_run:
        data["dry_run"] = "y"
    return auth.post("/author/quizzes/paper/results", data, content_type="multipart/form-data")


def test_a_trainer_uploads_a_sitting(sitting, client, auth):
    auth.login("trainer@example.edu.cn")
    page = client.get("/author/quizzes/paper/results").get_data(as_text=True)
    assert "data-upload-progress" in page and 'name="sat_on"' in page and 'name="dry_run"' in page
    response = upload(auth, xlsx_bytes(GOOD), "sheet.xlsx", dry_run=True)
    assert response.headers["Location"] == "/author/quizzes/paper/results" and count(Attempt) == 0
    response = upload(auth, xlsx_bytes(GOOD), "sheet.xlsx")
    assert response.headers["Location"] == "/author/quizzes/paper/results"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 graded attempt(s), 1 passed" in page
    assert scores() == {"P1": (5.0, 1.0, True), "P2": (1.0, 0.2, False)}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz.import_results"))
    assert event.actor_id == sitting.id


def test_the_upload_page_lists_every_problem(sitting, client, auth):
    auth.login("trainer@example.edu.cn")
    rows = [["number", "s1", "zz"], ["X9", "B", ""], ["P1", "BC", ""]]
    response = upload(auth, csv_bytes(rows, "utf-8-sig"), "sheet.csv")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for problem in ("row 1, column zz: no question has the id zz", "row 2, column number: unknown number X9",
                    "row 3, column s1: BC: this question takes one letter"):
        assert f"<li>{problem}</li>" in html
    assert "3 problems were found; nothing was written." in html and count(Attempt) == 0
    wrong_type = upload(auth, b"not a workbook", "sheet.txt")
    assert wrong_type.status_code == 422 and "Unsupported file type .txt" in wrong_type.get_data(as_text=True)


def test_the_template_has_the_number_and_fixed_question_columns(sitting, client, auth):
    auth.login("trainer@example.edu.cn")
    response = client.get("/author/quizzes/paper/results/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in next(sheet.iter_rows())] == ["工号/学号", "s1", "m1", "t1", "o1"]


def test_learners_and_unknown_quizzes_get_404(sitting, client, auth, make_user, make_person):
    auth.login("trainer@example.edu.cn")
    assert client.get("/author/quizzes/nope/results").status_code == 404
    auth.logout()
    make_user("p1@example.edu.cn", person=make_person("P1"))
    auth.login("p1@example.edu.cn")
    assert client.get("/author/quizzes/paper/results").status_code == 404
    assert upload(auth, xlsx_bytes(GOOD), "sheet.xlsx").status_code == 404
    assert client.get("/author/quizzes/paper/results/template.xlsx").status_code == 404
    assert count(Attempt) == 0


def test_paper_attempts_do_not_use_up_online_attempts(sitting, tmp_path):
    from services.attempts import start_attempt

    import_results("paper", write_file(tmp_path, "s.xlsx", GOOD), sat_on=SAT_ON)
    person = db.session.scalar(select(Attempt)).person
    attempt = start_attempt(person, db.session.scalar(select(Quiz)))  # max_attempts is 1
    assert attempt.source == "online" and attempt.submitted_at is None
