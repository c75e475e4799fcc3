"""The S10 report: for every class below a unit, the course hours delivered in one academic
year against the 32–36 target; classes under 32 come first.

Set-based: the classes of the subtree (one filter on the Unit ancestor columns) LEFT JOIN
their deliveries of the year summed per class, so a province's 40,000 classes cost one
grouped query per page and one for the summary, never a query per class.
"""
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import CourseDelivery
from models import Person
from models import Unit
from services.academic_year import year_bounds
from services.academic_year import year_label
from services.course_delivery import TARGET_MAX
from services.course_delivery import TARGET_MIN
from services.exports import Sheet
from services.pagination import Page
from services.pagination import paginate
from services.scope import subtree_filter
from services.unit_tree import text_match

#: status codes, and their words in the spreadsheet (Chinese headers, Chinese cells)
STATUSES = ("under", "on_target", "over")
STATUS_XLSX = {"under": "不足", "on_target": "达标", "over": "超出"}
REPORT_HEADERS = ["学院", "班级编码", "班级", "学年", "已授学时", "目标", "状态"]
DELIVERY_HEADERS = ["学院", "班级编码", "班级", "日期", "学时", "主题", "授课教师", "教师工号"]


@dataclass(frozen=True)
class ClassHours:
    """One class's line of the report."""

    code: str
    name: str
    college_code: str | None
    college_name: str | None
    hours: float
    status: str

    @property
    def progress(self) -> float:
        """Share of the 32-hour minimum delivered, capped at 1, for a progress bar."""
        return min(1.0, self.hours / TARGET_MIN)


@dataclass(frozen=True)
class CourseSummary:
    classes: int = 0
    under: int = 0
    on_target: int = 0
    over: int = 0


@dataclass
class CourseReport:
    year: int
    summary: CourseSummary
    #: a page of ClassHours
    page: Page

    @property
    def label(self) -> str:
        return year_label(self.year)


def _class_hours(unit: Unit, year: int) -> tuple[Select, object, object]:
    """(statement over the subtree's classes with college and hours, hours column, status column)."""
    start, end = year_bounds(year)
    delivered = (select(CourseDelivery.class_id.label("class_id"),
                        func.sum(CourseDelivery.hours).label("hours"))
                 .join(Unit, Unit.id == CourseDelivery.class_id)
                 .where(subtree_filter(unit), CourseDelivery.date >= start, CourseDelivery.date <= end)
                 .group_by(CourseDelivery.class_id)
                 .subquery())
    college = aliased(Unit)
    hours = func.coalesce(delivered.c.hours, 0.0)
    status = case((hours < TARGET_MIN, "under"), (hours > TARGET_MAX, "over"), else_="on_target")
    stmt = (select(Unit.code, Unit.name, college.code.label("college_code"),
                   college.name.label("college_name"), hours.label("hours"), status.label("status"))
            .outerjoin(delivered, delivered.c.class_id == Unit.id)
            .outerjoin(college, college.id == Unit.college_id)
            .where(Unit.kind == "class", subtree_filter(unit)))
    return stmt, hours, status


def _filtered(unit: Unit, year: int, only_under: bool, q: str | None) -> Select:
    stmt, hours, _status = _class_hours(unit, year)
    if only_under:
        stmt = stmt.where(hours < TARGET_MIN)
    match = text_match(q, Unit.code, Unit.name)
    if match is not None:
        stmt = stmt.where(match)
    return stmt.order_by(case((hours < TARGET_MIN, 0), else_=1), Unit.code)


def course_summary(unit: Unit, year: int) -> CourseSummary:
    """How many classes of the subtree are under, on or over the target (one query)."""
    stmt, _hours, status = _class_hours(unit, year)
    counts = stmt.with_only_columns(status.label("status")).subquery()
    row = db.session.execute(select(
        func.count(),
        func.coalesce(func.sum(case((counts.c.status == "under", 1), else_=0)), 0),
        func.coalesce(func.sum(case((counts.c.status == "on_target", 1), else_=0)), 0),
        func.coalesce(func.sum(case((counts.c.status == "over", 1), else_=0)), 0),
    ).select_from(counts)).one()
    return CourseSummary(*(int(n) for n in row))


def course_report(unit: Unit, year: int, *, only_under: bool = False, q: str | None = None,
                  page=1) -> CourseReport:
    """The classes below `unit` with their hours in academic year `year`: under-32 first, then
    by code; searchable by class code or name; the summary counts the whole subtree."""
    found = paginate(_filtered(unit, year, only_under, q), page)
    found.items = [ClassHours(r.code, r.name, r.college_code, r.college_name, float(r.hours),
                              r.status) for r in found.items]
    return CourseReport(year, course_summary(unit, year), found)


def report_sheets(unit: Unit, year: int, *, only_under: bool = False,
                  q: str | None = None) -> list[Sheet]:
    """The report as spreadsheet sheets: one line per class, then every delivery of the year."""
    label = year_label(year)
    target = f"{TARGET_MIN}–{TARGET_MAX}"

    def classes() -> Iterator[list]:
        for r in db.session.execute(_filtered(unit, year, only_under, q)):
            yield [r.college_name or "", r.code, r.name, label, float(r.hours), target,
                   STATUS_XLSX[r.status]]

    return [(f"课程学时 {label}", REPORT_HEADERS, classes()),
            ("授课记录", DELIVERY_HEADERS, delivery_rows(unit, year, only_under, q))]


def delivery_rows(unit: Unit, year: int, only_under: bool, q: str | None) -> Iterator[list]:
    """Every delivery of the year to the classes the report lists, by class and date."""
    start, end = year_bounds(year)
    listed = _filtered(unit, year, only_under, q).order_by(None).with_only_columns(Unit.id)
    college = aliased(Unit)
    stmt = (select(college.name, Unit.code, Unit.name, CourseDelivery.date, CourseDelivery.hours,
                   CourseDelivery.topic, Person.name, Person.number)
            .join(Unit, Unit.id == CourseDelivery.class_id)
            .outerjoin(college, college.id == Unit.college_id)
            .outerjoin(Person, Person.id == CourseDelivery.teacher_id)
            .where(CourseDelivery.class_id.in_(listed), CourseDelivery.date >= start,
                   CourseDelivery.date <= end)
            .order_by(Unit.code, CourseDelivery.date, CourseDelivery.id))
    for row in db.session.execute(stmt):
        yield [row[0] or "", row[1], row[2], row[3], float(row[4]), row[5], row[6] or "",
               row[7] or ""]
