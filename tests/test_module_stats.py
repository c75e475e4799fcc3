"""Per-module statistics: started/completed and first-choice shares, within the viewer's scope."""
from datetime import date
from datetime import datetime

import pytest
from sqlalchemy import event

from extensions import db
from models import Assignment
from models import DecisionAnswer
from models import Person
from models import Progress
from services import authoring
from services.module_stats import module_stats
from tests.test_authoring import SOURCE

#: a second decision with three options, so shares are not just halves
SECOND = """
```decision
id: second
prompt: 之后呢？
options:
  - text: 按报告链报告
    correct: true
    feedback: 对。
  - text: 告诉其他同学
    correct: false
    feedback: 注意保密。
  - text: 自己处理
    correct: false
    feedback: 请报告。
```
"""


@pytest.fixture
def world(make_unit, make_person, make_user):
    uni = make_unit("U1")
    c1 = make_unit("C1", "college", uni)
    c2 = make_unit("C2", "college", uni)
    trainer = make_user("trainer@x.cn", grant=("trainer", "C1"))
    version = authoring.save_module("night-call", SOURCE + SECOND, by=trainer)
    db.session.commit()
    inside = [make_person(f"A{n}", role="dorm_informant", unit=c1) for n in range(4)]
    outside = [make_person(f"B{n}", role="dorm_informant", unit=c2) for n in range(3)]
    return {"trainer": trainer, "version": version, "inside": inside, "outside": outside,
            "superadmin": make_user("root@x.cn", grant=("superadmin", None))}


def progress(person, version, completed=False):
    db.session.add(Progress(person_id=person.id, module_version_id=version.id,
                            completed_at=datetime(2026, 10, 1) if completed else None))


def answer(person, version, decision_id, choice, correct):
    db.session.add(DecisionAnswer(person_id=person.id, module_version_id=version.id,
                                  decision_id=decision_id, first_choice=choice,
                                  first_correct=correct, last_choice=choice))


def fill(world):
    v, a, b = world["version"], world["inside"], world["outside"]
    for person in a[:3]:
        progress(person, v)
    progress(a[3], v, completed=True)
    for person in b:  # outside the trainer's college
        progress(person, v, completed=True)
        answer(person, v, "first", 1, False)
    answer(a[0], v, "first", 0, True)
    answer(a[1], v, "first", 0, True)
    answer(a[2], v, "first", 1, False)
    answer(a[3], v, "first", 0, True)
    answer(a[0], v, "second", 2, False)
    answer(a[3], v, "second", 0, True)
    db.session.commit()


def test_counts_and_shares_only_for_people_in_scope(world):
    fill(world)
    stats = module_stats("night-call", world["trainer"])
    assert (stats.started, stats.completed) == (4, 1)
    first, second = stats.decisions
    assert (first.id, first.answered, first.correct_first) == ("first", 4, 0.75)
    assert [(o.count, o.share) for o in first.options] == [(3, 0.75), (1, 0.25)]
    assert (second.answered, second.correct_first) == (2, 0.5)
    assert [o.count for o in second.options] == [1, 0, 1]
    assert [o.correct for o in second.options] == [True, False, False]


def test_a_superadmin_counts_everyone(world):
    fill(world)
    stats = module_stats("night-call", world["superadmin"])
    assert (stats.started, stats.completed) == (7, 4)
    assert stats.decisions[0].answered == 7
    assert [o.count for o in stats.decisions[0].options] == [3, 4]


def test_no_answers_yet_shows_zeroes_not_errors(world):
    stats = module_stats("night-call", world["trainer"])
    assert (stats.started, stats.completed) == (0, 0)
    assert all(d.answered == 0 and d.correct_first is None for d in stats.decisions)


def test_earlier_versions_are_selectable(world, client, auth):
    fill(world)
    authoring.save_module("night-call", (SOURCE + SECOND).replace("凌晨一点", "凌晨两点"),
                          by=world["trainer"])
    db.session.commit()
    assert module_stats("night-call", world["trainer"]).started == 0  # version 2 is current
    assert module_stats("night-call", world["trainer"], "1").started == 4
    assert module_stats("night-call", world["trainer"], "junk").version.version == 2
    auth.login("trainer@x.cn")
    page = client.get("/author/modules/night-call/stats?version=1").get_data(as_text=True)
    assert 'id="started">4<' in page and 'id="completed">1<' in page
    assert "75%" in page and "按报告链报告" in page
    assert client.get("/author/modules/night-call/stats?version=9").status_code == 404
    assert client.get("/author/modules/night-call/stats?version=x").status_code == 200


def bulk_answers(world, prefix: str, count: int) -> None:
    """`count` more people in the trainer's college, each started and answered both decisions."""
    unit = world["inside"][0].assignments[0].unit
    role = world["inside"][0].assignments[0].role
    v = world["version"]
    for n in range(count):
        person = Person(number=f"{prefix}{n:04d}", name=f"人{n}")
        db.session.add(person)
        db.session.flush()
        db.session.add(Assignment(person_id=person.id, role_id=role.id, unit_id=unit.id,
                                  start=date(2026, 9, 1)))
        progress(person, v, completed=n % 2 == 0)
        answer(person, v, "first", n % 2, n % 2 == 0)
        answer(person, v, "second", n % 3, n % 3 == 0)
    db.session.commit()


def statements_for(world) -> tuple[int, int]:
    """(statements run, answers counted at the first decision) for one fresh stats call."""
    db.session.expire_all()
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        stats = module_stats("night-call", world["trainer"])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen), stats.decisions[0].answered


def test_a_fixed_number_of_queries_however_many_answered(world):
    bulk_answers(world, "N", 5)
    few, answered = statements_for(world)
    assert answered == 5
    bulk_answers(world, "M", 95)
    many, answered = statements_for(world)
    assert answered == 100
    assert many == few
