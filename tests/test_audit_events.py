"""Every kind of event issue 8 lists reaches the audit log with its actor, target and time,
through the same request or command a person would use."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEvent
from models.base import utcnow
from services.content import sync_directory
from tests.audit_scenarios import ADMIN
from tests.audit_scenarios import SCENARIOS
from tests.conftest import CONTENT
from tests.session_setup import build_campus


@pytest.fixture
def world(app, client, auth, runner, tmp_path, make_unit, make_person, make_user):
    sync_directory(CONTENT)
    db.session.commit()
    campus = build_campus(make_unit, make_person, make_user)
    make_user(ADMIN, grant=("admin", "U1"), locale="en")
    make_user("root@example.edu.cn", grant=("superadmin", None))
    return SimpleNamespace(client=client, auth=auth, runner=runner, tmp_path=tmp_path,
                           campus=campus)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.parametrize("action, scenario", SCENARIOS,
                         ids=[f"{a}-{s.__name__}" for a, s in SCENARIOS])
def test_the_event_is_recorded_with_actor_target_and_time(world, action, scenario):
    before = len(events(action))
    started = utcnow() - timedelta(seconds=1)
    actor, target = scenario(world)
    db.session.expire_all()
    new = events(action)[before:]
    assert len(new) == 1, [e.detail for e in new]
    [event] = new
    assert (event.actor.email if event.actor else None) == actor
    assert (event.target_type, event.target_id) == target
    assert started <= event.at <= utcnow()


def test_a_denied_request_records_path_address_and_status(world, client, auth):
    auth.login("admin2@example.edu.cn")
    client.get("/units/C1?x=1", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    [event] = events("access.denied")
    assert event.ip == "10.1.2.3"
    assert event.detail == {"path": "/units/C1", "method": "GET", "status": 404}


def test_a_unit_that_does_not_exist_is_not_a_denial(world, client, auth):
    auth.login("admin2@example.edu.cn")
    assert client.get("/units/NOPE").status_code == 404
    assert events("access.denied") == []


def test_an_unchanged_content_sync_records_nothing(world, runner):
    runner.invoke(args=["content", "sync", str(CONTENT)])
    before = len(events("content.sync"))
    assert runner.invoke(args=["content", "sync", str(CONTENT)]).exit_code == 0
    assert len(events("content.sync")) == before


def test_a_flood_of_denied_requests_is_refused_but_not_all_written_down(app, world, client, auth):
    auth.login("admin2@example.edu.cn")
    limit = int(app.config["CSRF_AUDIT_LIMIT"].split()[0])
    answers = {client.get("/units/C1").status_code for _n in range(limit + 5)}
    assert answers == {404}
    assert len(events("access.denied")) == limit
