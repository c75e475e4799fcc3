"""The learner's certification page and dashboard card: each program covering their roles
with its state, checklist and dates, in the same number of queries however long their
history."""
from datetime import date
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from tests.certification_helpers import add_hours
from tests.certification_helpers import complete_module
from tests.certification_helpers import make_certificate
from tests.certification_helpers import make_module
from tests.certification_helpers import make_program
from tests.certification_helpers import make_quiz
from tests.certification_helpers import pass_quiz
from tests.conftest import PASSWORD
from tests.statements import statements_of_get

TODAY = date.today()


def section(html: str, code: str) -> str:
    start = html.index(f'data-program="{code}"')
    end = html.find("</section>", start)
    return html[start:end]


def setup_learner(make_unit, make_person, make_user):
    university = make_unit("U1")
    college = make_unit("C1", "college", university)
    dorm = make_unit("D1", "dorm", make_unit("K1", "class", college))
    person = make_person("S001", name="李同学", role="dorm_informant", unit=dorm,
                         start=TODAY - timedelta(days=800))
    make_person("S001", role="subject_teacher", unit=college, start=TODAY - timedelta(days=800))
    make_user("s001@example.edu.cn", person=person)
    return person


def test_the_page_shows_each_program_with_its_state_checklist_and_dates(
        client, auth, make_unit, make_person, make_user):
    person = setup_learner(make_unit, make_person, make_user)
    module = make_module()
    make_quiz()
    certified = make_program()
    make_program(code="subject-awareness", roles=("subject_teacher",), quizzes=(), hours=2)
    due = make_program(code="due-one", modules=(), hours=0)
    expired = make_program(code="expired-one", modules=(), hours=0)
    revoked = make_program(code="revoked-one", modules=(), hours=0)
    make_program(code="not-mine", roles=("counselor",))
    held = make_certificate(person, certified, TODAY - timedelta(days=10))
    make_certificate(person, due, TODAY - relativedelta(months=11))
    make_certificate(person, expired, TODAY - relativedelta(months=13))
    make_certificate(person, revoked, TODAY - timedelta(days=20), revoked=True)
    complete_module(person, module, TODAY - timedelta(days=1))
    add_hours(person, 3, TODAY - timedelta(days=1))
    auth.login("s001@example.edu.cn", PASSWORD)
    html = client.get("/certification?lang=en").get_data(as_text=True)
    states = {code: f'data-state="{state}"' in section(html, code) for code, state in (
        ("informant-basic", "certified"), ("subject-awareness", "in_progress"),
        ("due-one", "due"), ("expired-one", "expired"), ("revoked-one", "revoked"))}
    assert all(states.values()), states
    assert 'data-program="not-mine"' not in html
    mine = section(html, "informant-basic")
    assert f'href="/certificates/{held.code}"' in mine
    assert 'href="/modules/silent-dorm"' in mine and "寝室里的沉默" in mine
    assert 'href="/quizzes/informant-quiz"' in mine and "信息员测验" in mine
    assert 'data-ref="silent-dorm" data-done="yes"' in mine
    assert 'data-ref="informant-quiz" data-done="no"' in mine
    assert "3/4 h" in mine
    subject = section(html, "subject-awareness")
    assert "3/2 h" in subject and 'data-kind="hours" data-ref="12" data-done="yes"' in subject
    assert "2 of 2 done" in subject  # its module and its hours
    assert "Program due-one" in section(html, "due-one")  # the English title, in English
    assert "Due for renewal since" in section(html, "due-one")
    assert "Expired on" in section(html, "expired-one")
    assert "was revoked" in section(html, "revoked-one")
    dashboard = client.get("/").get_data(as_text=True)
    assert 'id="my-certification"' in dashboard and "认证due-one" in dashboard
    assert 'href="/certification"' in dashboard


def test_an_account_without_a_person_is_told_why_nothing_shows(client, auth, make_user):
    make_user("staff@example.edu.cn")
    auth.login("staff@example.edu.cn", PASSWORD)
    html = client.get("/certification?lang=en").get_data(as_text=True)
    assert "not linked to a person" in html
    assert 'id="my-certification"' not in client.get("/").get_data(as_text=True)


def test_signing_in_is_required(client):
    response = client.get("/certification")
    assert response.headers["Location"].startswith("/login")


def test_the_page_takes_the_same_queries_for_a_short_and_a_long_history(
        client, auth, make_unit, make_person, make_user):
    person = setup_learner(make_unit, make_person, make_user)
    module, quiz = make_module(), make_quiz()
    program = make_program(qualifications=("psych_counselor",))
    make_program(code="subject-awareness", roles=("subject_teacher",), quizzes=(), hours=2,
                 hours_window_months=24)
    make_certificate(person, program, TODAY - relativedelta(months=30))
    complete_module(person, module, TODAY - timedelta(days=400))
    pass_quiz(person, quiz, TODAY - timedelta(days=400))
    add_hours(person, 1, TODAY - timedelta(days=3))
    auth.login("s001@example.edu.cn", PASSWORD)
    small = statements_of_get(client, "/certification")
    for n in range(2, 12):
        make_certificate(person, program, TODAY - relativedelta(months=30 + 13 * n))
        pass_quiz(person, quiz, TODAY - timedelta(days=n))
        add_hours(person, 0.5, TODAY - timedelta(days=n))
        version = make_module(version=n)
        complete_module(person, version, TODAY - timedelta(days=n))
    large = statements_of_get(client, "/certification")
    assert small == large, (small, large)
    assert small <= 16
    html = client.get("/certification").get_data(as_text=True)
    assert 'data-state="expired"' in section(html, "informant-basic")
