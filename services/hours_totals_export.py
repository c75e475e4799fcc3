"""The hours totals as a workbook: by unit, by role and per person, with Chinese headers
(the people who open it in Excel read Chinese, whatever language the page was in)."""
from models import Unit
from services.exports import Sheet
from services.hours_totals import all_children
from services.hours_totals import by_role
from services.hours_totals import person_rows
from services.hours_totals import unit_total

KIND_ZH = {"province": "省", "university": "学校", "college": "学院", "class": "班级", "dorm": "寝室",
           "building": "楼栋"}
FIGURE_HEADERS = ["人数", "有学时人数", "已认定学时", "人均学时"]


def _figures(f) -> list:
    return [f.people, f.with_hours, round(f.hours, 2), round(f.average, 2)]


def totals_sheets(unit: Unit, year: int) -> list[Sheet]:
    """Three sheets: the unit's children (and a total row), the roles, every person."""
    def units():
        for child, figures in all_children(unit, year):
            name = child.name if child.id != unit.id else f"{child.name}（本级）"
            yield [child.code, name, KIND_ZH.get(child.kind, child.kind), *_figures(figures)]
        yield ["合计", unit.name, KIND_ZH.get(unit.kind, unit.kind), *_figures(unit_total(unit, year))]

    roles = ([role.code, role.name, *_figures(figures)] for role, figures in by_role(unit, year))
    return [
        (f"按单位 {year}", ["单位编码", "单位名称", "类型", *FIGURE_HEADERS], units()),
        (f"按角色 {year}", ["角色编码", "角色", *FIGURE_HEADERS], roles),
        (f"人员明细 {year}", ["工号/学号", "姓名", "角色", "单位", "已认定学时"], person_rows(unit, year)),
    ]
