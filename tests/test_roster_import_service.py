"""Importing units (SPEC §3) and reading tables: the rules, called as the CLI and views do."""
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models import Unit
from services.errors import DomainError
from services.errors import ValidationFailed
from services.roster_import import import_units
from services.tabular import Column
from services.tabular import read_table
from tests.import_files import UNIT_HEADERS
from tests.import_files import UNIT_HEADERS_ZH
from tests.import_files import UNITS
from tests.import_files import write_file


def units_by_code() -> dict[str, Unit]:
    return {u.code: u for u in db.session.scalars(select(Unit))}


def unit_count() -> int:
    return db.session.scalar(select(func.count(Unit.id)))


def test_parents_after_children_are_created_with_ancestor_ids(app, tmp_path):
    result = import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()
    assert str(result) == "created 8, updated 0, unchanged 0"
    units = units_by_code()
    u1, c1, k1, d1, b1 = (units[c] for c in ("U1", "C1", "K1", "D1", "B1"))
    assert (u1.parent_id, u1.university_id, u1.college_id, u1.class_id) == (None, u1.id, None, None)
    assert (c1.parent_id, c1.university_id, c1.college_id, c1.class_id) == (u1.id, u1.id, c1.id, None)
    assert (k1.parent_id, k1.university_id, k1.college_id, k1.class_id) == (c1.id, u1.id, c1.id, k1.id)
    assert (d1.parent_id, d1.university_id, d1.college_id, d1.class_id) == (k1.id, u1.id, c1.id, k1.id)
    assert (b1.parent_id, b1.university_id, b1.college_id, b1.class_id) == (u1.id, u1.id, None, None)
    assert (u1.students, k1.students, d1.students, units["D2"].students) == (31000, 30, None, 6)


def test_chinese_headers_and_kinds_from_excel(app, tmp_path):
    kinds_zh = {"university": "学校", "college": "学院", "class": "班级", "dorm": "寝室", "building": "楼栋"}
    rows = [[code, name, kinds_zh[kind], parent, students] for code, name, kind, parent, students in UNITS]
    result = import_units(write_file(tmp_path, "单位.xlsx", [UNIT_HEADERS_ZH, *rows]))
    assert result.created == 8
    assert units_by_code()["K1"].kind == "class"
    assert units_by_code()["U1"].students == 31000


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_the_encodings_excel_writes(app, tmp_path, encoding):
    path = write_file(tmp_path, "units.csv", [UNIT_HEADERS_ZH, *UNITS], encoding=encoding)
    assert import_units(path).created == 8
    assert units_by_code()["C1"].name == "教育学院"


def test_headers_ignore_case_spaces_and_extra_columns(app, tmp_path):
    headers = [" CODE ", "Name", "KIND", "Parent", "备注"]
    result = import_units(write_file(tmp_path, "units.csv", [headers, ["U9", "大学", "University", "", "x"]]))
    assert result.created == 1


def test_reimport_changes_nothing_and_is_audited_once_per_import(app, tmp_path):
    path = write_file(tmp_path, "units.xlsx", [UNIT_HEADERS, *UNITS])
    import_units(path)
    db.session.commit()
    again = import_units(path)
    db.session.commit()
    assert str(again) == "created 0, updated 0, unchanged 8"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "roster.import_units")
                                .order_by(AuditEvent.id)).all()
    assert [e.detail for e in events] == [
        {"created": 8, "updated": 0, "unchanged": 0, "rows": 8},
        {"created": 0, "updated": 0, "unchanged": 8, "rows": 8},
    ]


def test_changed_names_and_students_are_updated_empty_students_kept(app, tmp_path):
    import_units(write_file(tmp_path, "a.csv", [UNIT_HEADERS, *UNITS]))
    changed = [row[:] for row in UNITS]
    changed[2][1] = "心理一班"  # K1 renamed
    changed[7][4] = ""          # U1's students left empty: kept
    result = import_units(write_file(tmp_path, "b.csv", [UNIT_HEADERS, *changed]))
    assert str(result) == "created 0, updated 1, unchanged 7"
    assert units_by_code()["K1"].name == "心理一班"
    assert units_by_code()["U1"].students == 31000


def test_moving_a_class_moves_its_dorms(app, tmp_path):
    extra = [["U2", "另一大学", "university", "", ""], ["C3", "新学院", "college", "U2", ""]]
    import_units(write_file(tmp_path, "a.csv", [UNIT_HEADERS, *UNITS, *extra]))
    db.session.commit()
    result = import_units(write_file(tmp_path, "b.csv", [UNIT_HEADERS, ["K1", "心理1班", "class", "C3", 30]]))
    db.session.commit()
    assert str(result) == "created 0, updated 1, unchanged 0"
    db.session.expire_all()
    units = units_by_code()
    for code in ("K1", "D1", "D2"):
        assert (units[code].university_id, units[code].college_id) == (units["U2"].id, units["C3"].id)
    assert units["K1"].parent_id == units["C3"].id
    assert units["D1"].class_id == units["K1"].id


def test_moving_a_college_to_a_new_university_in_the_same_file(app, tmp_path):
    import_units(write_file(tmp_path, "a.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()
    rows = [["C1", "教育学院", "college", "U3", ""], ["U3", "新大学", "university", "", ""]]
    assert str(import_units(write_file(tmp_path, "b.csv", [UNIT_HEADERS, *rows]))) == \
        "created 1, updated 1, unchanged 0"
    db.session.commit()
    db.session.expire_all()
    units = units_by_code()
    assert {units[c].university_id for c in ("C1", "K1", "K2", "D1", "D2")} == {units["U3"].id}
    assert units["C2"].university_id == units["U1"].id


BAD_UNIT_ROWS = [
    (["K9", "班", "class", "NOPE", ""], "row 2, column parent: no such unit NOPE"),
    (["K9", "班", "class", "U1", ""],
     "row 2, column parent: a class must sit under a college (U1 is a university)"),
    (["D9", "寝室", "dorm", "C1", ""],
     "row 2, column parent: a dorm must sit under a class (C1 is a college)"),
    (["B9", "楼", "building", "C1", ""],
     "row 2, column parent: a building must sit under a university (C1 is a college)"),
    (["C9", "学院", "college", "", ""], "row 2, column parent: a college must sit under a university"),
    (["U9", "大学", "university", "U1", ""],
     "row 2, column parent: a university must sit under a province (U1 is a university)"),
    (["K9", "班", "group", "C1", ""], "row 2, column kind: unknown kind 'group' (use province, university, "
                                      "college, class, dorm, building or 省, 学校, 学院, 班级, 寝室, 楼栋)"),
    (["K9", "班", "class", "C1", "-5"], "row 2, column students: must be a whole number of 0 or more"),
    (["K9", "班", "class", "C1", 3.5], "row 2, column students: must be a whole number of 0 or more"),
    (["K9", "", "class", "C1", ""], "row 2, column name: a name is required"),
    (["", "班", "class", "C1", ""], "row 2, column code: a code is required"),
    (["C1", "教育学院", "class", "C2", ""],
     "row 2, column kind: C1 is a college; a unit's kind cannot change"),
]


@pytest.mark.parametrize("row, expected", BAD_UNIT_ROWS,
                         ids=[p[1].split(": ", 1)[1][:30] for p in BAD_UNIT_ROWS])
@pytest.mark.parametrize("extension", [".csv", ".xlsx"])
def test_each_bad_row_is_reported_and_nothing_is_written(app, tmp_path, row, expected, extension):
    import_units(write_file(tmp_path, "a.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()
    before = unit_count()
    good = ["K8", "好班", "class", "C2", ""]
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "bad" + extension, [UNIT_HEADERS, row, good]))
    assert failed.value.problems == [expected]
    db.session.rollback()
    assert unit_count() == before
    assert "K8" not in units_by_code()


def test_every_problem_is_listed_with_the_headers_as_written(app, tmp_path):
    rows = [UNIT_HEADERS_ZH, ["X1", "甲", "班级", "NOPE", ""], ["X1", "乙", "寝室", "X1", "多"],
            ["X3", "", "学校", "", ""]]
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "bad.csv", rows))
    assert failed.value.problems == [
        "row 2, column 上级编码: no such unit NOPE",
        "row 3, column 单位编码: duplicate code X1 (also on row 2)",
        "row 3, column 学生人数: must be a whole number of 0 or more",
        "row 4, column 单位名称: a name is required",
    ]
    assert unit_count() == 0


@pytest.mark.parametrize("headers, expected", [
    (["code", "name", "parent"], ["row 1, column kind: missing column"]),
    (["单位编码", "单位名称", "上级编码"], ["row 1, column 类型: missing column"]),
    (["code", "name", "kind", "kind", "parent"], ["row 1, column kind: duplicate column"]),
])
def test_missing_or_repeated_columns_are_reported_on_row_1(app, tmp_path, headers, expected):
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "units.csv", [headers, ["U1", "大学", "", ""]]))
    assert failed.value.problems == expected


def test_dry_run_validates_and_writes_nothing(app, tmp_path):
    result = import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]), dry_run=True)
    assert (result.created, result.dry_run) == (8, True)
    assert unit_count() == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


@pytest.mark.parametrize("name", ["units.xlsm", "units.xls", "units.txt", "units"])
def test_other_file_types_are_refused(app, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"code,name\n")
    with pytest.raises(DomainError, match="save the sheet as .xlsx or .csv"):
        import_units(path)


def test_a_damaged_workbook_is_refused_clearly(app, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DomainError, match="could not be read as an Excel workbook"):
        import_units(path)


def test_tables_skip_empty_rows_and_keep_spreadsheet_row_numbers(app, tmp_path):
    rows = [[], ["number", "start", "名字"], ["", "", ""], [20230001.0, date(2026, 9, 1), "  张三 "],
            [None, None, None], ["S2", "2026/9/1", "李四"]]
    columns = [Column("number", ("number", "学号")), Column("start", ("start", "开始日期")),
               Column("name", ("name", "名字"), required=False)]
    table = read_table(write_file(tmp_path, "t.xlsx", rows), columns)
    assert table.headers == {"number": "number", "start": "start", "name": "名字"}
    assert list(table.rows) == [(4, {"number": "20230001", "start": date(2026, 9, 1), "name": "张三"}),
                                (6, {"number": "S2", "start": "2026/9/1", "name": "李四"})]


@pytest.fixture
def college_admin(app, tmp_path, make_user):
    import_units(write_file(tmp_path, "units.csv", [UNIT_HEADERS, *UNITS]))
    db.session.commit()
    return make_user("admin-c1@example.edu.cn", grant=("admin", "C1"))


def test_a_college_admin_works_only_inside_their_college(college_admin, tmp_path):
    rows = [["K3", "新班", "class", "C1", ""], ["C1", "教育学院（新）", "college", "U1", ""],
            ["K4", "别院的班", "class", "C2", ""], ["K2", "心理2班", "class", "C2", ""],
            ["C2", "理学院", "college", "U1", 900], ["U5", "新大学", "university", "", ""],
            ["B2", "2号楼", "building", "U1", ""]]
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "admin.csv", [UNIT_HEADERS, *rows]), by=college_admin)
    assert failed.value.problems == [
        "row 4, column parent: no such unit C2",
        "row 5, column parent: no such unit C2",
        "row 6, column code: code C2 is not available",
        "row 7, column kind: only a superadmin may create a university",
        "row 8, column parent: no such unit U1",
    ]
    result = import_units(write_file(tmp_path, "ok.csv", [UNIT_HEADERS, *rows[:2]]), by=college_admin)
    assert str(result) == "created 1, updated 1, unchanged 0"
    assert units_by_code()["C1"].name == "教育学院（新）"


def test_a_title_row_above_the_header_is_skipped(app, tmp_path):
    rows = [["2026 年单位名单"], [], UNIT_HEADERS_ZH, ["U1", "示范大学", "学校", "", ""],
            ["C1", "学院", "学院", "", ""]]
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "units.xlsx", rows))
    assert failed.value.problems == ["row 5, column 上级编码: a college must sit under a university"]
    with pytest.raises(ValidationFailed) as failed:
        import_units(write_file(tmp_path, "units.csv", [["单位名单"], ["单位编码", "名字"]]))
    assert failed.value.problems == ["row 2, column 单位名称: missing column",
                                     "row 2, column 类型: missing column",
                                     "row 2, column 上级编码: missing column"]
