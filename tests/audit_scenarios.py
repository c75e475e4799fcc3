"""One real request (or CLI command) per kind of audited event, for tests/test_audit_events.py.

Each scenario does what a person does and returns the (actor email, target) the event
must carry; the world is tests/session_setup.py's campus plus an admin, a superadmin,
the shipped content and a few records to approve or revoke.
"""
import io
import shutil
from datetime import date
from datetime import timedelta

from extensions import db
from models import ApiToken
from models import Certificate
from models import HourEntry
from models import Program
from models import Qualification
from models import QualificationType
from models import Question
from models import QuestionBank
from models import Quiz
from models import User
from models.base import utcnow
from services import accounts
from services.certificate_codes import new_code
from tests.conftest import CONTENT
from tests.import_files import write_file
from tests.session_setup import schedule

ADMIN = "admin1@example.edu.cn"
TRAINER = "trainer@example.edu.cn"
MODULE = """---
title: 夜里的电话
summary: 深夜接到室友的求助。
roles: [dorm_informant]
competencies: [intervention]
hours: 1
version: 1
---
## 发生了什么

凌晨一点，室友说他很难受。
"""


def find_user(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def user_id(email: str) -> str:
    return str(find_user(email).id)


def upload(file: bytes, name: str) -> tuple:
    return io.BytesIO(file), name


def signed_in(w, email):
    w.auth.login(email)


def login(w):
    w.auth.login(ADMIN)
    return ADMIN, ("user", user_id(ADMIN))


def login_failed(w):
    w.auth.login(ADMIN, "not-the-password")
    return ADMIN, ("user", user_id(ADMIN))


def forbidden(w):
    signed_in(w, "s001@example.edu.cn")
    assert w.client.get("/units").status_code == 403
    return "s001@example.edu.cn", (None, None)


def out_of_scope_page(w):
    signed_in(w, "admin2@example.edu.cn")
    assert w.client.get("/units/C1").status_code == 404
    return "admin2@example.edu.cn", ("unit", "C1")


def out_of_scope_api(w):
    token = accounts.create_token(find_user("admin2@example.edu.cn"), "t")
    db.session.commit()
    response = w.client.get("/api/v1/people/S001", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    return "admin2@example.edu.cn", ("person", "S001")


def grant_added(w):
    signed_in(w, ADMIN)
    w.auth.post("/grants/C1", {"email": "auditor@example.edu.cn", "kind": "trainer"})
    return ADMIN, ("user", user_id("auditor@example.edu.cn"))


def grant_removed(w):
    grant = accounts.add_grant(find_user("auditor@example.edu.cn"), "trainer", "C1")
    db.session.commit()
    signed_in(w, ADMIN)
    w.auth.post(f"/grants/remove/{grant.id}")
    return ADMIN, ("user", user_id("auditor@example.edu.cn"))


def token_created(w):
    signed_in(w, ADMIN)
    w.auth.post("/profile/tokens", {"name": "报表脚本"})
    return ADMIN, ("user", user_id(ADMIN))


def token_revoked(w):
    user = find_user(ADMIN)
    accounts.create_token(user, "旧脚本")
    db.session.commit()
    token_id = db.session.scalar(db.select(ApiToken.id).where(ApiToken.user_id == user.id))
    signed_in(w, ADMIN)
    w.auth.post(f"/profile/tokens/{token_id}/revoke")
    return ADMIN, ("user", user_id(ADMIN))


def import_units(w):
    signed_in(w, ADMIN)
    rows = "code,name,kind,parent,students\nC9,新学院,college,U1,\n".encode()
    w.auth.post("/import", {"kind": "units", "file": upload(rows, "units.csv")},
                content_type="multipart/form-data")
    return ADMIN, ("file", "units.csv")


def import_people(w):
    signed_in(w, ADMIN)
    rows = "number,name,role,unit\nS050,新同学,dorm_informant,D1\n".encode()
    w.auth.post("/import", {"kind": "people", "file": upload(rows, "people.csv")},
                content_type="multipart/form-data")
    return ADMIN, ("file", "people.csv")


def import_hours(w):
    path = write_file(w.tmp_path, "hours.csv", [["number", "date", "hours", "activity"],
                                               ["S001", "2025-10-12", 2, "workshop"]])
    assert w.runner.invoke(args=["hours", "import", str(path)]).exit_code == 0
    return None, ("file", "hours.csv")


def import_certificates(w):
    path = write_file(w.tmp_path, "certs.csv", [["number", "program", "issued"],
                                               ["S002", "informant-basic", "2025-09-01"]])
    result = w.runner.invoke(args=["certs", "import", str(path)])
    assert result.exit_code == 0, result.output
    return None, ("file", "certs.csv")


def import_attendance(w):
    session = schedule(w.campus.c1, w.campus.trainer, starts_at=utcnow() - timedelta(hours=1),
                       minutes=120)
    signed_in(w, TRAINER)
    w.auth.post(f"/sessions/{session.id}/import",
                {"file": upload("工号/学号\nS001\n".encode(), "attendance.csv")},
                content_type="multipart/form-data")
    return TRAINER, ("training_session", str(session.id))


def import_questions(w):
    signed_in(w, TRAINER)
    gift = "::q-audit:: 哪一个是预警信号？ {=赠送心爱物品 ~按时上课}\n".encode()
    w.auth.post("/author/questions/import", {"bank": "audit-bank", "competency": "recognition",
                                            "file": upload(gift, "bank.gift")},
                content_type="multipart/form-data")
    return TRAINER, ("question_bank", "audit-bank")


def import_results(w):
    bank = QuestionBank(slug="paper-bank", title="纸笔")
    db.session.add(Question(qid="p1", bank=bank, position=0, type="single",
                            competency="recognition", stem="p1",
                            options=[{"text": "对", "correct": True, "feedback": ""},
                                     {"text": "错", "correct": False, "feedback": ""}]))
    db.session.add(Quiz(slug="paper", title="纸笔测验", pass_mark=0.8, max_attempts=1,
                        questions=["p1"], draw=[]))
    db.session.commit()
    signed_in(w, TRAINER)
    sheet = "工号/学号,姓名,p1\nS001,李同学,A\n".encode()
    w.auth.post("/author/quizzes/paper/results",
                {"sat_on": (date.today() - timedelta(days=1)).isoformat(),
                 "file": upload(sheet, "omr.csv")}, content_type="multipart/form-data")
    return TRAINER, ("quiz", "paper")


def approve_hours(w):
    entry = HourEntry(person_id=w.campus.s2.id, date=date.today() - timedelta(days=2), hours=2.0,
                      activity="workshop", source="manual", status="pending")
    db.session.add(entry)
    db.session.commit()
    signed_in(w, ADMIN)
    w.auth.post(f"/hours/review/{entry.id}", {"decision": "approve"})
    return ADMIN, ("hourentry", str(entry.id))


def verify_qualification(w):
    kind = db.session.scalar(db.select(QualificationType.code).order_by(QualificationType.code))
    item = Qualification(person_id=w.campus.s2.id, type=kind, issuer="卫健委", number="Q-1",
                         issued_on=date.today() - timedelta(days=90))
    db.session.add(item)
    db.session.commit()
    signed_in(w, ADMIN)
    w.auth.post(f"/qualifications/{item.id}/review", {"reason": "", "verify": "verify"})
    return ADMIN, ("qualification", str(item.id))


def revoke_certificate(w):
    program = db.session.scalar(db.select(Program).where(Program.code == "informant-basic"))
    certificate = Certificate(code=new_code(), person=w.campus.s1, program=program,
                              issued=date.today() - timedelta(days=30),
                              expires=date.today() + timedelta(days=300))
    db.session.add(certificate)
    db.session.commit()
    signed_in(w, ADMIN)
    w.auth.post(f"/certificates/{certificate.code}/revoke", {"reason": "培训记录造假"})
    return ADMIN, ("certificate", certificate.code)


def save_module(w):
    signed_in(w, TRAINER)
    w.auth.post("/author/modules/new", {"slug": "night-call", "source": MODULE, "save": "1"})
    return TRAINER, ("module", "night-call")


def create_quiz(w):
    signed_in(w, TRAINER)
    w.auth.post("/author/quizzes/new", {
        "slug": "audit-check", "title": "识别测验", "roles": ["dorm_informant"], "pass_mark": "80",
        "time_limit_minutes": "", "max_attempts": "3", "layout": "paged",
        "questions": "duty-001", "draws-0-bank": "", "draws-0-count": "", "save": "Save"})
    return TRAINER, ("quiz", "audit-check")


def create_question(w):
    signed_in(w, TRAINER)
    bank = db.session.scalar(db.select(QuestionBank.slug).order_by(QuestionBank.slug))
    w.auth.post("/author/questions/new", {
        "bank": bank, "qid": "audit-100", "type": "single", "competency": "recognition",
        "stem": "哪一个是预警信号？", "options-0-text": "赠送心爱物品", "options-0-correct": "y",
        "options-1-text": "按时上课", "save": "Save"})
    return TRAINER, ("question", "audit-100")


def sync_content(w):
    content = shutil.copytree(CONTENT, w.tmp_path / "content")
    roles = content / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("name: 思政干部", "name: 思政工作者"),
                     encoding="utf-8")
    result = w.runner.invoke(args=["content", "sync", str(content)])
    assert result.exit_code == 0, result.output
    return None, ("content", "content")


#: (action, scenario): every kind of event issue 8 names, through the real path
SCENARIOS = [
    ("auth.login", login),
    ("auth.login_failed", login_failed),
    ("access.denied", forbidden),
    ("access.denied", out_of_scope_page),
    ("access.denied", out_of_scope_api),
    ("grant.added", grant_added),
    ("grant.removed", grant_removed),
    ("token.created", token_created),
    ("token.revoked", token_revoked),
    ("roster.import_units", import_units),
    ("roster.import_people", import_people),
    ("hours.import", import_hours),
    ("certificate.import", import_certificates),
    ("session.attendance", import_attendance),
    ("questions.imported", import_questions),
    ("quiz.import_results", import_results),
    ("hours.approve", approve_hours),
    ("qualification.verify", verify_qualification),
    ("certificate.revoke", revoke_certificate),
    ("module.saved", save_module),
    ("quiz.create", create_quiz),
    ("question.create", create_question),
    ("content.sync", sync_content),
]
