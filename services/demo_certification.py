"""The demo's certification: the demo informant has begun (an orientation workshop's hours
on record), and everyone is evaluated, so the certification page has something to show."""
from datetime import date
from datetime import timedelta

from extensions import db
from models import HourEntry
from models import Person
from services.certification_batch import evaluate_everyone

ORIENTATION_HOURS = 2.0


def start_certification(informant: Person | None, today: date) -> None:
    """Credit the informant's orientation hours, then evaluate every demo person."""
    if informant is not None:
        db.session.add(HourEntry(
            person_id=informant.id, date=today - timedelta(days=30), hours=ORIENTATION_HOURS,
            activity="workshop", source="import", source_ref="demo:orientation",
            status="approved", description="寝室信息员岗前培训"))
        db.session.flush()
    evaluate_everyone(today)
