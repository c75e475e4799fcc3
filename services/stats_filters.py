"""The filters of the statistics page and API, read from what a person typed.

`?unit=CODE&since=YYYY-MM-DD&until=YYYY-MM-DD&attempts=all` become the keyword
arguments of services.item_stats.quiz_statistics; anything malformed is a DomainError
a person can read (a 400 from the API), a unit outside the viewer's scope NotFound.
"""
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _

from models import User
from services.errors import DomainError
from services.item_stats import stats_unit


def parse_day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD date, or None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("%(name)s must be a date written YYYY-MM-DD.", name=name)) from None


def parse_attempts(value: str | None) -> bool:
    """Whether `attempts=all` asks for every attempt rather than each person's first."""
    value = (value or "").strip()
    if value not in ("", "first", "all"):
        raise DomainError(_("attempts may only be first or all."))
    return value == "all"


def stats_filters(args: Mapping, user: User | None) -> dict:
    """quiz_statistics' keyword arguments from query arguments."""
    since = parse_day(args.get("since"), "since")
    until = parse_day(args.get("until"), "until")
    if since and until and since > until:
        raise DomainError(_("since must not be after until."))
    return {"unit": stats_unit(user, args.get("unit")), "since": since, "until": until,
            "all_attempts": parse_attempts(args.get("attempts"))}
