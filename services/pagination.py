"""Pages of a query: one COUNT and one LIMIT/OFFSET, whatever the table's size."""
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select

from extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass
class Page:
    """One page of results, as the `pagination` macro in templates/_macros.html reads it."""

    items: list = field(default_factory=list)
    number: int = 1
    per_page: int = DEFAULT_PER_PAGE
    total: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """The 1-based position of the first item shown, for "21–40 of 95"."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)


def page_number(raw) -> int:
    """Read a page number as a user typed it: anything odd becomes page 1."""
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, number)


def clamp(raw, total: int, per_page: int) -> int:
    """The requested page if it exists, else the nearest one (never an error)."""
    pages = max(1, -(-total // per_page))
    return min(page_number(raw), pages)


def per_page_value(per_page: int | None) -> int:
    return max(1, min(MAX_PER_PAGE, per_page or DEFAULT_PER_PAGE))


def paginate(stmt: Select, page=1, per_page: int | None = None) -> Page:
    """Run `stmt` for one page: models when it selects one entity, else rows.

    `page` may be anything a visitor put in the URL; it is clamped to 1..pages.
    """
    per_page = per_page_value(per_page)
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = db.session.scalar(count) or 0
    number = clamp(page, total, per_page)
    if not total:
        return Page([], number, per_page, 0)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    if len(stmt.column_descriptions) == 1:
        items = list(db.session.scalars(limited))
    else:
        items = list(db.session.execute(limited))
    return Page(items, number, per_page, total)


def paginate_list(items: list, page=1, per_page: int | None = None) -> Page:
    """A page of a list already in memory (a handful of grant roots, for example)."""
    per_page = per_page_value(per_page)
    number = clamp(page, len(items), per_page)
    start = (number - 1) * per_page
    return Page(items[start:start + per_page], number, per_page, len(items))
