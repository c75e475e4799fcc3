"""The words templates show for a status code (a module's, a quiz's, a program's …).

They are the same for everyone who reads a language, so each map is translated once per
language and process rather than string by string on every page that lists a few rows.
(services/labels.py holds the words for unit and grant kinds, which Python code uses too.)
"""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from blueprints.reader_language import current_language

LABELS = {
    #: a module on the learner's dashboard (services/learner_modules.py)
    "module_status": {
        "not_started": _l("Not started"),
        "in_progress": _l("In progress"),
        "completed": _l("Completed"),
        "due_again": _l("Due again"),
    },
    #: the link under a module: what the learner does next
    "module_next_step": {
        "not_started": _l("Start"),
        "in_progress": _l("Continue"),
        "completed": _l("Review"),
        "due_again": _l("Start the new version"),
    },
    #: a quiz on the learner's dashboard (services/learner_quizzes.py)
    "quiz_status": {
        "open": _l("In progress"),
        "not_started": _l("Not started"),
        "failed": _l("Not passed yet"),
        "passed": _l("Passed"),
        "exhausted": _l("No attempts left"),
    },
    #: the three competencies of services/competency.py
    "competency": {
        "recognition": _l("Recognition"),
        "discernment": _l("Discernment"),
        "intervention": _l("Intervention"),
    },
    #: a certification program's state (services/certification_progress.py)
    "program_state": {
        "not_started": _l("Not started"),
        "in_progress": _l("In progress"),
        "certified": _l("Certified"),
        "due": _l("Due for renewal"),
        "expired": _l("Expired"),
        "revoked": _l("Revoked"),
    },
}


def labels_for(kind: str) -> dict[str, Markup]:
    """The map `kind` of LABELS in the current language (which force_locale() switches),
    as the safe markup a template's _() would give."""
    kept = current_language().kept
    key = ("labels_for", kind)
    found = kept.get(key)
    if found is None:
        found = kept[key] = {code: Markup(str(label)) for code, label in LABELS[kind].items()}
    return found
