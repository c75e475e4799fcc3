"""The mental-health course (S10): who may log lessons, the academic year, the 32–36 report,
its spreadsheet, scope, and a report page whose query count does not grow with the classes."""
import io
from datetime import date
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import CourseDelivery
from models import Unit
from models import User
from services import course_delivery as course
from services.academic_year import academic_year
from services.academic_year import parse_year
from services.academic_year import year_bounds
from services.academic_year import year_label
from services.course_report import course_report
from services.errors import Forbidden
from services.errors import NotFound
from services.errors import ValidationFailed

TODAY = date.today()
YEAR = academic_year(TODAY)
#: a day of the current academic year that is not in the future
IN_YEAR = max(date(YEAR, 9, 1), TODAY - timedelta(days=1))


def unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def world(make_unit, make_person, make_user):
    """U1 › CA › KA1, KA2 and U1 › CB › KB; U2 › C2 › K2; teachers at a class and the university."""
    u1 = make_unit("U1", name="示范大学")
    ca = make_unit("CA", "college", u1, name="心理学院")
    cb = make_unit("CB", "college", u1, name="工学院")
    ka1 = make_unit("KA1", "class", ca, name="心理2026-1班")
    make_unit("KA2", "class", ca, name="心理2026-2班")
    make_unit("KB", "class", cb, name="工程2026-1班")
    u2 = make_unit("U2", name="另一大学")
    make_unit("K2", "class", make_unit("C2", "college", u2), name="外校1班")
    start = date(2020, 1, 1)
    teacher = make_person("T1", name="陈老师", role="class_teacher", unit=ka1, start=start)
    mh = make_person("T2", name="吴老师", role="mh_teacher", unit=u1, start=start)
    student = make_person("S1", name="学生甲", role="class_psych_member", unit=ka1, start=start)
    make_user("admin-a@example.edu.cn", grant=("admin", "CA"))
    make_user("admin-2@example.edu.cn", grant=("admin", "C2"))
    make_user("auditor@example.edu.cn", grant=("auditor", "U1"))
    make_user("trainer@example.edu.cn", grant=("trainer", "U1"))
    make_user("teacher@example.edu.cn", person=teacher)
    make_user("mh@example.edu.cn", person=mh)
    make_user("student@example.edu.cn", person=student)
    return u1


def log(code: str, hours: float, on: date = IN_YEAR, by: str = "admin-a@example.edu.cn",
        topic: str = "认识情绪") -> CourseDelivery:
    delivery = course.log_delivery(unit(code), on=on, hours=hours, topic=topic, by=user(by))
    db.session.commit()
    return delivery


def test_the_academic_year_runs_from_1_september_to_31_august():
    assert academic_year(date(2025, 8, 31)) == 2024
    assert academic_year(date(2025, 9, 1)) == 2025
    assert year_bounds(2025) == (date(2025, 9, 1), date(2026, 8, 31))
    assert year_label(2025) == "2025–2026"
    assert parse_year("2025", date(2026, 11, 28)) == 2025
    assert parse_year("nonsense", date(2026, 11, 28)) == 2026
    assert parse_year("1999", date(2026, 11, 28)) == 2026


def test_31_august_and_1_september_fall_in_different_years(world):
    log("KA1", 4, on=date(2025, 8, 31))
    log("KA1", 2, on=date(2025, 9, 1))
    assert course_report(unit("KA1"), 2024).page.items[0].hours == 4
    assert course_report(unit("KA1"), 2025).page.items[0].hours == 2
    assert course.delivered_hours(unit("KA1"), 2025) == 2


@pytest.mark.parametrize("hours, on, message", [
    (0, IN_YEAR, "steps of 0.5"),
    (1.25, IN_YEAR, "steps of 0.5"),
    (-2, IN_YEAR, "steps of 0.5"),
    (8.5, IN_YEAR, "At most 8"),
    (2, TODAY + timedelta(days=1), "in the future"),
])
def test_bad_entries_are_refused_and_nothing_is_written(world, hours, on, message):
    with pytest.raises(ValidationFailed) as error:
        log("KA1", hours, on=on)
    assert message in error.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 0


def test_hours_are_logged_for_classes_only(world):
    with pytest.raises(ValidationFailed):
        log("CA", 2)


@pytest.mark.parametrize("who, code, allowed", [
    ("admin-a@example.edu.cn", "KA1", True),
    ("trainer@example.edu.cn", "KB", True),
    ("teacher@example.edu.cn", "KA1", True),   # class teacher of the class
    ("mh@example.edu.cn", "KB", True),         # mental-health teacher of the university
    ("teacher@example.edu.cn", "KA2", False),  # another class
    ("mh@example.edu.cn", "K2", False),        # another university
    ("auditor@example.edu.cn", "KA1", False),  # readers only read
    ("student@example.edu.cn", "KA1", False),  # a student role is not staff
    ("admin-2@example.edu.cn", "KA1", False),
])
def test_who_may_log(world, who, code, allowed):
    if allowed:
        delivery = log(code, 2, by=who)
        assert delivery.recorded_by_id == user(who).id
    else:
        with pytest.raises(Forbidden):
            log(code, 2, by=who)


def test_a_teacher_is_recorded_as_the_teacher_and_the_entry_is_audited(world):
    delivery = log("KA1", 2, by="teacher@example.edu.cn")
    assert delivery.teacher.number == "T1"
    assert log("KA1", 2).teacher is None  # an admin without a person
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.log")
                              .order_by(AuditEvent.id))
    assert event.target_id == "KA1" and event.detail["hours"] == 2.0


def test_the_named_teacher_must_be_on_the_class_staff(world):
    assert course.find_teacher(unit("KA1"), "T2", IN_YEAR).number == "T2"
    assert course.find_teacher(unit("KA1"), " ", IN_YEAR) is None
    with pytest.raises(ValidationFailed):
        course.find_teacher(unit("KA1"), "S1", IN_YEAR)
    with pytest.raises(ValidationFailed):
        course.find_teacher(unit("K2"), "T1", IN_YEAR)


def test_the_report_flags_classes_under_32(world):
    for lesson in range(4):
        log("KA1", 8, topic=f"第{lesson + 1}讲")  # 32: on target
    for lesson, hours in enumerate((8, 8, 8, 6)):
        log("KA2", hours, topic=f"第{lesson + 1}讲")  # 30: under
    for lesson, hours in enumerate((8, 8, 8, 8, 5)):
        log("KB", hours, by="trainer@example.edu.cn", topic=f"第{lesson + 1}讲")  # 37: over
    log("KB", 8, on=date(YEAR - 1, 10, 1), by="trainer@example.edu.cn")  # last year
    report = course_report(unit("U1"), YEAR)
    assert [(r.code, r.hours, r.status) for r in report.page.items] == [
        ("KA2", 30, "under"), ("KA1", 32, "on_target"), ("KB", 37, "over")]
    assert report.summary.classes == 3
    assert (report.summary.under, report.summary.on_target, report.summary.over) == (1, 1, 1)
    assert report.label == f"{YEAR}–{YEAR + 1}"
    assert report.page.items[0].college_name == "心理学院"
    assert [r.code for r in course_report(unit("U1"), YEAR, only_under=True).page.items] == ["KA2"]
    assert [r.code for r in course_report(unit("U1"), YEAR, q="工程").page.items] == ["KB"]
    college = course_report(unit("CA"), YEAR)
    assert college.summary.classes == 2 and college.summary.over == 0
    last = course_report(unit("U1"), YEAR - 1)
    assert last.summary.under == 3 and [r.hours for r in last.page.items] == [0, 0, 8]


def test_the_recorder_or_an_admin_may_remove_an_entry(world):
    mine = log("KA1", 2, by="teacher@example.edu.cn")
    with pytest.raises(Forbidden):
        course.delete_delivery(mine, by=user("mh@example.edu.cn"))
    with pytest.raises(Forbidden):
        course.delete_delivery(mine, by=user("auditor@example.edu.cn"))
    course.delete_delivery(mine, by=user("teacher@example.edu.cn"))
    theirs = log("KA1", 3, by="mh@example.edu.cn")
    course.delete_delivery(theirs, by=user("admin-a@example.edu.cn"))
    db.session.commit()
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 0
    removed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "course.delete")
                                 .order_by(AuditEvent.id)).all()
    assert [e.detail["hours"] for e in removed] == [2.0, 3.0]


def test_a_class_outside_the_scope_is_not_found(world):
    with pytest.raises(NotFound):
        course.class_for(user("admin-2@example.edu.cn"), "KA1")
    with pytest.raises(NotFound):
        course.class_for(user("teacher@example.edu.cn"), "KA2")
    with pytest.raises(NotFound):
        course.class_for(user("admin-a@example.edu.cn"), "CA")  # not a class
    assert course.class_for(user("mh@example.edu.cn"), "KB").code == "KB"


@pytest.mark.parametrize("path", ["/course/CA", "/course/CA.xlsx", "/course/KA1/log"])
def test_pages_outside_the_scope_answer_404(client, auth, world, path):
    auth.login("admin-2@example.edu.cn")
    assert client.get(path).status_code == 404


def test_the_report_page_shows_the_classes_and_their_status(client, auth, world):
    log("KA1", 8)
    auth.login("auditor@example.edu.cn")
    html = client.get(f"/course/U1?year={YEAR}").get_data(as_text=True)
    assert 'data-status="under"' in html and "心理2026-1班" in html and "工程2026-1班" in html
    assert "/course/KA1/log" in html and 'aria-valuenow="8"' in html
    under = client.get(f"/course/U1?year={YEAR}&under=1&q=心理2026-1").get_data(as_text=True)
    assert "心理2026-1班" in under and "工程2026-1班" not in under
    assert "/course/U1" in client.get("/units/U1").get_data(as_text=True)


def test_the_same_lesson_sent_twice_is_recorded_once(client, auth, world):
    auth.login("teacher@example.edu.cn")
    form = {"on": IN_YEAR.isoformat(), "hours": "2", "topic": "情绪管理", "teacher": "T1"}
    auth.post("/course/KA1/log", form)
    auth.post("/course/KA1/log", form)  # a double click
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 1
    auth.post("/course/KA1/log", dict(form, topic="睡眠与健康"))  # another lesson that day
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 2


def test_nonsense_numbers_and_dates_are_refused_not_crashed_on(client, auth, world):
    auth.login("teacher@example.edu.cn")
    for hours, on in (("inf", IN_YEAR.isoformat()), ("nan", IN_YEAR.isoformat()),
                      ("1", "0001-01-01")):
        response = auth.post("/course/KA1/log", {"on": on, "hours": hours, "topic": "x"})
        assert response.status_code == 200  # the form again, with the problem shown
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 0


def test_a_teacher_logs_a_lesson_in_the_browser(client, auth, world):
    auth.login("teacher@example.edu.cn")
    page = client.get("/course/KA1/log").get_data(as_text=True)
    assert 'value="T1"' in page  # the teacher field starts with their own number
    response = auth.post("/course/KA1/log", {"on": IN_YEAR.isoformat(), "hours": "1.5",
                                             "topic": "压力与应对", "teacher": "T1"})
    assert response.headers["Location"].endswith("/course/KA1/log")
    delivery = db.session.scalar(select(CourseDelivery))
    assert (delivery.hours, delivery.topic, delivery.teacher.number) == (1.5, "压力与应对", "T1")
    html = client.get("/course/KA1/log").get_data(as_text=True)
    assert "压力与应对" in html and "1.5" in html
    bad = auth.post("/course/KA1/log", {"on": IN_YEAR.isoformat(), "hours": "1.2", "topic": "x"})
    assert bad.status_code == 200 and "以 0.5 为单位" in bad.get_data(as_text=True)
    assert auth.post("/course/KA2/log", {"on": IN_YEAR.isoformat(), "hours": "1",
                                         "topic": "x"}).status_code == 404
    remove = auth.post(f"/course/KA1/log/{delivery.id}/delete")
    assert remove.headers["Location"].endswith("/course/KA1/log")
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 0


def test_an_auditor_reads_the_log_but_may_not_write(client, auth, world):
    delivery = log("KA1", 2)
    auth.login("auditor@example.edu.cn")
    page = client.get("/course/KA1/log").get_data(as_text=True)
    assert "认识情绪" in page and 'name="topic"' not in page
    assert auth.post("/course/KA1/log", {"on": IN_YEAR.isoformat(), "hours": "1",
                                         "topic": "x"}).status_code == 403
    assert auth.post(f"/course/KA1/log/{delivery.id}/delete").status_code == 403
    assert db.session.scalar(select(func.count(CourseDelivery.id))) == 1


def test_the_course_index_lists_a_teachers_classes(client, auth, world):
    auth.login("mh@example.edu.cn")
    html = client.get("/course").get_data(as_text=True)
    assert "/course/KA1/log" in html and "/course/KB/log" in html and "/course/K2/log" not in html
    dashboard = client.get("/").get_data(as_text=True)
    assert 'href="/course"' in dashboard and 'href="/transcript"' in dashboard


def test_the_spreadsheet_has_chinese_headers_and_the_deliveries(client, auth, world):
    for lesson, hours in enumerate((8, 8, 8, 6)):
        log("KA2", hours, topic=f"第{lesson + 1}讲")
    log("KA1", 8, topic="=cmd|' /C calc'!A0")
    auth.login("admin-a@example.edu.cn")
    response = client.get(f"/course/CA.xlsx?year={YEAR}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.data))
    summary, deliveries = book.worksheets
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0] == ("学院", "班级编码", "班级", "学年", "已授学时", "目标", "状态")
    label = f"{YEAR}–{YEAR + 1}"
    assert rows[1:] == [("心理学院", "KA1", "心理2026-1班", label, 8, "32–36", "不足"),
                        ("心理学院", "KA2", "心理2026-2班", label, 30, "32–36", "不足")]
    lines = list(deliveries.iter_rows(values_only=True))
    assert lines[0][:6] == ("学院", "班级编码", "班级", "日期", "学时", "主题")
    assert len(lines) == 6 and lines[1][1] == "KA1" and lines[1][5] == "=cmd|' /C calc'!A0"
    assert deliveries.cell(2, 6).data_type == "s"  # text, never a formula


def add_classes(college: Unit, count: int, start: int) -> None:
    """Bulk-insert classes under `college`, each with 4 lessons this year."""
    codes = [f"{college.code}-K{i:05}" for i in range(start, start + count)]
    db.session.execute(insert(Unit), [
        {"code": code, "name": f"班{code[-5:]}", "kind": "class", "parent_id": college.id,
         "university_id": college.university_id, "college_id": college.id} for code in codes])
    db.session.execute(db.update(Unit).where(Unit.code.in_(codes)).values(class_id=Unit.id))
    db.session.execute(insert(CourseDelivery), [
        {"class_id": class_id, "date": IN_YEAR, "hours": 8.0, "topic": "课"}
        for class_id in db.session.scalars(select(Unit.id).where(Unit.code.in_(codes)))
        for _ in range(4)])
    db.session.commit()


@pytest.mark.parametrize("path", ["/course/CA", "/course/KA1/log"])
def test_the_pages_issue_the_same_queries_for_10_and_500_classes(client, auth, world, path):
    auth.login("admin-a@example.edu.cn")
    statements = []

    def count(*args):
        statements.append(args[2])

    def measure() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    add_classes(unit("CA"), 10, 0)
    for lesson in range(3):
        log("KA1", 2, topic=f"第{lesson + 1}讲")
    small = measure()
    add_classes(unit("CA"), 490, 10)
    for lesson in range(60):
        log("KA1", 0.5, topic=f"第{lesson + 4}讲")
    assert db.session.scalar(select(func.count(Unit.id)).where(Unit.college_id == unit("CA").id)) == 503
    assert measure() == small
