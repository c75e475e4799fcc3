"""`flask certs evaluate`: re-evaluate one person or everyone, e.g. after the programs changed.

Everyone is walked in batches of people (each batch's evidence in a few queries), not one
person at a time, so a province is a matter of minutes. Who is walked: people with an
assignment active on the day, and people holding a certificate not yet expired (it may
be due for renewal).
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Certificate
from models import Person
from services.certification import evaluate_people
from services.errors import NotFound
from services.import_support import chunks
from services.roster import active_clause


@dataclass
class Evaluation:
    people: int = 0
    issued: int = 0
    renewed: int = 0

    def __str__(self) -> str:
        return f"issued {self.issued} / renewed {self.renewed} ({self.people} people evaluated)"

    def add(self, certificates) -> None:
        for certificate in certificates:
            if certificate.renews_id is None:
                self.issued += 1
            else:
                self.renewed += 1


def evaluate_person(number: str, as_of: date | None = None) -> Evaluation:
    """Re-evaluate the person with `number`."""
    person = db.session.scalar(select(Person).where(Person.number == number))
    if person is None:
        raise NotFound(_("No person has the number %(number)s.", number=number))
    result = Evaluation(people=1)
    result.add(evaluate_people([person], as_of))
    return result


def evaluate_everyone(as_of: date | None = None, batch: int = 500) -> Evaluation:
    """Re-evaluate everyone who holds a role or an unexpired certificate on `as_of`."""
    as_of = as_of or date.today()
    ids = db.session.scalars(
        select(Person.id).where(or_(
            Person.id.in_(select(Assignment.person_id).where(active_clause(as_of))),
            Person.id.in_(select(Certificate.person_id).where(Certificate.expires > as_of))))
        .order_by(Person.id)).all()
    result = Evaluation()
    for chunk in chunks(ids, batch):
        people = list(db.session.scalars(select(Person).where(Person.id.in_(chunk))
                                         .order_by(Person.id)))
        result.people += len(people)
        result.add(evaluate_people(people, as_of))
        db.session.flush()
    return result
