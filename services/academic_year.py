"""The academic year: 1 September – 31 August, keyed by the year it starts in and written
"2026–2027". The course report (S10) and the transcript's hours by year count in it."""
from datetime import date


def academic_year(on: date) -> int:
    """The academic year `on` falls in, keyed by its start year (31 Aug 2027 → 2026)."""
    return on.year if on.month >= 9 else on.year - 1


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day (inclusive) of the academic year starting in `year`."""
    return date(year, 9, 1), date(year + 1, 8, 31)


def year_label(year: int) -> str:
    return f"{year}–{year + 1}"


def parse_year(raw, today: date | None = None) -> int:
    """The academic year a visitor asked for (?year=2026), or the current one."""
    current = academic_year(today or date.today())
    try:
        year = int(str(raw).strip()[:4])
    except (TypeError, ValueError):
        return current
    return year if 2000 <= year <= current + 1 else current


def recent_years(today: date | None = None, count: int = 6) -> list[int]:
    """The current academic year and those before it, newest first, for a year menu."""
    current = academic_year(today or date.today())
    return [current - n for n in range(count)]
