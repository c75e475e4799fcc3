"""Finding the person an admin means by a number, or adding someone new to the roster."""
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from models import Person
from models import User
from services import audit
from services import scope
from services.errors import Conflict
from services.errors import DomainError


def person_to_assign(number: str, name: str | None, *, by: User | None) -> Person:
    """The person with `number` in `by`'s scope, else a new person called `name`.

    Numbers are unique across the province, so a number held by someone outside the
    admin's units cannot be reused; like the roster import, a matching name shows the
    admin means that same person (a teacher moving between colleges).
    """
    number, name = number.strip(), (name or "").strip()
    found = db.session.scalar(
        select(Person).where(Person.number == number, scope.person_filter(by, scope.WRITE_KINDS)))
    if found is not None:
        return found
    existing = db.session.scalar(select(Person).where(Person.number == number))
    if existing is not None:
        if name and name == existing.name:
            return existing
        raise Conflict(_("Number %(number)s is already in use by another person. Give their name "
                         "exactly as in the roster to assign them here.", number=number))
    if not name:
        raise DomainError(_("No one has number %(number)s yet: give their name to add them to "
                            "the roster.", number=number))
    if "/" in number:  # /people/NUMBER could never be opened
        raise DomainError(_("A staff/student number may not contain /."))
    person = Person(number=number, name=name)
    db.session.add(person)
    db.session.flush()
    audit.record("person.created", by=by, target=person, name=name)
    return person
