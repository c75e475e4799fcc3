"""`flask demo generate`: a synthetic province at realistic proportions, for benchmarks.

One province unit (G<seed>-P) holds every university, so its coverage is the province's.

Universities of 10–40 k students, colleges of 1–3 k, classes of about 30 and dorm
rooms of 4–6 under each class; one dorm building per ~240 rooms. Each unit gets the
holders content/staffing.yaml requires, about 4 % of them left vacant, plus political
staff and subject teachers. The same seed gives the same codes, names and people.

Classes and dorm rooms carry their own `students`; colleges and universities leave it
empty, so theirs is the sum over their children (SPEC §5). When certification programs
are loaded (`flask content sync`), about 85 % of the holders of a role a program covers
hold a certificate of it, issued some day in the last eleven months.
"""
import math
import random
from collections import Counter
from collections import defaultdict
from datetime import date
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy import text

from extensions import db
from models import Assignment
from models import Certificate
from models import Person
from models import Program
from models import StaffingRule
from models import Unit
from services import audit
from services.bulk import BulkWriter
from services.certificate_codes import ALPHABET
from services.demo_load import academic_year
from services.demo_load import ensure_roles
from services.demo_names import building_name
from services.demo_names import college_choices
from services.demo_names import person_name
from services.demo_names import room_name
from services.demo_names import university_names
from services.errors import Conflict
from services.errors import DomainError

#: (smallest, typical, largest) number of students
UNIVERSITY_SIZE = (10_000, 15_000, 40_000)
COLLEGE_SIZE = (1_000, 2_000, 3_000)
CLASS_SIZE = (25, 30, 35)
ROOM_SIZE = (4, 5, 6)
ROOMS_PER_BUILDING = 240
VACANCY_RATE = 0.04
CERTIFIED_RATE = 0.85
MAX_STUDENTS = 10_000_000


def split(total: int, lo: int, mean: int, hi: int, rng: random.Random) -> list[int]:
    """Split `total` into parts near `mean`, each within [lo, hi] where the total allows."""
    count = max(1, round(total / mean))
    count = max(min(count, total // lo or 1), math.ceil(total / hi))
    base, extra = divmod(total, count)
    parts = [base + (i < extra) for i in range(count)]
    for _move in range(2 * count):
        i, j = rng.randrange(count), rng.randrange(count)
        room = min(parts[i] - lo, hi - parts[j])
        if room > 0 and i != j:
            moved = rng.randint(0, room)
            parts[i] -= moved
            parts[j] += moved
    return parts


class Province:
    """Builds one province's rows into a BulkWriter, drawing every choice from one rng."""

    def __init__(self, seed: int, roles: dict, rules: list[StaffingRule], today: date):
        self.rng = random.Random(seed)
        self.prefix = f"G{seed}"
        self.year = academic_year(today)
        self.roles = roles
        self.rules = defaultdict(list)
        for rule in rules:
            self.rules[rule.unit_kind].append(rule)
        self.today = today
        self.writer = BulkWriter([Unit.__table__, Person.__table__, Assignment.__table__,
                                  Certificate.__table__])
        #: role code → (program id, valid months) of the first program covering it
        self.programs: dict[str, tuple[int, int]] = {}
        for program in db.session.scalars(select(Program).order_by(Program.code)):
            for code in program.roles or []:
                self.programs.setdefault(code, (program.id, program.valid_months))
        self.certified: set[tuple[int, int]] = set()
        #: the province unit every university sits under
        self.province: dict | None = None
        self.kinds: Counter[str] = Counter()
        self.vacancies = 0
        self.seq = Counter()

    def unit(self, code: str, name: str, kind: str, parent: dict | None,
             students: int | None = None) -> dict:
        """Queue a unit carrying its ancestors' ids (its own at its own level)."""
        unit_id = self.writer.new_id("unit")
        row = {"id": unit_id, "code": code, "name": name, "kind": kind,
               "parent_id": parent["id"] if parent else None, "students": students,
               "province_id": parent["province_id"] if parent else None,
               "university_id": parent["university_id"] if parent else None,
               "college_id": parent["college_id"] if parent else None,
               "class_id": parent["class_id"] if parent else None}
        if kind == "building":
            row["college_id"] = row["class_id"] = None
        level = {"province": "province_id", "university": "university_id", "college": "college_id",
                 "class": "class_id"}
        if kind in level:
            row[level[kind]] = unit_id
        self.writer.add("unit", row)
        self.kinds[kind] += 1
        return row

    def person(self, kind: str) -> int:
        """Queue a new student (G<seed>-S…) or member of staff (G<seed>-T…)."""
        self.seq[kind] += 1
        letter = "S" if kind == "student" else "T"
        return self.writer.add("person", {
            "number": f"{self.prefix}-{letter}{self.seq[kind]:07d}",
            "name": person_name(self.rng), "email": None, "phone": None})

    def assign(self, person_id: int, role: str, unit: dict, start: date) -> None:
        """Queue an open assignment."""
        self.writer.add("assignment", {"person_id": person_id, "role_id": self.roles[role].id,
                                       "unit_id": unit["id"], "start": start, "end": None})

    def certify(self, person_id: int, role: str) -> None:
        """Most holders of a role a program covers hold a current certificate of it."""
        if role not in self.programs or self.rng.random() >= CERTIFIED_RATE:
            return
        program_id, months = self.programs[role]
        if (person_id, program_id) in self.certified:
            return
        self.certified.add((person_id, program_id))
        issued = self.today - timedelta(days=self.rng.randint(0, 330))
        raw = "".join(self.rng.choice(ALPHABET) for _n in range(16))
        self.writer.add("certificate", {
            "code": "-".join(raw[i:i + 4] for i in range(0, 16, 4)), "person_id": person_id,
            "program_id": program_id, "issued": issued,
            "expires": issued + relativedelta(months=months), "source": "import",
            "renews_id": None, "revoked_at": None, "revoked_by_id": None, "revoke_reason": ""})

    def staff_start(self) -> date:
        """Staff took their roles in some September of the last ten years."""
        return date(self.year - self.rng.randint(0, 10), 9, 1)

    def fill(self, unit: dict, students: int, start: date | None = None) -> dict[str, list[int]]:
        """Give `unit` the holders its rules require, leaving ~4 % of places vacant."""
        holders = defaultdict(list)
        for rule in self.rules[unit["kind"]]:
            for _place in range(rule.required_for(students)):
                if self.rng.random() < VACANCY_RATE:
                    self.vacancies += 1
                    continue
                person_id = self.person(rule.role.kind)
                started = start if rule.role.kind == "student" and start else self.staff_start()
                self.assign(person_id, rule.role.code, unit, started)
                self.certify(person_id, rule.role.code)
                holders[rule.role.code].append(person_id)
        return holders

    def extra(self, role: str, unit: dict, count: int) -> None:
        """Holders of a role no rule requires (political staff, subject teachers)."""
        if role in self.roles:
            for _n in range(count):
                self.assign(self.person(self.roles[role].kind), role, unit, self.staff_start())

    def university(self, index: int, name: str, students: int) -> None:
        """One university: its colleges, then enough buildings for their rooms."""
        university = self.unit(f"{self.prefix}-U{index:03d}", name, "university", self.province)
        self.fill(university, students)
        self.extra("political_staff", university, 3)
        rooms = 0
        sizes = split(students, *COLLEGE_SIZE, self.rng)
        for c, (size, (college_name, majors)) in enumerate(
                zip(sizes, college_choices(len(sizes), self.rng), strict=True), start=1):
            rooms = self.college(university, c, college_name, majors, size, rooms)
        for b in range(math.ceil(rooms / ROOMS_PER_BUILDING)):
            building = self.unit(f"{university['code']}-B{b + 1:02d}", building_name(b),
                                 "building", university)
            self.fill(building, 0)

    def college(self, university: dict, index: int, name: str, majors: tuple[str, ...],
                students: int, rooms: int) -> int:
        """One college with its classes and rooms; returns the university's rooms so far."""
        college = self.unit(f"{university['code']}-C{index:02d}", name, "college", university)
        self.fill(college, students)
        self.extra("political_staff", college, 2)
        numbering = Counter()
        for k, size in enumerate(split(students, *CLASS_SIZE, self.rng)):
            year = self.year - k % 4
            major = majors[k // 4 % len(majors)]
            numbering[(year, major)] += 1
            klass = self.unit(f"{college['code']}-K{k + 1:03d}",
                              f"{year}级{major}{numbering[(year, major)]}班", "class", college, size)
            start = date(year, 9, 1)
            teachers = self.fill(klass, size, start)
            for teacher in teachers.get("class_teacher", []):
                if "subject_teacher" in self.roles:
                    self.assign(teacher, "subject_teacher", college, self.staff_start())
            for d, occupants in enumerate(split(size, *ROOM_SIZE, self.rng), start=1):
                building, room = divmod(rooms, ROOMS_PER_BUILDING)
                dorm = self.unit(f"{klass['code']}-D{d:02d}", room_name(building, room), "dorm",
                                 klass, occupants)
                self.fill(dorm, occupants, start)
                rooms += 1
        return rooms


def generate_province(students: int, seed: int = 1, content_dir: str | None = None,
                      today: date | None = None) -> dict:
    """Bulk-insert a province of `students` students; codes start with G<seed>-."""
    if not 1 <= students <= MAX_STUDENTS:
        raise DomainError(_("The number of students must be between 1 and %(n)d.", n=MAX_STUDENTS))
    prefix = f"G{seed}-"
    if db.session.scalar(select(Unit.id).where(Unit.code.startswith(prefix)).limit(1)) or \
            db.session.scalar(select(Person.id).where(Person.number.startswith(prefix)).limit(1)):
        raise Conflict(_("A province with seed %(seed)d already exists; choose another --seed.",
                         seed=seed))
    roles = ensure_roles(content_dir)
    db.session.flush()
    rules = list(db.session.scalars(select(StaffingRule)))
    province = Province(seed, roles, rules, today or date.today())
    province.province = province.unit(f"{prefix}P", _("Province (seed %(seed)d)", seed=seed), "province",
                                      None)
    sizes = split(students, *UNIVERSITY_SIZE, province.rng)
    for index, (size, name) in enumerate(
            zip(sizes, university_names(len(sizes), province.rng), strict=True), start=1):
        province.university(index, name, size)
    counts = province.writer.finish()
    plural = {"province": "provinces", "university": "universities", "college": "colleges",
              "class": "classes", "dorm": "dorms", "building": "buildings"}
    summary = {"students": students, "seed": seed,
               **{name: province.kinds[kind] for kind, name in plural.items()},
               "people": counts["person"], "assignments": counts["assignment"],
               "certificates": counts["certificate"],
               "vacancies": province.vacancies}
    audit.record("demo.generated", **summary)
    db.session.flush()
    return summary


def refresh_statistics() -> None:
    """ANALYZE after a bulk load: without fresh statistics PostgreSQL plans a scan of every
    assignment for one college's coverage (47 ms instead of 3 ms), SQLite likewise."""
    db.session.execute(text("ANALYZE"))
