"""Competency profile: per person and per unit, from quiz responses and case-study decisions.

Worked by hand: A answered r1 (recognition) 1, d1 (discernment) 0.5 and an untagged
question in a submitted attempt, and two decisions of a module about recognition and
intervention (right, then wrong first time). So A: recognition (1 + 1 + 0) / 3 = 2/3,
discernment 0.5, intervention (1 + 0) / 2 = 0.5. B, in the same college, got r1 wrong:
recognition 0. The college: recognition (2/3 + 0) / 2 = 1/3 over 2 people.
"""
from datetime import datetime

import pytest

from extensions import db
from models import DecisionAnswer
from models import Module
from models import ModuleVersion
from models.quiz import Attempt
from models.quiz import Question
from models.quiz import QuestionBank
from models.quiz import Quiz
from models.quiz import Response
from services.competency import person_profile
from services.competency import unit_profile

OPTIONS = [{"text": "对", "correct": True}, {"text": "错", "correct": False}]


def sit(person, quiz, scores, submitted=True):
    attempt = Attempt(person=person, quiz=quiz, raw_score=sum(scores.values()),
                      submitted_at=datetime(2026, 10, 1) if submitted else None)
    db.session.add(attempt)
    for question, score in scores.items():
        db.session.add(Response(attempt=attempt, question=question, answer=[0], score=score))
    db.session.commit()


@pytest.fixture
def world(make_unit, make_person, make_user):
    uni = make_unit("U1")
    college = make_unit("C1", "college", uni)
    other = make_unit("U2")
    a = make_person("A", role="counselor", unit=college)
    b = make_person("B", role="counselor", unit=college)
    c = make_person("C", role="counselor", unit=other)
    bank = QuestionBank(slug="b", title="b")
    r1, d1, x1 = (Question(qid=qid, bank=bank, type="truefalse", competency=comp, stem=qid,
                           options=OPTIONS)
                  for qid, comp in (("r1", "recognition"), ("d1", "discernment"), ("x1", None)))
    quiz = Quiz(slug="q", title="q", questions=["r1", "d1", "x1"])
    module = Module(slug="m")
    version = ModuleVersion(module=module, version=1, title="m", source="m",
                            competencies=["recognition", "intervention"])
    db.session.add_all([bank, r1, d1, x1, quiz, module, version])
    db.session.commit()
    sit(a, quiz, {r1: 1.0, d1: 0.5, x1: 1.0})
    sit(a, quiz, {r1: 0.0}, submitted=False)  # still open: not counted
    sit(b, quiz, {r1: 0.0})
    sit(c, quiz, {r1: 1.0})
    for decision, right in (("one", True), ("two", False)):
        db.session.add(DecisionAnswer(person_id=a.id, module_version_id=version.id,
                                      decision_id=decision, first_choice=0,
                                      first_correct=right, last_choice=0))
    db.session.commit()
    make_user("a@x.cn", person=a, locale="en")
    make_user("admin@x.cn", grant=("admin", "U1"), locale="en")
    return {"a": a, "b": b, "college": college, "uni": uni, "other": other}


def test_a_person_profile_weighs_every_item_once(world):
    profile = {row["competency"]: row for row in person_profile(world["a"])}
    assert list(profile) == ["recognition", "discernment", "intervention"]
    assert profile["recognition"]["mastery"] == pytest.approx(2 / 3)
    assert (profile["recognition"]["quiz"], profile["recognition"]["decisions"]) == (1, 2)
    assert profile["discernment"]["mastery"] == pytest.approx(0.5)
    assert profile["intervention"]["mastery"] == pytest.approx(0.5)
    assert profile["intervention"]["quiz"] == 0
    empty = person_profile(world["b"])[2]
    assert empty["mastery"] is None and empty["quiz"] == 0


def test_a_unit_averages_its_people(world):
    college = {row["competency"]: row for row in unit_profile(world["college"])}
    assert college["recognition"]["mastery"] == pytest.approx(1 / 3)
    assert college["recognition"]["people"] == 2
    assert college["discernment"]["mastery"] == pytest.approx(0.5)
    assert college["discernment"]["people"] == 1
    assert college["intervention"]["people"] == 1
    outside = {row["competency"]: row for row in unit_profile(world["other"])}
    assert outside["recognition"]["mastery"] == pytest.approx(1.0)  # C only
    assert outside["discernment"] == {"competency": "discernment", "mastery": None, "people": 0}


def test_without_modules_only_quizzes_count(world):
    db.session.execute(db.delete(DecisionAnswer))
    db.session.execute(db.update(Module).values(current_version_id=None))
    db.session.execute(db.delete(ModuleVersion))
    db.session.commit()
    profile = {row["competency"]: row for row in person_profile(world["a"])}
    assert profile["recognition"]["mastery"] == 1.0
    assert profile["intervention"]["mastery"] is None


def test_the_dashboard_shows_the_learners_profile(world, auth, client):
    auth.login("a@x.cn")
    html = client.get("/").get_data(as_text=True)
    assert 'id="competency-profile"' in html
    assert 'data-competency="recognition" data-mastery="0.6667"' in html
    assert "67%" in html


def test_the_unit_page_links_to_the_units_profile(world, auth, client):
    auth.login("admin@x.cn")
    assert 'href="/units/C1/competency"' in client.get("/units/C1").get_data(as_text=True)
    html = client.get("/units/C1/competency").get_data(as_text=True)
    assert 'id="competency-profile"' in html
    assert 'data-competency="recognition" data-mastery="0.3333"' in html
    assert "2 people" in html


def test_another_units_profile_is_not_found(world, auth, client):
    auth.login("admin@x.cn")
    assert client.get("/units/U2/competency").status_code == 404
