"""The demo's certification: the demo informant has begun (an orientation workshop's hours
on record); most other holders already hold a certificate earned before the platform (as
`flask certs import` would load), a few of them expiring soon, so the coverage pages have
something to show; then everyone is evaluated."""
from datetime import date
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from extensions import db
from models import Assignment
from models import Certificate
from models import HourEntry
from models import Person
from models import Program
from models import Role
from services.certificate_codes import new_code
from services.certification_batch import evaluate_everyone

ORIENTATION_HOURS = 2.0
#: one holder in this many is left uncertified, so coverage shows gaps as well
UNCERTIFIED_EVERY = 4


def certify_most(informant: Person | None, today: date) -> None:
    """Certificates for three holders in four of a role some program covers, issued on
    days spread over the last year (so some expire within 30 days)."""
    programs: dict[str, Program] = {}
    for program in db.session.scalars(select(Program).order_by(Program.code)):
        for code in program.roles or []:
            programs.setdefault(code, program)
    holders = db.session.execute(
        select(Assignment.person_id, Role.code).join(Role, Role.id == Assignment.role_id)
        .where(Assignment.end.is_(None)).order_by(Assignment.person_id, Role.code)).all()
    done: set[tuple[int, int]] = set()
    for index, (person_id, role) in enumerate(holders):
        program = programs.get(role)
        if program is None or index % UNCERTIFIED_EVERY == 0 or \
                (informant is not None and person_id == informant.id) or (person_id, program.id) in done:
            continue
        done.add((person_id, program.id))
        issued = today - timedelta(days=(index * 37) % 360 + 1)
        db.session.add(Certificate(code=new_code(), person_id=person_id, program_id=program.id,
                                   issued=issued, expires=issued + relativedelta(months=program.valid_months),
                                   source="import"))
    db.session.flush()


def start_certification(informant: Person | None, today: date) -> None:
    """Credit the informant's orientation hours, then evaluate every demo person."""
    if informant is not None:
        db.session.add(HourEntry(
            person_id=informant.id, date=today - timedelta(days=30), hours=ORIENTATION_HOURS,
            activity="workshop", source="import", source_ref="demo:orientation",
            status="approved", description="寝室信息员岗前培训"))
        db.session.flush()
    certify_most(informant, today)
    evaluate_everyone(today)
