"""Expiry notices on the learner's dashboard: shown until dismissed, only one's own."""
from datetime import date
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy import select

from extensions import db
from models import ExpiryNotice
from models import Program
from services.reminders import create_notices
from tests.test_reminders import certify
from tests.test_reminders import world  # noqa: F401  (a fixture)

TODAY = date.today()


@pytest.fixture
def holder(world, make_user):  # noqa: F811
    """李明, signed up in English so the text does not depend on the merged catalogue."""
    make_user("liming@example.edu.cn", person=world["S001"], locale="en")
    return world


def notice_for(person, program, days_left: int, threshold: int) -> ExpiryNotice:
    cert = certify(person, program, expires=TODAY + timedelta(days=days_left))
    notice = ExpiryNotice(certificate=cert, person=person, threshold=threshold)
    db.session.add(notice)
    db.session.commit()
    return notice


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_holder_sees_the_notice_and_dismisses_it(client, auth, holder):
    notice = notice_for(holder["S001"], holder["program"], 30, 30)
    expires = (TODAY + timedelta(days=30)).isoformat()
    auth.login("liming@example.edu.cn")
    html = page(client)
    assert f"Your “Student informant basics” expires on {expires} (30 days left)." in html
    assert f'action="/notices/{notice.id}/dismiss"' in html and 'href="/certification"' in html

    response = auth.post(f"/notices/{notice.id}/dismiss")
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(ExpiryNotice, notice.id).dismissed_at is not None
    assert "data-notice=" not in page(client)
    assert auth.post(f"/notices/{notice.id}/dismiss").headers["Location"] == "/", "idempotent"


def test_only_the_latest_notice_of_a_live_certificate_is_shown(client, auth, holder):
    cert = certify(holder["S001"], holder["program"], expires=TODAY + timedelta(days=5))
    create_notices(TODAY - timedelta(days=40))  # the 90-day notice, on an earlier day
    create_notices(TODAY)  # and today's 7-day notice
    db.session.commit()
    assert sorted(n.threshold for n in cert_notices(cert)) == [7, 90]
    auth.login("liming@example.edu.cn")
    html = page(client)
    assert html.count("data-notice=") == 1 and "(5 days left)" in html

    certify(holder["S001"], holder["program"], issued=cert.expires,
            expires=cert.expires + timedelta(days=365), renews_id=cert.id)
    assert "data-notice=" not in page(client), "renewed: nothing to remind of"


def cert_notices(cert):
    return db.session.scalars(select(ExpiryNotice).where(ExpiryNotice.certificate_id == cert.id))


def test_an_expired_certificate_says_so(client, auth, holder):
    notice_for(holder["S001"], holder["program"], 0, 0)
    auth.login("liming@example.edu.cn")
    assert f"Your “Student informant basics” expired on {TODAY.isoformat()}." in page(client)


def test_someone_elses_notice_cannot_be_dismissed(client, auth, holder, make_user):
    theirs = notice_for(holder["S002"], holder["program"], 7, 7)
    auth.login("liming@example.edu.cn")
    assert auth.post(f"/notices/{theirs.id}/dismiss").status_code == 404
    assert client.post(f"/notices/{theirs.id}/dismiss").status_code == 400, "no CSRF token"
    db.session.expire_all()
    assert db.session.get(ExpiryNotice, theirs.id).dismissed_at is None


def test_the_dashboard_is_chinese_by_default(client, auth, holder, make_user):
    make_user("wangfang@example.edu.cn", person=holder["S002"])
    notice_for(holder["S002"], holder["program"], 30, 30)
    auth.login("wangfang@example.edu.cn")
    html = page(client)
    assert "学生信息员基础认证" in html, "the program's Chinese title"


def count_statements(client) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_dashboard_statements_do_not_grow_with_notices(client, auth, holder):
    auth.login("liming@example.edu.cn")
    notice_for(holder["S001"], holder["program"], 30, 30)
    page(client)  # warm up
    few = count_statements(client)
    for n in range(20):  # one certificate per program: a renewal would hide the older one
        program = Program(code=f"p{n}", title=f"项目{n}", title_en=f"Program {n}", valid_months=12)
        notice_for(holder["S001"], program, 40 + n, 90)
    html = page(client)
    assert html.count("data-notice=") == 21
    assert count_statements(client) == few
