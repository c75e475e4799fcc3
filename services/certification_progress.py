"""A learner's certification programs: for each program covering one of their roles (or
one whose certificate they hold), the state, what is required, what is done and left,
and the dates — the learner page and dashboard card read this, in a fixed number of
queries whatever the person's history.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam
from sqlalchemy import select

from extensions import db
from models import Certificate
from models import Person
from models import QualificationType
from services.certification_rules import HeldCertificate
from services.certification_rules import check
from services.certification_rules import covering
from services.certification_rules import load_evidence
from services.certification_standing import standing
from services.content_catalogue import ProgramEntry
from services.content_catalogue import catalogue

STATES = ("not_started", "in_progress", "certified", "due", "expired", "revoked")


@dataclass
class ProgramProgress:
    program: ProgramEntry
    #: not_started | in_progress | certified | due | expired | revoked
    state: str
    #: [{kind: module|quiz|hours|qualification, ref, label, done, detail ("3/4 h"), share (0–1)}]
    items: list[dict] = field(default_factory=list)
    #: the latest certificate of the program (any status), if any: a HeldCertificate read
    #: with the evidence, or a Certificate issued in this transaction (same attributes)
    certificate: HeldCertificate | Certificate | None = None
    #: when the person's certification ends (after a renewal already issued, its end)
    expires: date | None = None
    #: from when the current certificate is due for renewal
    due_from: date | None = None
    #: the items are the renewal requirements (due) rather than the first ones
    renewing: bool = False

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item["done"])

    @property
    def title(self) -> str:
        english = str(get_locale() or "").startswith("en")
        return self.program.title_en if english and self.program.title_en else self.program.title


def program_progress(person: Person | None, as_of: date | None = None,
                     codes: set[str] | None = None) -> list[ProgramProgress]:
    """Each program that concerns the person on `as_of` (default today), by code; `codes`:
    the person's role codes on that day, when the caller has them already."""
    if person is None:
        return []
    as_of = as_of or date.today()
    programs = catalogue().programs
    roles = None if codes is None else {person.id: codes}
    evidence = load_evidence([person.id], programs, as_of, roles)[person.id]
    rows = []
    for program in programs:
        if not covering(program, evidence, as_of):
            continue
        where = standing(program, evidence.certificates.get(program.id, []), as_of)
        renewing = where.mode == "renew"
        requirements = program.requires or {}
        if renewing and program.renewal is not None:
            requirements = program.renewal
        since = where.since if where.mode != "none" else None
        items = check(requirements, program, evidence, as_of, since,
                      where.fresh_from if where.mode != "none" else None)
        end = where.upcoming or where.current
        rows.append(ProgramProgress(
            program=program, state=state_of(where, items, as_of), certificate=where.latest,
            items=[{"kind": i.kind, "ref": i.ref, "done": i.done, "detail": i.detail,
                    "label": "", "share": share(i)} for i in items],
            expires=end.expires if end else None,
            due_from=where.due_from if where.upcoming is None else None, renewing=renewing))
    label_items(rows)
    return rows


def share(item) -> float:
    """How much of the requirement is met, for a progress bar."""
    if item.kind == "hours" and item.need:
        return min(1.0, (item.have or 0.0) / item.need)
    return 1.0 if item.done else 0.0


def state_of(where, items, as_of: date) -> str:
    if where.current is not None:
        due = where.upcoming is None and as_of >= where.due_from
        return "due" if due else "certified"
    if where.upcoming is not None:
        return "certified"
    if where.latest is not None and where.latest.revoked_at is not None:
        return "revoked"
    if where.latest is not None:
        return "expired"
    begun = any(item.done or (item.have or 0) > 0 for item in items)  # some hours count too
    return "in_progress" if begun else "not_started"


QUALIFICATION_NAMES = (  # built once: building a statement costs more than running it
    select(QualificationType.code, QualificationType.name, QualificationType.name_en)
    .where(QualificationType.code.in_(bindparam("codes", expanding=True))))


def label_items(rows: list[ProgramProgress]) -> None:
    """Name each requirement in the reader's language: one query per kind named."""
    wanted = {}
    for row in rows:
        for item in row.items:
            wanted.setdefault(item["kind"], set()).add(item["ref"])
    english = str(get_locale() or "").startswith("en")
    names = {}
    if wanted.get("module") or wanted.get("quiz"):
        content = catalogue()
        names["module"], names["quiz"] = content.module_titles(), content.quiz_titles()
    if wanted.get("qualification"):
        names["qualification"] = {
            code: (name_en if english and name_en else name)
            for code, name, name_en in db.session.execute(
                QUALIFICATION_NAMES, {"codes": sorted(wanted["qualification"])})}
    for row in rows:
        for item in row.items:
            if item["kind"] == "hours":
                item["label"] = _("Approved training hours in the last %(months)s months",
                                  months=item["ref"])
            else:
                item["label"] = names.get(item["kind"], {}).get(item["ref"], item["ref"])
