"""The kinds of training an hour entry is filed under, and their words in each language.

One list for every source of hours: learners pick from ACTIVITIES (what they can log
themselves, off the platform); modules file under "module"; sessions, imports and the
course may use any code in ACTIVITY_LABELS. A page showing an entry's activity goes
through `activity_label`, so a code is translated once.
"""
from flask_babel import lazy_gettext as _l

#: what a learner may log by hand (issue #5): work done off the platform
ACTIVITIES = ("workshop", "case_seminar", "supervision", "conference", "self_study")

#: every activity code the ledger knows, with its label (Chinese in the catalogue)
ACTIVITY_LABELS = {
    "workshop": _l("Workshop"),
    "case_seminar": _l("Case seminar"),
    "supervision": _l("Supervision"),
    "conference": _l("Conference"),
    "self_study": _l("Self-study"),
    "module": _l("Online module"),
    "training": _l("Training session"),
    "lecture": _l("Lecture"),
    "course": _l("Mental-health course"),
    "other": _l("Other training"),
}


def activity_label(code: str | None) -> str:
    """The activity in the reader's language; an unknown code is shown as it is."""
    return str(ACTIVITY_LABELS.get(code, code or ""))


def activity_choices(codes: tuple[str, ...] = ACTIVITIES) -> list[tuple[str, str]]:
    """(code, label) pairs for a select box, in the order given."""
    return [(code, activity_label(code)) for code in codes]


def is_activity(code: str | None) -> bool:
    """Whether `code` is a known activity (for importers validating a column)."""
    return code in ACTIVITY_LABELS
