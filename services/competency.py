"""Competency profile: how well a person, or the people of a unit, master recognition,
discernment and intervention (the notice's S1–S3).

The weighting: every scored item counts once. An item is either a response in a
submitted quiz attempt to a question tagged with the competency (its score in [0, 1])
or a decision point of a case study answered (1 when the first choice was right, else 0;
a decision counts for each competency its module version lists). A person's mastery of
a competency is the mean over their items; a unit's is the mean of the masteries of the
people in its subtree (an assignment there) who have any item in that competency, so
a busy learner weighs no more than a quiet one. None where there is nothing to measure.

Set-based and without sorting the responses: one row per person (GROUP BY person,
which the attempt index already orders) carries the sum and count per competency as
conditional aggregates, for quiz responses and for decisions; a unit then averages
those rows. One person's decisions are read per module version instead and summed per
competency from the content catalogue (person_profile).
"""
from sqlalchemy import Float
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import union_all

from extensions import db
from models import Assignment
from models import DecisionAnswer
from models import Person
from models import Unit
from models.quiz import COMPETENCIES
from models.quiz import Attempt
from models.quiz import Question
from models.quiz import Response
from services import scope
from services.content_catalogue import catalogue
from services.core_reads import read


def versions_by_competency() -> dict[str, list[int]]:
    """The module versions that list each competency (from the content catalogue)."""
    return {code: list(ids) for code, ids in catalogue().competency_versions.items()}


def per_competency(hit_and_score) -> list:
    """Σ score and count per competency as conditional aggregates (s_<code>, n_<code>)."""
    columns = []
    for code in COMPETENCIES:
        hit, score = hit_and_score(code)
        columns += [func.sum(case((hit, score), else_=0.0)).label(f"s_{code}"),
                    func.sum(case((hit, 1), else_=0)).label(f"n_{code}")]
    return columns


def quiz_totals(people):
    """Per person admitted by `people` (a WHERE-clause builder on a person-id column):
    sums and counts of their responses in submitted attempts, per competency."""
    score = func.coalesce(Response.score, 0.0)
    return (select(Attempt.person_id.label("person_id"),
                   *per_competency(lambda code: (Question.competency == code, score)))
            .join(Response, Response.attempt_id == Attempt.id)
            .join(Question, Question.id == Response.question_id)
            .where(Attempt.submitted_at.is_not(None), people(Attempt.person_id))
            .group_by(Attempt.person_id))


def decision_totals(people, versions: dict | None = None):
    """Per person: how many decisions they answered, and answered right first time, in
    modules listing each competency (`versions`: code → version ids)."""
    if versions is None:
        versions = versions_by_competency()
    right = case((DecisionAnswer.first_correct, 1.0), else_=0.0)
    return (select(DecisionAnswer.person_id.label("person_id"), *per_competency(
                lambda code: (DecisionAnswer.module_version_id.in_(versions.get(code, [])), right)))
            .where(people(DecisionAnswer.person_id))
            .group_by(DecisionAnswer.person_id))


def one_person(column):
    return column == bindparam("person_id")


# One person's totals, built once (building them costs more than running them).
PERSON_QUIZ_TOTALS = quiz_totals(one_person)
#: one person's decisions per module version (answered, right first time): the versions'
#: competencies come from the catalogue, so the sum per competency is done here rather than
#: by IN lists of every version, which cost more to bind than the statement takes to run
PERSON_DECISIONS_BY_VERSION = (
    select(DecisionAnswer.module_version_id, func.count(),
           func.sum(case((DecisionAnswer.first_correct, 1), else_=0)))
    .where(one_person(DecisionAnswer.person_id))
    .group_by(DecisionAnswer.module_version_id))


def blank() -> dict:
    """An empty profile, so every competency shows even before anything is measured."""
    return {code: {"competency": code, "mastery": None, "quiz": 0, "decisions": 0}
            for code in COMPETENCIES}


def person_profile(person: Person | None) -> list[dict]:
    """Mastery per competency for one person, with how many quiz responses and decisions
    it rests on: [{competency, mastery, quiz, decisions}] in the notice's order."""
    profile = blank()
    if person is None:
        return list(profile.values())

    sums = dict.fromkeys(COMPETENCIES, 0.0)
    row = read(PERSON_QUIZ_TOTALS, {"person_id": person.id}).mappings().first()
    for code in COMPETENCIES if row else ():
        profile[code]["quiz"] += row[f"n_{code}"] or 0
        sums[code] += row[f"s_{code}"] or 0.0
    answered = {version_id: (count, right) for version_id, count, right
                in read(PERSON_DECISIONS_BY_VERSION, {"person_id": person.id})}
    for code, version_ids in catalogue().competency_versions.items() if answered else ():
        for version_id in set(version_ids) if code in profile else ():
            count, right = answered.get(version_id, (0, 0))
            profile[code]["decisions"] += count
            sums[code] += float(right or 0)
    for code, entry in profile.items():
        measured = entry["quiz"] + entry["decisions"]
        entry["mastery"] = sums[code] / measured if measured else None
    return list(profile.values())


def unit_profile(unit: Unit) -> list[dict]:
    """The mean mastery per competency over the people in `unit`'s subtree who have been
    measured in it: [{competency, mastery, people}]."""
    members = (select(Assignment.person_id).join(Unit, Unit.id == Assignment.unit_id)
               .where(scope.subtree_filter(unit)))

    def admitted(column):
        return column.in_(members)

    both = union_all(quiz_totals(admitted), decision_totals(admitted)).subquery("both")
    per_person = select(*(func.sum(both.c[name]).label(name) for name in both.c.keys()
                          if name != "person_id")).group_by(both.c.person_id).subquery("person")
    columns = []
    for code in COMPETENCIES:
        measured = per_person.c[f"n_{code}"] > 0
        columns += [func.avg(case((measured, per_person.c[f"s_{code}"]
                                   / cast(per_person.c[f"n_{code}"], Float)))),
                    func.sum(case((measured, 1), else_=0))]
    row = db.session.execute(select(*columns)).one()
    return [{"competency": code, "mastery": row[2 * n], "people": row[2 * n + 1] or 0}
            for n, code in enumerate(COMPETENCIES)]
