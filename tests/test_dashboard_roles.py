"""The dashboard's "My roles": the roles held today, where, since when, in the reader's language."""
import re
from datetime import date
from datetime import timedelta

from services.roles_held import roles_held


def roles_listed(page: str) -> list[str]:
    listed = re.search(r'<ul class="list-unstyled mb-0" id="my-roles">(.*?)</ul>', page, re.S)
    assert listed is not None, "no role list on the dashboard"
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]


def test_the_dashboard_lists_only_the_roles_held_today(client, auth, make_unit, make_person,
                                                       make_user):
    today = date.today()
    college = make_unit("C1", "college", make_unit("U1"), name="心理学院")
    klass = make_unit("K1", "class", college, name="心理2401班")
    make_person("T001", name="王老师", role="counselor", unit=college, start=date(2025, 9, 1))
    make_person("T001", role="class_teacher", unit=klass, start=date(2026, 2, 1))
    make_person("T001", role="dorm_manager", unit=college, start=date(2025, 1, 1),
                end=today - timedelta(days=1))
    person = make_person("T001", role="subject_teacher", unit=college,
                         start=today + timedelta(days=1))
    make_user("t001@example.edu.cn", person=person, name="王老师")
    auth.login("T001")

    page = client.get("/").get_data(as_text=True)
    assert roles_listed(page) == ["辅导员 · 心理学院 (自 2025年9月1日 起)",
                                  "班主任 · 心理2401班 (自 2026年2月1日 起)"]
    page = client.get("/?lang=en").get_data(as_text=True)
    assert roles_listed(page) == ["Counselor · 心理学院 (since Sep 1, 2025)",
                                  "Class teacher · 心理2401班 (since Feb 1, 2026)"]
    assert "Log mental-health course hours" in page, "staff roles offer the course-hours log"


def test_roles_held_follow_the_day_asked_about(app, make_unit, make_person):
    college = make_unit("C1", "college", make_unit("U1"))
    person = make_person("S001", role="dorm_informant", unit=college, start=date(2026, 3, 1),
                         end=date(2026, 6, 30))
    assert [held.role.code for held in roles_held(person.id, date(2026, 6, 30))] == ["dorm_informant"]
    assert roles_held(person.id, date(2026, 7, 1)) == []
    assert roles_held(person.id, date(2026, 2, 28)) == []
