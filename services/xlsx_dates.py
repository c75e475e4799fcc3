"""Which cells of a workbook hold dates, and the dates their numbers stand for.

Excel stores a date as a number of days (since 1899-12-30, or since 1904-01-01 when
the workbook says date1904) and marks it a date only through the cell's style: the
style's number format is a built-in date or time format, or a custom code with day,
month, year, hour or second parts outside quoted text and [colour] or [$-804]
sections. The conversion matches openpyxl's, which the importers were written
against: a number below 1 is a time of day, and Excel's 1900-02-29 (a day that
never was) is skipped.
"""
import re
import zipfile
from datetime import datetime
from datetime import time
from datetime import timedelta

from services import upload_limits as limits
from services.xlsx_zip import xml_events

#: built-in number formats that show a date or a time (ECMA-376 §18.8.30, with the East Asian ids)
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
#: what in a format code is never a date part: quoted text, escaped or padding characters, [sections]
LITERALS = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]')
DATE_PARTS = re.compile(r"[dmyhs]", re.IGNORECASE)
EPOCH_1900 = datetime(1899, 12, 30)
EPOCH_1904 = datetime(1904, 1, 1)
#: the first serial past 9999-12-31 (1900 system): larger numbers are left as numbers
SERIAL_LIMIT = 2_958_466


def is_date_code(code: str) -> bool:
    """True when a custom number format's first section shows a date or a time."""
    return DATE_PARTS.search(LITERALS.sub("", code).split(";", 1)[0]) is not None


def date_styles(archive: zipfile.ZipFile, name: str, ns: str) -> frozenset[str]:
    """The cell styles (the `s` attribute as written) whose number format shows a date."""
    custom: dict[str, str] = {}
    formats: list[str] = []
    for _event, element in xml_events(archive, name, limit=limits.MAX_SMALL_PART):
        if element.tag == ns + "numFmts":
            custom.update((f.get("numFmtId", ""), f.get("formatCode", "")) for f in element
                          if f.tag == ns + "numFmt")
            element.clear()
        elif element.tag == ns + "cellXfs":
            formats = [xf.get("numFmtId", "0") for xf in element if xf.tag == ns + "xf"]
            element.clear()
        elif element.tag in (ns + "cellStyleXfs", ns + "dxfs", ns + "fonts", ns + "fills", ns + "borders"):
            element.clear()
    return frozenset(str(index) for index, number_format in enumerate(formats)
                     if is_date_format(number_format, custom))


def is_date_format(number_format: str, custom: dict[str, str]) -> bool:
    """True for a built-in date format id, or a custom one whose code shows a date."""
    if number_format in custom:
        return is_date_code(custom[number_format])
    return number_format.isdigit() and int(number_format) in BUILTIN_DATE_FORMATS


def excel_date(serial: float, date1904: bool = False) -> datetime | time | float:
    """The moment a date cell's number stands for: a time below 1, else a datetime; a
    negative or too large number stays a number, as Excel shows it as ####."""
    if not 0 <= serial < SERIAL_LIMIT:
        return serial
    days, fraction = divmod(serial, 1)
    moment = timedelta(milliseconds=round(fraction * 86_400_000))
    if serial < 1 and moment.days == 0:
        return (datetime.min + moment).time()
    if date1904:
        epoch = EPOCH_1904
    else:
        epoch = EPOCH_1900
        if serial < 60:
            days += 1
    try:
        return epoch + timedelta(days=days) + moment
    except OverflowError:
        return serial
