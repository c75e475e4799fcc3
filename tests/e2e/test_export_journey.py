"""The issue's auditor journey, on a phone and on a laptop: an auditor of a college, who
reads everything and changes nothing, downloads the coverage workbook and the hours totals
from the pages, with the keyboard alone for the first. Both files are real workbooks that
Excel opens, and a name typed like a formula arrives as text. Every page passes the basic
accessibility checks."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.certification_helpers import add_hours
from tests.e2e.a11y import assert_accessible
from tests.e2e.a11y import tab_to
from tests.e2e.browser import assert_fits_the_screen
from tests.e2e.browser import follow_menu
from tests.e2e.browser import on_every_screen
from tests.e2e.browser import path_of
from tests.e2e.browser import sign_in

#: what a spreadsheet would run if the export did not neutralise it
FORMULA_NAME = "=HYPERLINK(\"http://example.com\",\"点我\")"


@pytest.fixture
def auditor(campus, make_user, make_person):
    """An auditor of the college, whose dorm has two informants with approved hours this
    year, one of them registered under a name that reads like a formula."""
    other = make_person("S002", name=FORMULA_NAME, role="dorm_informant", unit=campus.dorm)
    add_hours(campus.student, 2, date.today())
    add_hours(other, 1.5, date.today())
    return make_user("audit@example.edu.cn", grant=("auditor", "C1"), name="审计员")


def workbook(download):
    """The downloaded file, opened as Excel would: a zip of XML parts, not HTML or CSV."""
    data = download.path().read_bytes()
    assert data.startswith(b"PK"), f"{download.suggested_filename} is not an xlsx"
    book = load_workbook(io.BytesIO(data))
    formulas = [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets
                for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == [], "cells the spreadsheet would run"
    return book


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@on_every_screen
def test_an_auditor_downloads_coverage_and_hours_workbooks(page, live_server, campus, auditor):
    sign_in(page, live_server, "audit@example.edu.cn")
    follow_menu(page, "/coverage")
    assert path_of(page) == "/coverage/C1"
    assert_accessible(page)
    assert_fits_the_screen(page)

    tab_to(page, "main a[href^='/coverage/C1.xlsx']")
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value
    assert download.suggested_filename == f"覆盖率-C1-{date.today().isoformat()}.xlsx"
    book = workbook(download)
    assert len(book.sheetnames) >= 3
    cells = {value for sheet in book.worksheets for row in values(sheet) for value in row}
    assert {"C1", "K1", "D1", "教育学院", "心理1班", "1号寝室"} <= cells

    follow_menu(page, "/hours/review")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main .nav-tabs a[href='/hours/totals']")
    assert page.locator("#unit-total [data-hours]").get_attribute("data-hours") == "3.5"
    assert_accessible(page)
    assert_fits_the_screen(page)
    year = date.today().year
    with page.expect_download() as downloading:
        page.click(f"main a[href='/hours/totals.xlsx?unit=C1&year={year}']")
    download = downloading.value
    assert download.suggested_filename == f"hours-C1-{year}.xlsx"
    book = workbook(download)
    by_unit, _by_role, people = (values(sheet) for sheet in book.worksheets)
    assert by_unit[0][:3] == ["单位编码", "单位名称", "类型"]
    assert by_unit[-1][0] == "合计" and by_unit[-1][5] == 3.5
    assert {row[1]: row[4] for row in people[1:]} == {"李同学": 2, FORMULA_NAME: 1.5}
    named = [cell for row in book.worksheets[2].iter_rows() for cell in row
             if cell.value == FORMULA_NAME]
    assert [(c.data_type, c.quotePrefix) for c in named] == [("s", True)], "text, as typed"
