"""Words for the codes the database stores (unit kinds, grant kinds), in the user's language.

Messages and pages must say 班级, not `class`: every place that shows a code to a
person goes through these functions, so the words are translated once.
"""
from flask_babel import lazy_gettext as _l

#: a unit kind as a noun inside a sentence ("a class must sit under a college")
KIND_NOUNS = {
    "province": _l("province"),
    "university": _l("university"),
    "college": _l("college"),
    "class": _l("class"),
    "dorm": _l("dorm"),
    "building": _l("building"),
}
#: a unit kind as a label on its own (a table cell, a badge)
KIND_LABELS = {
    "province": _l("Province"),
    "university": _l("University"),
    "college": _l("College"),
    "class": _l("Class"),
    "dorm": _l("Dorm room"),
    "building": _l("Building"),
}
#: a grant kind as a label
GRANT_LABELS = {
    "superadmin": _l("Superadmin"),
    "admin": _l("Admin"),
    "trainer": _l("Trainer"),
    "auditor": _l("Auditor"),
}


def kind_noun(kind: str | None) -> str:
    """The unit kind for use inside a sentence; an unknown code is shown as it is."""
    return str(KIND_NOUNS.get(kind, kind or ""))


def kind_label(kind: str | None) -> str:
    """The unit kind as a stand-alone label (capitalised in English)."""
    return str(KIND_LABELS.get(kind, kind or ""))


def grant_label(kind: str | None) -> str:
    """The grant kind (admin, trainer, …) as a label."""
    return str(GRANT_LABELS.get(kind, kind or ""))
