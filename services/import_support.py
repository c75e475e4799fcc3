"""What the roster importers share: counts, chunked look-ups and the actor's scope."""
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import select

from extensions import db
from models import Unit
from models import User
from services.scope import WRITE_KINDS
from services.scope import covers

#: how many keys go into one `IN (…)` look-up
CHUNK = 500


@dataclass
class ImportResult:
    """Rows created, updated and left unchanged; with dry_run, what would have been."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def count(self, outcome: str) -> None:
        """Add one row whose outcome is "created", "updated" or "unchanged"."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


def chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    """Successive lists of at most `size` items, for IN queries of bounded length."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class UnitRef:
    """What an import needs to know of a unit: where it sits, not the ORM object."""

    id: int
    code: str
    kind: str
    parent_id: int | None
    name: str
    students: int | None
    province_id: int | None
    university_id: int | None
    college_id: int | None
    class_id: int | None


UNIT_REF_COLUMNS = (Unit.id, Unit.code, Unit.kind, Unit.parent_id, Unit.name, Unit.students,
                    Unit.province_id, Unit.university_id, Unit.college_id, Unit.class_id)


def load_units(codes: Iterable[str]) -> dict[str, UnitRef]:
    """The units with these codes, looked up a chunk at a time."""
    found: dict[str, UnitRef] = {}
    for chunk in chunks(sorted(set(codes))):
        for row in db.session.execute(select(*UNIT_REF_COLUMNS).where(Unit.code.in_(chunk))):
            found[row.code] = UnitRef(*row)
    return found


def load_units_by_id(ids: Iterable[int]) -> dict[int, UnitRef]:
    """The units with these ids, looked up a chunk at a time."""
    found: dict[int, UnitRef] = {}
    for chunk in chunks(sorted(set(ids))):
        for row in db.session.execute(select(*UNIT_REF_COLUMNS).where(Unit.id.in_(chunk))):
            found[row.id] = UnitRef(*row)
    return found


class ImportScope:
    """Where an actor may import: anywhere for the CLI (by=None) or a superadmin,
    else the subtrees of their admin grants."""

    def __init__(self, by: User | None):
        self.by = by
        self.unrestricted = by is None or by.is_superadmin
        self.roots = [] if self.unrestricted else [
            g.unit for g in by.grants if g.kind in WRITE_KINDS and g.unit is not None
        ]

    def covers(self, unit: UnitRef) -> bool:
        """Whether `unit` lies inside the actor's scope (no query)."""
        return self.unrestricted or any(covers(root, unit) for root in self.roots)
