"""The ledger activities a training session's hours may be filed under: the in-person kinds
of the ledger's own list (services/hour_activities.py), which also gives their words."""
from services.hour_activities import ACTIVITY_LABELS
from services.hour_activities import activity_choices as ledger_choices
from services.hour_activities import activity_label

#: in person only: self-study, modules and the students' course are not sessions
SESSION_ACTIVITIES = tuple(code for code in (
    "workshop", "case_seminar", "supervision", "conference", "lecture", "training")
    if code in ACTIVITY_LABELS)

__all__ = ["SESSION_ACTIVITIES", "activity_choices", "activity_codes", "activity_label"]


def activity_codes() -> tuple[str, ...]:
    return SESSION_ACTIVITIES


def activity_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for the session form's menu."""
    return ledger_choices(SESSION_ACTIVITIES)
