"""What counts towards a certificate: each person's evidence, loaded for a batch of people in
a fixed number of queries, and the requirement checks and certificate standing built on it.

The rules (SPEC §2.6, issue #6):
- a module counts when a completion of a version not older than the module's latest
  "requires re-completion" version is dated on or before `as_of`;
- a quiz counts when a submitted attempt passed (a paper sitting is dated by its sitting);
- hours are the approved ledger hours dated within `hours_window_months` before `as_of`
  (both ends included, as services.hours_ledger.approved_hours_between counts them);
- a qualification counts when one of that type is verified and valid on `as_of`;
- `since`: for a renewal, or a new period after an expiry or a revocation, quizzes count
  only when passed on or after that day (see certification_standing.Standing). Modules are not held to it: a
  module is completed once per version and cannot be taken again, so a completion counts
  until a newer version "requires re-completion" (that is how authors ask for it again).
  Dates of stored times are their UTC dates.
"""
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import aliased

from extensions import db
from models import Assignment
from models import Attempt
from models import Certificate
from models import HourEntry
from models import Module
from models import ModuleVersion
from models import Program
from models import Progress
from models import Qualification
from models import Quiz
from models import Role
from services.core_reads import read
from services.roster import active_clause

#: hours this close under the requirement are float noise, not a shortfall
EPSILON = 1e-9


class HeldCertificate(NamedTuple):
    """What the rules and the learner's pages read of a certificate, as a plain row: the
    dashboard reads them on every view, and entities cost several times a row. An
    evaluation may add the Certificate it issues beside them (same attributes)."""

    id: int
    code: str
    person_id: int
    program_id: int
    issued: date
    expires: date
    revoked_at: datetime | None


@dataclass
class Evidence:
    """One person's roles, certificates and activity, as far as the programs ask."""

    person_id: int = 0
    roles: set[str] = field(default_factory=set)
    #: program id → that program's certificates, oldest first
    certificates: dict[int, list[HeldCertificate | Certificate]] = field(default_factory=dict)
    #: module slug → days of completions that count
    modules: dict[str, list[date]] = field(default_factory=dict)
    #: quiz slug → days of passed attempts
    quizzes: dict[str, list[date]] = field(default_factory=dict)
    #: hours_window_months → approved hours in that window up to as_of
    hours: dict[int, float] = field(default_factory=dict)
    #: qualification type → (issued_on, expires_on) of verified ones
    qualifications: dict[str, list[tuple]] = field(default_factory=dict)


@dataclass
class Item:
    """One requirement and whether it is met, e.g. hours with detail "3/4 h"."""

    kind: str
    ref: str
    done: bool
    have: float | None = None
    need: float | None = None

    @property
    def detail(self) -> str:
        if self.kind != "hours":
            return ""
        return f"{hours_text(self.have)}/{hours_text(self.need)} h"


def hours_text(value: float | None) -> str:
    value = round(value or 0.0, 2)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# The statements are built once, with the people (`ids`), dates and references as
# parameters: building a statement costs more than SQLite takes to run it.
PROGRAMS = select(Program).order_by(Program.code)
IDS = bindparam("ids", expanding=True)
ROLES_OF = (select(Assignment.person_id, Role.code).join(Role, Role.id == Assignment.role_id)
            .where(Assignment.person_id.in_(IDS), active_clause(bindparam("on"))))
CERTIFICATES_OF = (select(*(getattr(Certificate, name) for name in HeldCertificate._fields))
                   .where(Certificate.person_id.in_(IDS))
                   .order_by(Certificate.issued, Certificate.id))
QUALIFICATIONS_OF = (
    select(Qualification.person_id, Qualification.type, Qualification.issued_on,
           Qualification.expires_on)
    .where(Qualification.person_id.in_(IDS), Qualification.status == "verified",
           Qualification.type.in_(bindparam("types", expanding=True))))
_flagged = aliased(ModuleVersion)
COMPLETIONS_OF = (
    select(Progress.person_id, Module.slug, ModuleVersion.version, Progress.completed_at,
           select(func.max(_flagged.version))
           .where(_flagged.module_id == ModuleVersion.module_id,
                  _flagged.requires_recompletion.is_(True))
           .correlate(ModuleVersion).scalar_subquery())
    .join(ModuleVersion, ModuleVersion.id == Progress.module_version_id)
    .join(Module, Module.id == ModuleVersion.module_id)
    .where(Progress.person_id.in_(IDS), Progress.completed_at.is_not(None),
           Module.slug.in_(bindparam("slugs", expanding=True))))
PASSES_OF = (
    select(Attempt.person_id, Quiz.slug, Attempt.sat_on, Attempt.submitted_at)
    .join(Quiz, Quiz.id == Attempt.quiz_id)
    .where(Attempt.person_id.in_(IDS), Attempt.passed.is_(True),
           Attempt.submitted_at.is_not(None), Quiz.slug.in_(bindparam("slugs", expanding=True))))
HOURS_OF = (
    select(HourEntry.person_id, func.sum(HourEntry.hours))
    .where(HourEntry.person_id.in_(IDS), HourEntry.status == "approved",
           HourEntry.date >= bindparam("start"), HourEntry.date <= bindparam("end"))
    .group_by(HourEntry.person_id))
HOURS_BETWEEN = (
    select(func.coalesce(func.sum(HourEntry.hours), 0.0))
    .where(HourEntry.person_id == bindparam("person_id"), HourEntry.status == "approved",
           HourEntry.date >= bindparam("start"), HourEntry.date <= bindparam("end")))


def expiry_of(issued: date, program: Program) -> date:
    """Calendar months: 2026-01-31 + 1 month = 2026-02-28."""
    return issued + relativedelta(months=program.valid_months)


def window_start(as_of: date, months: int) -> date:
    return as_of - relativedelta(months=months)


def all_programs() -> list[Program]:
    """The program catalogue (a handful of rows), by code."""
    return list(db.session.scalars(PROGRAMS))


def requirement_sets(program: Program) -> list[dict]:
    return [program.requires or {}] + ([program.renewal] if program.renewal is not None else [])


def load_evidence(person_ids: list[int], programs: list[Program], as_of: date,
                  roles: dict[int, set[str]] | None = None) -> dict[int, Evidence]:
    """Evidence of each person for `programs` on `as_of`: two queries (roles, unless the
    caller has each person's role codes on `as_of` already; certificates), then one per
    kind of evidence that a program concerning someone in the batch asks for."""
    found = {pid: Evidence(person_id=pid) for pid in person_ids}
    if not found:
        return found
    if roles is None:
        for pid, code in read(ROLES_OF, {"ids": person_ids, "on": as_of}):
            found[pid].roles.add(code)
    else:
        for pid in person_ids:
            found[pid].roles.update(roles.get(pid, ()))
    for row in read(CERTIFICATES_OF, {"ids": person_ids}):
        certificate = HeldCertificate(*row)
        found[certificate.person_id].certificates.setdefault(certificate.program_id, []).append(
            certificate)
    wanted = {kind: set() for kind in ("modules", "quizzes", "qualifications")}
    windows = set()
    for program in programs:
        if not any(covering(program, evidence, as_of) for evidence in found.values()):
            continue  # nobody in the batch is concerned: load nothing for it
        for requirements in requirement_sets(program):
            for kind, refs in wanted.items():
                refs.update(requirements.get(kind) or [])
            if requirements.get("hours"):
                windows.add(program.hours_window_months)
    if wanted["modules"]:
        load_modules(found, person_ids, wanted["modules"], as_of)
    if wanted["quizzes"]:
        load_quizzes(found, person_ids, wanted["quizzes"], as_of)
    for months in sorted(windows):
        load_hours(found, person_ids, months, as_of)
    if wanted["qualifications"]:
        for pid, kind, issued_on, expires_on in read(
                QUALIFICATIONS_OF, {"ids": person_ids, "types": sorted(wanted["qualifications"])}):
            found[pid].qualifications.setdefault(kind, []).append((issued_on, expires_on))
    return found


def load_modules(found: dict, person_ids: list[int], slugs: set[str], as_of: date) -> None:
    rows = read(COMPLETIONS_OF, {"ids": person_ids, "slugs": sorted(slugs)})
    for pid, slug, version, completed_at, flagged in rows:
        if version >= (flagged or 0) and completed_at.date() <= as_of:
            found[pid].modules.setdefault(slug, []).append(completed_at.date())


def load_quizzes(found: dict, person_ids: list[int], slugs: set[str], as_of: date) -> None:
    rows = read(PASSES_OF, {"ids": person_ids, "slugs": sorted(slugs)})
    for pid, slug, sat_on, submitted_at in rows:
        day = sat_on or submitted_at.date()
        if day <= as_of:
            found[pid].quizzes.setdefault(slug, []).append(day)


def load_hours(found: dict, person_ids: list[int], months: int, as_of: date) -> None:
    totals = dict(read(HOURS_OF, {"ids": person_ids, "start": window_start(as_of, months),
                                  "end": as_of}).all())
    for pid, evidence in found.items():
        evidence.hours[months] = float(totals.get(pid) or 0.0)


def hours_between(person_id: int, start: date, end: date) -> float:
    """Approved hours dated start ≤ date ≤ end (as hours_ledger.approved_hours_between)."""
    return float(read(HOURS_BETWEEN, {"person_id": person_id, "start": start,
                                      "end": end}).scalar() or 0.0)


def check(requirements: dict, program: Program, evidence: Evidence, as_of: date,
          since: date | None, fresh_from: date | None = None) -> list[Item]:
    """Each requirement of the set with whether it is met on `as_of`. When renewing
    (`since`, the day the renewal window opened) quizzes and hours must be dated from then
    on; after a revocation (`fresh_from`) only hours dated from then on count."""
    def dated(days: list[date]) -> bool:
        return any(since is None or day >= since for day in days)

    items = [Item("module", slug, bool(evidence.modules.get(slug)))  # see the module docstring
             for slug in requirements.get("modules") or []]
    items += [Item("quiz", slug, dated(evidence.quizzes.get(slug, [])))
              for slug in requirements.get("quizzes") or []]
    if requirements.get("hours"):
        have = evidence.hours.get(program.hours_window_months, 0.0)
        # renewing needs hours done since the renewal window opened (the hours that earned
        # the current certificate do not earn the next one); after a revocation, since then
        start = max((d for d in (since, fresh_from) if d is not None), default=None)
        if start is not None and start > window_start(as_of, program.hours_window_months):
            have = hours_between(evidence.person_id, start, as_of)  # rare: one more query
        need = float(requirements["hours"])
        items.append(Item("hours", str(program.hours_window_months), have + EPSILON >= need,
                          have, need))
    for kind in requirements.get("qualifications") or []:
        held = any((issued is None or issued <= as_of) and (expires is None or expires > as_of)
                   for issued, expires in evidence.qualifications.get(kind, []))
        items.append(Item("qualification", kind, held))
    return items


def covering(program: Program, evidence: Evidence, as_of: date) -> bool:
    """Whether the program concerns the person: it covers a current role, or they hold
    one of its certificates that is valid or starts later (so it can be renewed)."""
    if evidence.roles & set(program.roles or []):
        return True
    return any(c.revoked_at is None and c.expires > as_of
               for c in evidence.certificates.get(program.id, []))
