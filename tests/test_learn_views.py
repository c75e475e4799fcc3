"""A learner works through a module with plain form posts, and the dashboard follows."""
import re

import pytest
from sqlalchemy import event
from sqlalchemy import select

from extensions import db
from models import DecisionAnswer
from models import HourEntry
from models import ModuleVersion
from models import Person
from models import Progress
from tests.test_training_service import add_module
from tests.test_training_service import module_text

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def learner(make_unit, make_person, make_user):
    university = make_unit("U1")
    college = make_unit("C1", "college", university)
    klass = make_unit("K1", "class", college)
    dorm = make_unit("D1", "dorm", klass)
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm)
    make_user("s001@example.edu.cn", person=person, name="李同学")
    return person


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def progress_of(person) -> Progress | None:
    db.session.expire_all()
    return db.session.scalar(select(Progress).where(Progress.person_id == person.id))


def test_a_learner_works_through_a_module_without_javascript(client, auth, learner):
    add_module()
    auth.login("S001")
    page = text_of(client.get("/modules/silent-dorm"))
    assert "寝室里的沉默" in page and "小林是你的室友" in page
    assert "第 1 节，共 3 节" in page
    assert 'id="module-help"' in page and "12356" in page
    assert "寝室信息员 → 班级心理委员 → 辅导员 → 学院 → 心理健康教育中心" in page
    assert 'action="/modules/silent-dorm/sections/1"' in page
    assert progress_of(learner) is None, "reading is not a write"

    response = auth.post("/modules/silent-dorm/sections/1")
    assert response.headers["Location"] == "/modules/silent-dorm?section=1"
    assert progress_of(learner).section_reached == 1
    page = text_of(client.get("/modules/silent-dorm?section=1"))
    assert 'name="choice"' in page and "你首先会" in page
    assert "睡不着" not in page, "the case goes on only after the choice"
    assert "/sections/2" not in page, "no next section before the decision is answered"

    response = auth.post("/modules/silent-dorm/decisions/first-step", {"choice": "0"})
    assert response.headers["Location"] == "/modules/silent-dorm?section=1#decision-first-step"
    page = text_of(client.get("/modules/silent-dorm?section=1"))
    assert "持续的退缩是需要认真对待的信号" in page and 'data-feedback="wrong"' in page
    assert page.count("data-right") == 1 and "睡不着" in page and "data-continue" in page
    auth.post("/modules/silent-dorm/decisions/first-step", {"choice": "1"})  # another option
    answer = db.session.scalar(select(DecisionAnswer))
    assert (answer.first_choice, answer.first_correct, answer.last_choice) == (0, False, 1)

    auth.post("/modules/silent-dorm/sections/2")
    response = auth.post("/modules/silent-dorm/decisions/report", {"choice": "0"})
    assert response.headers["Location"] == "/modules/silent-dorm?section=2#decision-report"
    progress = progress_of(learner)
    assert progress.completed_at is not None and progress.score == 0.5
    page = text_of(client.get(response.headers["Location"]))
    assert 'id="module-completed"' in page and "50%" in page and "1.5" in page

    dashboard = text_of(client.get("/"))
    assert re.search(r'data-module="silent-dorm" data-status="completed"', dashboard)
    assert 'data-hours="1.5"' in dashboard and "aria-valuenow=\"100\"" in dashboard
    assert db.session.scalar(select(HourEntry.source_ref)) == "silent-dorm@1"


def test_a_decision_posted_by_fetch_gets_the_live_part_of_the_page(client, auth, learner):
    add_module()
    auth.login("S001")
    auth.post("/modules/silent-dorm/sections/1")
    response = auth.post("/modules/silent-dorm/decisions/first-step", {"choice": "1"},
                         headers=FETCH)
    fragment = text_of(response)
    assert fragment.lstrip().startswith('<div id="module-live">') and "<html" not in fragment
    assert "关心并及时报告" in fragment and "/modules/silent-dorm/sections/2" in fragment


def test_the_page_opens_where_the_learner_left_off_and_ignores_odd_sections(client, auth, learner):
    add_module()
    auth.login("S001")
    auth.post("/modules/silent-dorm/sections/1")
    for query in ("", "?section=1", "?section=2", "?section=99", "?section=-1", "?section=abc"):
        page = text_of(client.get(f"/modules/silent-dorm{query}"))
        assert 'id="section-1"' in page, query
    assert 'id="section-0"' in text_of(client.get("/modules/silent-dorm?section=0"))


def test_skipping_ahead_is_refused(client, auth, learner):
    add_module()
    auth.login("S001")
    assert auth.post("/modules/silent-dorm/sections/2").status_code == 400
    assert auth.post("/modules/silent-dorm/decisions/report", {"choice": "0"}).status_code == 400
    assert auth.post("/modules/silent-dorm/sections/9").status_code == 404
    assert db.session.scalar(select(DecisionAnswer)) is None


@pytest.mark.parametrize("path", ["/modules/no-such", "/modules/" + "x" * 300])
def test_an_unknown_module_is_404(client, auth, learner, path):
    auth.login("S001")
    assert client.get(path).status_code == 404
    assert auth.post(path + "/sections/1").status_code == 404


def test_bad_answers_are_refused_without_a_500(client, auth, learner):
    add_module()
    auth.login("S001")
    auth.post("/modules/silent-dorm/sections/1")
    assert auth.post("/modules/silent-dorm/decisions/no-such", {"choice": "0"}).status_code == 404
    for choice in ("", "7", "abc"):
        assert auth.post("/modules/silent-dorm/decisions/first-step",
                         {"choice": choice}).status_code == 400
    assert db.session.scalar(select(DecisionAnswer)) is None


def test_a_post_without_csrf_token_is_refused(client, auth, learner):
    add_module()
    auth.login("S001")
    response = client.post("/modules/silent-dorm/sections/1")
    assert response.status_code == 400
    assert client.post("/modules/silent-dorm/decisions/first-step",
                       data={"choice": "1"}).status_code == 400
    assert progress_of(learner) is None


def test_an_account_without_a_person_reads_but_saves_nothing(client, auth, make_user):
    add_module()
    make_user("reader@example.edu.cn")
    auth.login("reader@example.edu.cn")
    page = text_of(client.get("/modules/silent-dorm?section=2"))
    assert "按报告链报告" in page and 'name="choice"' not in page
    assert auth.post("/modules/silent-dorm/sections/1").status_code == 400
    assert 'id="my-modules"' in text_of(client.get("/"))


def test_the_dashboard_shows_an_empty_state_without_required_modules(client, auth, learner):
    add_module("for-counselors", module_text(roles="counselor"))
    auth.login("S001")
    page = text_of(client.get("/"))
    assert 'id="my-modules"' in page and "data-module=" not in page


def count_statements(client, path: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        text_of(client.get(path))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def add_modules_and_learners(first: int, last: int, learners: int) -> None:
    """Modules m<first>…m<last-1> for informants, and `learners` others with progress in all."""
    for n in range(first, last):
        add_module(f"m{n:02d}", module_text(title=f"模块{n:02d}"))
    start = db.session.scalar(select(db.func.count()).select_from(Person))
    people = [Person(number=f"P{start + n:05d}", name=f"学生{n}") for n in range(learners)]
    db.session.add_all(people)
    db.session.flush()
    versions = db.session.scalars(select(ModuleVersion.id)).all()
    db.session.add_all(Progress(person_id=p.id, module_version_id=v, section_reached=1)
                       for p in people for v in versions)
    db.session.commit()


def test_dashboard_and_module_page_statements_do_not_grow(client, auth, learner):
    add_modules_and_learners(0, 2, 1)
    auth.login("S001")
    auth.post("/modules/m00/sections/1")
    auth.post("/modules/m00/decisions/first-step", {"choice": "1"})
    client.get("/")  # warm up
    small = [count_statements(client, "/"), count_statements(client, "/modules/m00?section=1")]
    add_modules_and_learners(2, 30, 50)
    page = text_of(client.get("/"))
    assert page.count("data-module=") == 30
    large = [count_statements(client, "/"), count_statements(client, "/modules/m00?section=1")]
    assert large == small, (small, large)
