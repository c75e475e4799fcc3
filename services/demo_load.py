"""`flask demo load`: one believable university to try every page with (SPEC §9).

示范大学 (DEMO-U) has four colleges of three classes, five dorm rooms per class and
two dorm buildings. Every required role of content/staffing.yaml has holders, with a
few deliberate gaps an admin should spot: three rooms without an informant, a class
whose committee member has left, a college without a counselor.
"""
import random
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Person
from models import Role
from models import Unit
from services import accounts
from services import audit
from services.content import sync_directory
from services.demo_certification import start_certification
from services.demo_names import person_name
from services.errors import Conflict
from services.errors import DomainError
from services.units import create_unit

DEMO_PASSWORD = "demo1234"
UNIVERSITY = ("DEMO-U", "示范大学")
#: (email, grant kind, unit code, what the login is for)
DEMO_LOGINS = (
    ("admin@demo.edu.cn", "superadmin", None, "superadmin"),
    ("trainer@demo.edu.cn", "trainer", "DEMO-U", "trainer of 示范大学 (DEMO-U)"),
    ("college-admin@demo.edu.cn", "admin", "DEMO-PSY", "admin of 心理与教育学院 (DEMO-PSY)"),
    ("informant@demo.edu.cn", None, None, "a dorm-room informant"),
)
#: (code, name, majors of its three classes)
COLLEGES = (
    ("DEMO-PSY", "心理与教育学院", ("心理学", "应用心理学", "教育学")),
    ("DEMO-CS", "计算机科学与技术学院", ("计算机科学与技术", "软件工程", "人工智能")),
    ("DEMO-FL", "外国语学院", ("英语", "日语", "翻译")),
    ("DEMO-ME", "机械工程学院", ("机械设计制造及其自动化", "车辆工程", "机械电子工程")),
)
BUILDINGS = (("DEMO-E3", "东区3栋"), ("DEMO-W5", "西区5栋"))
ROOMS_PER_CLASS = 5
#: the deliberate gaps: rooms without an informant (class index, room index) …
EMPTY_ROOMS = {(4, 3), (7, 0), (10, 4)}
#: … the class whose committee member has left, and the college without a counselor
CLASS_WITHOUT_MEMBER = 10
COLLEGE_WITHOUT_COUNSELOR = "DEMO-ME"


def academic_year(today: date) -> int:
    """The year the current academic year began (it starts in September)."""
    return today.year if today.month >= 9 else today.year - 1


def ensure_roles(content_dir: str | None) -> dict[str, Role]:
    """The role catalogue, syncing roles.yaml and staffing.yaml first when it is empty."""
    if db.session.scalar(select(Role.id).limit(1)) is None:
        if content_dir is None:
            raise DomainError(_("There are no roles yet: run `flask content sync` first."))
        sync_directory(content_dir, only=("roles.yaml", "staffing.yaml"))
    return {r.code: r for r in db.session.scalars(select(Role))}


@dataclass
class DemoBuilder:
    """Adds the demo's people one by one, skipping roles the catalogue lacks."""

    roles: dict[str, Role]
    year: int
    rng: random.Random = field(default_factory=lambda: random.Random(2024))
    people: int = 0
    assignments: int = 0
    staff_seq: int = 0

    def person(self, number: str, email_domain: str) -> Person:
        """A new person with a made-up name and an address at the demo university."""
        person = Person(number=number, name=person_name(self.rng),
                        email=f"{number.lower()}@{email_domain}")
        db.session.add(person)
        self.people += 1
        return person

    def staff(self) -> Person:
        """A new member of staff numbered T<year hired><seq>, like T2019001."""
        self.staff_seq += 1
        hired = self.year - self.rng.randint(0, 12)
        return self.person(f"T{hired}{self.staff_seq:03d}", "demo.edu.cn")

    def assign(self, person: Person, role: str, unit: Unit, start: date | None = None,
               end: date | None = None) -> None:
        """Give `person` a role at `unit`, from the year they were hired unless told."""
        if role not in self.roles:
            return
        if start is None:
            hired = person.number[1:5] if person.number.startswith("T") else ""
            start = date(int(hired) if hired.isdigit() else self.year, 9, 1)
        db.session.add(Assignment(person=person, role=self.roles[role], unit=unit,
                                  start=start, end=end))
        self.assignments += 1


def load_demo(content_dir: str | None = None, today: date | None = None) -> dict:
    """Create 示范大学 with its people and the four demo logins; refuse if it exists."""
    if db.session.scalar(select(Unit.id).where(Unit.code == UNIVERSITY[0])):
        raise Conflict(_("The demo university %(code)s is already loaded.", code=UNIVERSITY[0]))
    build = DemoBuilder(ensure_roles(content_dir), academic_year(today or date.today()))
    university = create_unit(*UNIVERSITY, "university")
    logins = {"trainer": build.staff(), "college-admin": None, "informant": None}
    build.assign(logins["trainer"], "mh_teacher", university)
    build.assign(build.staff(), "mh_teacher", university)
    build.assign(build.staff(), "political_staff", university)
    buildings = [create_unit(code, name, "building", university) for code, name in BUILDINGS]
    for building in buildings:
        build.assign(build.staff(), "dorm_manager", building)
    class_index = 0
    for college_index, (code, name, majors) in enumerate(COLLEGES, start=1):
        college = create_unit(code, name, "college", university)
        political = build.staff()
        build.assign(political, "political_staff", college)
        if code == "DEMO-PSY":
            logins["college-admin"] = political
        build.assign(build.staff(), "college_psych_officer", college)
        if code != COLLEGE_WITHOUT_COUNSELOR:
            build.assign(build.staff(), "counselor", college)
        build.assign(build.staff(), "subject_teacher", college)
        for k, major in enumerate(majors):
            informant = add_class(build, college, college_index, class_index, k, major, buildings)
            logins["informant"] = logins["informant"] or informant
            class_index += 1
    link_logins(logins)
    start_certification(logins["informant"], today or date.today())
    audit.record("demo.loaded", target=university, people=build.people,
                 assignments=build.assignments)
    db.session.flush()
    return {"units": 1 + len(buildings) + len(COLLEGES) + class_index * (1 + ROOMS_PER_CLASS),
            "people": build.people, "assignments": build.assignments}


def add_class(build: DemoBuilder, college: Unit, college_index: int, class_index: int,
              k: int, major: str, buildings: list[Unit]) -> Person | None:
    """One class with its teacher, committee member and rooms; returns an informant."""
    year = build.year - 2 + k
    number_prefix = f"{year}{college_index:02d}{k + 1:02d}"
    klass = create_unit(f"{college.code}-{year % 100}{k + 1:02d}", f"{year}级{major}1班",
                        "class", college)
    teacher = build.staff()
    build.assign(teacher, "class_teacher", klass)
    build.assign(teacher, "subject_teacher", college)
    half = len(COLLEGES) * 3 // len(buildings)
    building = buildings[class_index // half]
    floor = class_index % half + 1
    seats, first_informant = 0, None
    for room in range(ROOMS_PER_CLASS):
        occupants = build.rng.choice((4, 5, 6, 6, 6))
        room_no = f"{floor}{room + 1:02d}"
        dorm = create_unit(f"{building.code}-{room_no}", f"{building.name}-{room_no}", "dorm",
                           klass, students=occupants)
        if (class_index, room) not in EMPTY_ROOMS:
            informant = build.person(f"{number_prefix}{seats + 1:02d}", "stu.demo.edu.cn")
            build.assign(informant, "dorm_informant", dorm, start=date(year, 9, 1))
            first_informant = first_informant or informant
        seats += occupants
    klass.students = seats
    member = build.person(f"{number_prefix}{seats:02d}", "stu.demo.edu.cn")
    if class_index == CLASS_WITHOUT_MEMBER:
        build.assign(member, "class_psych_member", klass, start=date(year, 9, 1),
                     end=date(build.year, 6, 30))
    else:
        build.assign(member, "class_psych_member", klass, start=date(year, 9, 1))
    return first_informant


def link_logins(people: dict[str, Person]) -> None:
    """Create the four demo logins of SPEC §9, each forced to change its password."""
    db.session.flush()
    for email, kind, unit_code, _what in DEMO_LOGINS:
        person = people.get(email.split("@")[0])
        grant = (kind, unit_code) if kind else None
        accounts.create_user(email, person.name if person else "示范管理员", DEMO_PASSWORD,
                             person_number=person.number if person else None, grant=grant,
                             is_demo=True)
